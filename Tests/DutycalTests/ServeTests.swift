import Foundation
import Testing

/// What a child process wrote, collected as it arrives.
final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

/// A running `dutycal serve` on 127.0.0.1 with a port the system chose, and its log.
final class ServeProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    private let log: OutputBuffer

    /// Starts the server over the shipped catalogue with `ledger`, and waits until it listens and /healthz answers.
    init(ledger: String, catalogue: String = "Calendars") throws {
        let process = Process(), log = OutputBuffer()
        process.executableURL = try dutycalBinary
        process.arguments = ["serve", "--catalogue", catalogue, "--ledger", ledger, "--host", "127.0.0.1", "--port", "0"]
        process.currentDirectoryURL = repositoryRoot
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        err.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
            found = log.text.firstMatch(of: /address=http:\/\/127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw TestSetupError("dutycal serve did not start listening: \(log.text)")
        }
        self.process = process
        self.log = log
        port = found
        for _ in 0..<100 {
            if (try? curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", url("/healthz")]).stdout) == "200" { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestSetupError("/healthz did not answer 200")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Everything the server wrote to standard error so far.
    var stderr: String { log.text }

    /// Sends SIGTERM and returns the exit status (nil when it did not end within 20 s).
    func terminate() -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else { kill(process.processIdentifier, SIGKILL); return nil }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// iCalendar text with its folded lines joined again (RFC 5545 3.1).
func unfolded(_ data: Data) -> String {
    String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
}

/// Runs curl (a real HTTP client) with `arguments`.
func curl(_ arguments: [String]) throws -> ProcessResult {
    try run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "--max-time", "60"] + arguments)
}

/// An HTTP exchange as curl saw it: the status, headers (lower-cased names) and body.
struct Exchange {
    let status: Int
    let headers: [String: String]
    let body: Data
    /// Body bytes curl received (0 for HEAD).
    let downloaded: Int

    static func fetch(_ url: String, method: String = "GET", headers: [String: String] = [:], pathAsIs: Bool = false) throws -> Exchange {
        let folder = try temporaryFolder()
        let headerFile = folder.appendingPathComponent("headers").path, bodyFile = folder.appendingPathComponent("body").path
        var arguments = ["-s", "-D", headerFile, "-o", bodyFile, "-w", "%{http_code} %{size_download}"]
        arguments += method == "HEAD" ? ["-I"] : ["-X", method]
        if pathAsIs { arguments.append("--path-as-is") }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        let result = try curl(arguments + [url])
        let written = result.stdout.split(separator: " ")
        guard written.count == 2, let status = Int(written[0]), let downloaded = Int(written[1]) else {
            throw TestSetupError("curl failed for \(url): \(result.stdout) \(result.stderr)")
        }
        let text = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Exchange(status: status, headers: fields, body: (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data(),
                        downloaded: downloaded)
    }
}

/// `dutycal token` and `dutycal serve` end to end, with curl, a Python subscriber and Chromium.
@Suite(.serialized) struct ServeTests {
    /// Issues a token for `--unit county --body anweiban` (or other arguments) and returns it.
    func issue(_ ledger: String, _ scope: [String] = ["--unit", "county", "--body", "anweiban"]) throws -> String {
        let result = try run(dutycalBinary, ["token", "issue", "--ledger", ledger] + scope)
        #expect(result.status == 0, "\(result.stderr)")
        guard let token = result.stdout.firstMatch(of: /token +([A-Za-z0-9_-]+)/)?.1 else {
            throw TestSetupError("no token in: \(result.stdout)\(result.stderr)")
        }
        return String(token)
    }

    @Test func tokenCommandsIssueListAndRevoke() throws {
        let ledger = try temporaryFolder().appendingPathComponent("ledger.sqlite").path
        let all = try run(dutycalBinary, ["token", "issue", "--all", "--ledger", ledger])
        #expect(all.status == 0, "\(all.stderr)")
        let count = all.stdout.matches(of: /\n  token +/).count + (all.stdout.hasPrefix("  token") ? 1 : 0)
        // 13 units, each with its bodies, and the 8 recipients of the example deployment.
        #expect(all.stdout.contains("新发放 \(count) 个订阅令牌（共 \(count) 个"), "\(all.stdout)")
        #expect(count > 13 + 8)
        let again = try run(dutycalBinary, ["token", "issue", "--all", "--ledger", ledger])
        #expect(again.stdout.contains("新发放 0 个订阅令牌"), "\(again.stdout)")

        let list = try run(dutycalBinary, ["token", "list", "--ledger", ledger])
        #expect(list.status == 0)
        let token = try #require(list.stdout.firstMatch(of: /县安委办（收件人 王主任 anweiban@example-county.gov.cn）  \[county\/anweiban\].*\n  token +([A-Za-z0-9_-]{32})/)?.1)
        #expect(list.stdout.contains("webcal://rili.example-county.gov.cn/feeds/\(token).ics"))
        #expect(list.stdout.contains("https://rili.example-county.gov.cn/feeds/\(token).ics"))
        #expect(list.stdout.contains("https://rili.example-county.gov.cn/feeds/\(token).csv"))
        #expect(list.stdout.contains("https://rili.example-county.gov.cn/units/\(token)/<年份>"))

        let revoke = try run(dutycalBinary, ["token", "revoke", "--ledger", ledger, String(token)])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        #expect(revoke.stdout.contains("已吊销"))
        let listed = try run(dutycalBinary, ["token", "list", "--ledger", ledger])
        #expect(!listed.stdout.contains(String(token)))
        #expect(try run(dutycalBinary, ["token", "list", "--revoked", "--ledger", ledger]).stdout.contains("已吊销"))

        let unknown = try run(dutycalBinary, ["token", "revoke", "--ledger", ledger, "no_such_token_0123456789abcdef"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("has no feed token 'no_such_token_0123456789abcdef'"), "\(unknown.stderr)")

        let badUnit = try run(dutycalBinary, ["token", "issue", "--ledger", ledger, "--unit", "contry"])
        #expect(badUnit.status == 64)
        #expect(badUnit.stderr.contains("did you mean 'county'"), "\(badUnit.stderr)")
        let badSubscriber = try run(dutycalBinary, ["token", "issue", "--ledger", ledger, "--subscriber", "nobody@example.cn"])
        #expect(badSubscriber.status == 64)
        #expect(badSubscriber.stderr.contains("is not a recipient"), "\(badSubscriber.stderr)")
    }

    @Test func badServerSettingsAreLocatedAndAPortInUseIsAClearError() throws {
        let copy = try temporaryFolder()
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Calendars"), to: copy.appendingPathComponent("Calendars"))
        let file = copy.appendingPathComponent("Calendars/deployments/example-county.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "    port: 8080\n", with: "    port: 80800\n")
            .replacingOccurrences(of: "public_url: https://rili.example-county.gov.cn", with: "public_url: rili.example-county.gov.cn")
            .write(to: file, atomically: true, encoding: .utf8)
        let bad = try run(dutycalBinary, ["serve", "--catalogue", copy.appendingPathComponent("Calendars").path, "--ledger", copy.appendingPathComponent("l.sqlite").path])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("example-county.yaml:") && bad.stderr.contains("server port '80800' must be a whole number from 1 to 65535"), "\(bad.stderr)")
        #expect(bad.stderr.contains("server public_url 'rili.example-county.gov.cn' must be an https://"), "\(bad.stderr)")

        let ledger = try temporaryFolder().appendingPathComponent("ledger.sqlite").path
        let server = try ServeProcess(ledger: ledger)
        defer { _ = server.terminate() }
        let second = try run(dutycalBinary, ["serve", "--ledger", ledger, "--port", String(server.port)])
        #expect(second.status == 78)
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(server.port): Address already in use"), "\(second.stderr)")
        let badPort = try run(dutycalBinary, ["serve", "--ledger", ledger, "--port", "70000"])
        #expect(badPort.status == 64)
    }

    @Test func theRunningServerWithCurl() throws {
        let ledger = try temporaryFolder().appendingPathComponent("ledger.sqlite").path
        let token = try issue(ledger)
        let spare = try issue(ledger, ["--unit", "county"])
        let server = try ServeProcess(ledger: ledger)
        var stopped = false
        defer { if !stopped { _ = server.terminate() } }
        let feed = server.url("/feeds/\(token).ics")

        let get = try Exchange.fetch(feed)
        #expect(get.status == 200)
        #expect(get.headers["content-type"] == "text/calendar; charset=utf-8")
        #expect(get.headers["cache-control"]?.contains("max-age") == true)
        let etag = try #require(get.headers["etag"])
        let modified = try #require(get.headers["last-modified"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let text = String(decoding: get.body, as: UTF8.self)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.contains("县安委办") && text.contains("BEGIN:VEVENT"))
        #expect(get.headers["content-length"] == String(get.body.count))

        let head = try Exchange.fetch(feed, method: "HEAD")
        #expect(head.status == 200 && head.downloaded == 0 && head.headers["etag"] == etag)
        #expect(head.headers["content-length"] == String(get.body.count))

        // gzip: curl decodes it; the bytes are the identity body's.
        let gzipped = try Exchange.fetch(feed, headers: ["Accept-Encoding": "gzip"])
        #expect(gzipped.headers["content-encoding"] == "gzip")
        #expect(gzipped.body.count < get.body.count / 3)
        let decoded = try curl(["-s", "--compressed", feed])
        #expect(decoded.stdoutData == get.body)

        #expect(try Exchange.fetch(feed, headers: ["If-None-Match": etag]).status == 304)
        #expect(try Exchange.fetch(feed, headers: ["If-Modified-Since": modified]).status == 304)
        #expect(try Exchange.fetch(feed, headers: ["If-None-Match": "\"something-else\""]).status == 200)

        let csv = try Exchange.fetch(server.url("/feeds/\(token).csv"))
        #expect(csv.status == 200 && csv.headers["content-type"] == "text/csv; charset=utf-8")
        #expect(csv.body.starts(with: [0xEF, 0xBB, 0xBF]))
        let page = try Exchange.fetch(server.url("/units/\(token)/2026"))
        #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("年度"))

        // Unknown tokens, escapes and plain wrong paths: one and the same 404.
        let plain = try Exchange.fetch(server.url("/feeds/unknown_0123456789abcdefghij.ics"))
        #expect(plain.status == 404)
        for path in ["/feeds/../../etc/passwd", "/feeds/%2e%2e/%2e%2e/etc/passwd", "/feeds/..%2f..%2fetc%2fpasswd", "/units/%2e%2e/2026",
                     "/units/\(token)/..%2f..%2fetc%2fpasswd", "/feeds/\(token).ics/../../../etc/passwd", "/etc/passwd", "/feeds/"] {
            let answer = try Exchange.fetch(server.url(path), pathAsIs: true)
            #expect(answer.status == 404, "\(path)")
            #expect(answer.body == plain.body, "\(path)")
            #expect(!String(decoding: answer.body, as: UTF8.self).contains("root:"))
        }

        // Revoked while the server runs: 404 at once, the same body as a token never issued.
        let beforeRevoke = try Exchange.fetch(server.url("/feeds/\(spare).ics"))
        #expect(beforeRevoke.status == 200)
        let revoke = try run(dutycalBinary, ["token", "revoke", "--ledger", ledger, spare])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        let revoked = try Exchange.fetch(server.url("/feeds/\(spare).ics"))
        #expect(revoked.status == 404)
        #expect(revoked.body == plain.body && revoked.headers["etag"] == nil)
        #expect(try Exchange.fetch(server.url("/units/\(spare)/2026")).status == 404)
        #expect(try Exchange.fetch(feed).status == 200)  // the other token is untouched

        // SIGTERM: a clean exit 0; the log has one line per request with the token shortened.
        stopped = true
        #expect(server.terminate() == 0)
        let log = server.stderr
        #expect(log.contains("status=200") && log.contains("status=304") && log.contains("status=404"), "\(log)")
        #expect(log.contains("/feeds/\(token.prefix(4))….ics"))
        #expect(!log.contains(token) && !log.contains(spare))
    }

    @Test func aCompletionChangesTheETagAndASubscriberSeesIt() throws {
        let folder = try temporaryFolder()
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        let token = try issue(ledger)
        // An occurrence of the body due soon (the served window is around today).
        let expand = try dutycal("expand", "--unit", "county", "--body", "anweiban", "--days", "60", "--format", "json")
        let json = try JSONSerialization.jsonObject(with: Data(expand.stdout.utf8)) as? [String: Any]
        let occurrences = try #require(json?["occurrences"] as? [[String: Any]])
        let occurrence = try #require(occurrences.first { $0["count"] is NSNull }?["id"] as? String ?? occurrences.first?["id"] as? String)

        let server = try ServeProcess(ledger: ledger)
        defer { _ = server.terminate() }
        let feed = server.url("/feeds/\(token).ics")
        let state = folder.appendingPathComponent("subscriber").path
        func subscriber() throws -> [String: Any] {
            let result = try python("feed_subscriber.py", [feed, state, occurrence])
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        }

        let first = try subscriber()
        #expect(first["http"] as? Int == 200)
        #expect((first["summary"] as? String)?.hasPrefix("✓") == false)
        let etag = try #require(try Exchange.fetch(feed).headers["etag"])
        #expect(try Exchange.fetch(feed, headers: ["If-None-Match": etag]).status == 304)
        #expect(try subscriber()["http"] as? Int == 304)  // an unchanged feed is not sent again

        let done = try run(dutycalBinary, ["done", "--ledger", ledger, occurrence, "--note", "已报送"])
        #expect(done.status == 0, "\(done.stderr)")
        let changed = try Exchange.fetch(feed, headers: ["If-None-Match": etag])
        #expect(changed.status == 200)
        #expect(changed.headers["etag"] != nil && changed.headers["etag"] != etag)

        let after = try subscriber()
        #expect(after["http"] as? Int == 200)
        #expect((after["summary"] as? String)?.hasPrefix("✓ ") == true, "\(after)")
        #expect(after["status"] as? String == "CONFIRMED")
        #expect((after["description"] as? String)?.contains("已完成：") == true)
        #expect(try subscriber()["http"] as? Int == 304)
    }

    @Test func aRecordedEventsDeadlineAppearsInTheServedFeed() throws {
        let ledger = try temporaryFolder().appendingPathComponent("ledger.sqlite").path
        let token = try issue(ledger, ["--unit", "county"])
        let server = try ServeProcess(ledger: ledger)
        defer { _ = server.terminate() }
        let feed = server.url("/feeds/\(token).ics")
        let before = unfolded(try Exchange.fetch(feed).body)
        #expect(!before.contains("event-ev-1"))
        // 行政处罚决定书网站公示: 15 days after each penalty decision, for the county's supervising departments.
        let recorded = try run(dutycalBinary, ["record-event", "--ledger", ledger, "zhifanian-2016-chufa-gongshi", "--on", todayInShanghai(), "--unit", "county"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let after = unfolded(try Exchange.fetch(feed).body)
        #expect(after.contains("county_2Fyingji_2Fzhifanian-2016-chufa-gongshi@event-ev-1@dutycal"), "the deadline of the recorded event is in the feed")
        #expect(after.contains("行政处罚决定书网站公示"))
    }

    /// A recipient's feed, rebuilt when a catalogue file is edited; an edit that breaks the
    /// catalogue is reported and the last good feed stays.
    @Test func aSubscribersFeedFollowsCatalogueEdits() throws {
        let copy = try temporaryFolder()
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Calendars"), to: copy.appendingPathComponent("Calendars"))
        let catalogue = copy.appendingPathComponent("Calendars").path
        let ledger = copy.appendingPathComponent("ledger.sqlite").path
        let token = try issue(ledger, ["--catalogue", catalogue, "--subscriber", "yingji@example-county.gov.cn"])
        let server = try ServeProcess(ledger: ledger, catalogue: catalogue)
        defer { _ = server.terminate() }
        let feed = server.url("/feeds/\(token).ics")
        let first = try Exchange.fetch(feed)
        let text = unfolded(first.body)
        #expect(first.status == 200 && text.contains("【县应急管理局】报送监管执法工作情况月报表"))
        #expect(!text.contains("【县安委办】"))  // the recipient's body only
        let etag = try #require(first.headers["etag"])

        let file = copy.appendingPathComponent("Calendars/duties/zhifanian-2016.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        try original.replacingOccurrences(of: "title: 报送监管执法工作情况月报表", with: "title: 报送监管执法工作情况月报表（修订）")
            .write(to: file, atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 1.5)  // files are looked at again after a second
        let edited = try Exchange.fetch(feed, headers: ["If-None-Match": etag])
        #expect(edited.status == 200)
        #expect(unfolded(edited.body).contains("报送监管执法工作情况月报表（修订）"))

        try (original + "\n  - id: broken\n    title: [\n").write(to: file, atomically: true, encoding: .utf8)
        Thread.sleep(forTimeInterval: 1.5)
        let kept = try Exchange.fetch(feed)
        #expect(kept.status == 200)
        #expect(unfolded(kept.body).contains("报送监管执法工作情况月报表（修订）"))
        #expect(server.stderr.contains("catalogue not reloaded") && server.stderr.contains("zhifanian-2016.yaml"), "\(server.stderr.suffix(2000))")
    }

    /// The year page in a real browser: headless Chromium takes an A4-landscape-sized
    /// screenshot and dumps the DOM of /units/<token>/2026.
    @Test func theYearPageInChromium() throws {
        let folder = try temporaryFolder()
        let ledger = folder.appendingPathComponent("ledger.sqlite").path
        let token = try issue(ledger, ["--unit", "county"])
        let server = try ServeProcess(ledger: ledger)
        defer { _ = server.terminate() }
        let url = server.url("/units/\(token)/2026")
        let screenshot = folder.appendingPathComponent("year.png").path
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(folder.appendingPathComponent("profile").path)"]
        let shot = try run(URL(fileURLWithPath: "/usr/bin/env"), ["chromium"] + flags + ["--screenshot=\(screenshot)", "--window-size=1754,1240", url])
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(shot.stderr)")
        #expect(png.count > 50_000, "a rendered page of month grids, not a blank one (\(png.count) bytes)")
        // The PNG's IHDR holds the size: 1754 × 1240.
        #expect(png.count > 24 && png[16..<24].elementsEqual([0, 0, 0x06, 0xDA, 0, 0, 0x04, 0xD8]))

        let dom = try run(URL(fileURLWithPath: "/usr/bin/env"), ["chromium"] + flags + ["--dump-dom", url])
        #expect(dom.status == 0, "\(dom.stderr)")
        let text = dom.stdout
        #expect(text.contains("示例县") && text.contains("年度安全生产工作安排表"), "\(text.prefix(500))")
        #expect(!text.contains("Not Found") && !text.contains("ERR_"))
        // Each month lists the duties due in it (the first 14, then 另有N项): every month of
        // 2026 shows at least one of the county's duties due that month, as `expand` lists them.
        let expand = try dutycal("expand", "--unit", "county", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json")
        let json = try JSONSerialization.jsonObject(with: Data(expand.stdout.utf8)) as? [String: Any]
        let occurrences = (json?["occurrences"] as? [[String: Any]]) ?? []
        var shown: Set<String> = []
        for month in 1...12 {
            #expect(text.contains("2026年\(month)月"))
            let due = String(format: "2026-%02d-", month)
            let titles = Set(occurrences.filter { ($0["due"] as? String)?.hasPrefix(due) == true }.compactMap { $0["title"] as? String })
            let here = titles.filter { text.contains($0) }
            #expect(!here.isEmpty, "no duty due in 2026-\(month) is on the page (expected one of \(titles.sorted().prefix(3)))")
            shown.formUnion(here)
        }
        #expect(shown.count >= 20, "\(shown.count) distinct duty titles shown")
    }

    func todayInShanghai() -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date())
    }
}
