import Foundation
import Testing

/// The example county's deployment in a temporary folder, with its own ledger, a given mail
/// setting, and a coal mine (an enterprise unit with the 10-a-month underground quota).
struct RemindSetup {
    let folder: URL
    let deployment: URL
    var ledger: URL { folder.appendingPathComponent("ledger.sqlite") }

    /// Mail through Debian's msmtp (a sendmail-compatible client) to a sink.
    static func msmtp(port: Int) -> String {
        """
          mail:
            from_name: 示例县安委办履职日历
            from: dutycal@example-county.gov.cn
            transport: sendmail
            sendmail: [msmtp, --host=127.0.0.1, --port=\(port), --auth=off, --tls=off, --from=dutycal@example-county.gov.cn, -t, -i]
        """
    }

    init(mail: String, folder: URL? = nil) throws {
        let folder = try folder ?? temporaryFolder()
        self.folder = folder
        deployment = folder.appendingPathComponent("deployment.yaml")
        try write(mail: mail)
    }

    /// Rewrites the deployment with another mail setting; the ledger stays.
    func write(mail: String) throws {
        var text = try String(contentsOf: repositoryRoot.appendingPathComponent("Calendars/deployments/example-county.yaml"), encoding: .utf8)
        let ledgerLine = text.range(of: "  ledger:")!.lowerBound
        let units = text.range(of: "\nunits:")!.lowerBound
        text.replaceSubrange(ledgerLine..<units, with: "  ledger: \(ledger.path)\n\(mail)")
        let recipients = text.range(of: "\n# Who receives digests")!.lowerBound
        text.insert(contentsOf: """

          - id: mine
            name: 示例煤矿
            level: 企业
            bodies:
              - {id: kuangzhang, name: 矿长, roles: [煤矿企业]}
        """, at: recipients)
        text += "  - {unit: mine, body: kuangzhang, name: 张矿长, email: kuangzhang@example-mine.cn, cadence: [daily, weekly]}\n"
        try text.write(to: deployment, atomically: true, encoding: .utf8)
    }

    /// Runs a dutycal command against the shipped catalogue and this deployment.
    func dutycal(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try run(dutycalBinary, arguments + ["--catalogue", "Calendars", "--deployment", deployment.path], environment: environment)
    }

    func remind(_ asOf: String, _ extra: [String] = [], environment: [String: String]? = nil) throws -> ProcessResult {
        try dutycal(["remind", "--as-of", asOf] + extra, environment: environment)
    }

    /// Starts `dutycal remind` without waiting; its output goes to files in the folder.
    func startRemind(_ asOf: String, _ extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = try dutycalBinary
        process.arguments = ["remind", "--as-of", asOf, "--catalogue", "Calendars", "--deployment", deployment.path] + extra
        process.currentDirectoryURL = repositoryRoot
        let log = folder.appendingPathComponent("remind-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try handle.close()
        return process
    }

    /// Digest states in the ledger, counted.
    func states() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try ledgerRows(ledger, "SELECT state, count(*) AS n FROM digest GROUP BY state") {
            counts[row["state"] as! String] = row["n"] as? Int
        }
        return counts
    }

    /// The Message-IDs (with angle brackets) of the digests the ledger says were accepted.
    func sentMessageIDs() throws -> [String] {
        try ledgerRows(ledger, "SELECT message_id FROM digest WHERE state = 'sent' ORDER BY id").map { "<\($0["message_id"] as! String)>" }
    }
}

/// Every civil day from `first` through `last` (YYYY-MM-DD, same month).
func days(_ month: String, _ range: ClosedRange<Int>) -> [String] {
    range.map { String(format: "\(month)-%02d", $0) }
}

/// `dutycal remind` against a real SMTP server (aiosmtpd) through Debian's msmtp, and the
/// faults it must survive. Every message is checked byte-wise and parsed under
/// `email.policy.strict`; the ledger is read back with Python's sqlite3.
@Suite(.serialized) struct RemindTests {
    @Test func aMonthDayByDaySendsEachReminderOnceAndTracksCompletions() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: sink.port))
        let visits = ["2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-12", "2026-03-13"]
        for day in days("2026-03", 1...31) {
            if day == "2026-03-09" {
                let done = try setup.dutycal(["done", "county/zhujian/zhifanian-2016-yuebao@2026-03", "--on", day, "--note", "已报县安委办"])
                #expect(done.status == 0, "\(done.stderr)")
                #expect(done.stdout.contains("已完成"))
            }
            if visits.contains(day) {
                let done = try setup.dutycal(["done", "mine/kuangzhang/bingtuan-2014-meikuang-director-underground@2026-03", "--on", day])
                #expect(done.status == 0, "\(done.stderr)")
            }
            let before = sink.messages.count
            let first = try setup.remind(day)
            #expect(first.status == 0, "\(day): \(first.stderr)")
            let sent = sink.messages.count
            #expect(first.stdout.contains("发送 \(sent - before) 份"), "\(day): \(first.stdout)")
            // The same day again: nothing new.
            let second = try setup.remind(day)
            #expect(second.status == 0, "\(day) again: \(second.stderr)")
            #expect(sink.messages.count == sent, "\(day): the second run sent \(sink.messages.count - sent) more")
            #expect(second.stdout.contains("新存入摘要 0 份"), "\(second.stdout)")
        }
        let mail = try checkMail(sink.messages)
        #expect(mail.count > 40)

        // Exactly once: each digest the ledger says was accepted arrived once, nothing else arrived, nothing is left.
        #expect(try setup.states() == ["sent": mail.count])
        #expect(try setup.sentMessageIDs().sorted() == mail.map(\.messageID).sorted())
        #expect(Set(mail.map(\.messageID)).count == mail.count)
        // One digest per recipient and day at most.
        #expect(Set(mail.map { "\($0.address) \($0.day)" }).count == mail.count)
        // Each reminder the ledger recorded reached its recipient in the digest that carries it.
        let reminders = try ledgerRows(setup.ledger, """
            SELECT reminder.recipient, reminder.occurrence_id, reminder.lead, digest.message_id
            FROM reminder JOIN digest ON digest.id = reminder.digest_id
            """)
        #expect(reminders.count > 50)
        let byID = Dictionary(uniqueKeysWithValues: mail.map { ($0.messageID, $0) })
        for reminder in reminders {
            let message = byID["<\(reminder["message_id"] as! String)>"]
            #expect(message?.address == reminder["recipient"] as? String)
            #expect(message?.text.contains("编号：\(reminder["occurrence_id"] as! String)") == true, "\(reminder)")
        }

        func daysOf(_ address: String) -> [String] { mail.filter { $0.address == address }.map(\.day).sorted() }
        // Cadences: the vice-governor gets the Monday summaries and the overview on the 1st; the
        // party office only the overview.
        #expect(daysOf("anweihui@example-county.gov.cn") == ["2026-03-01", "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"])
        #expect(daysOf("xianweiban@example-county.gov.cn") == ["2026-03-01"])
        let yingji = daysOf("yingji@example-county.gov.cn")
        #expect(["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"].allSatisfy(yingji.contains))

        // The monthly report, done on the 9th, leaves the housing bureau's digests; the summary
        // due on the 12th, never done, stays in every later digest under 已逾期, which comes daily.
        let zhujian = mail.filter { $0.address == "zhujian@example-county.gov.cn" }
        let report = "编号：county/zhujian/zhifanian-2016-yuebao@2026-03"
        #expect(zhujian.contains { $0.day < "2026-03-09" && $0.text.contains(report) })
        #expect(!zhujian.contains { $0.day >= "2026-03-09" && $0.text.contains(report) })
        let summary = "county/zhujian/zhifanian-2016-liangyue-xingdong-zongjie@2026-B1"
        #expect(zhujian.filter { $0.day > "2026-03-12" }.map(\.day) == days("2026-03", 13...31))
        for message in zhujian where message.day > "2026-03-12" {
            let overdue = message.text.components(separatedBy: "【已逾期】").dropFirst().first ?? ""
            #expect(overdue.components(separatedBy: "【").first?.contains(summary) == true, "\(message.day): \(message.text)")
        }

        // The mine director's quota: 8 of 10 visits by the 13th, the shortfall and working days left shown.
        let mine = mail.filter { $0.address == "kuangzhang@example-mine.cn" }
        #expect(mine.contains { $0.day == "2026-03-16" && $0.text.contains("已完成8次，应不少于10次，尚差2次，本期剩余12个工作日") },
                "\(mine.map(\.text))")
        let status = try setup.dutycal(["status", "--unit", "mine", "--as-of", "2026-03-16"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("8/10，差2次，剩12个工作日"), "\(status.stdout)")
        // The subject names the unit, the recipient and the day.
        #expect(mine.contains { $0.subject.contains("示例煤矿") && $0.subject.contains("张矿长") && $0.subject.contains("2026年3月16日") })
    }

    @Test func aRunKilledWhileSendingResumesWithoutDuplicatesOrLosses() throws {
        // The server holds the third message before any of its content is transferred.
        let sink = try SMTPSink.start(["--stall-at", "2", "--delay", "300"])
        defer { sink.stop() }
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: sink.port))
        let planned = try setup.remind("2026-03-02", ["--dry-run"])
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdout.contains("将发送 4 份摘要"), "\(planned.stdout)")

        let run = try setup.startRemind("2026-03-02")
        try waitFor("the third message to reach the server") { sink.isStalled ? true : (run.isRunning ? nil : false) }
        #expect(run.isRunning)
        // The machine stops: dutycal and the msmtp it started die at once.
        kill(run.processIdentifier, SIGSTOP)
        _ = try? ProcessRunner.pkill(parent: run.processIdentifier)
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        #expect(run.terminationReason == .uncaughtSignal)
        #expect(sink.messages.count == 2)
        #expect(try setup.states() == ["sent": 2, "sending": 1, "pending": 1])
        sink.release()

        let resumed = try setup.remind("2026-03-02")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let mail = try checkMail(sink.messages)
        #expect(mail.count == 4)
        #expect(Set(mail.map(\.messageID)).count == 4)
        #expect(try setup.states() == ["sent": 4])
        #expect(try setup.sentMessageIDs().sorted() == mail.map(\.messageID).sorted())
        // Resent byte for byte as stored before the crash.
        let stored = try ledgerRows(setup.ledger, "SELECT message_id, length(body) AS size FROM digest")
        for row in stored {
            let file = mail.first { $0.messageID == "<\(row["message_id"] as! String)>" }!.file
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)).count == row["size"] as? Int)
        }
    }

    @Test func overlappingRunsSendOnce() throws {
        let sink = try SMTPSink.start(["--stall-at", "0", "--delay", "300"])
        defer { sink.stop() }
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: sink.port))
        let first = try setup.startRemind("2026-03-02")
        try waitFor("the first run to be sending") { sink.isStalled ? true : (first.isRunning ? nil : false) }
        // A run that will not wait stops at once, saying who holds the ledger, and sends nothing.
        let impatient = try setup.remind("2026-03-02", ["--wait", "0"])
        #expect(impatient.status == 75)
        #expect(impatient.stderr.contains("another dutycal run (pid \(first.processIdentifier))"), "\(impatient.stderr)")
        // A run that waits finds the first one's work done.
        let patient = try setup.startRemind("2026-03-02", ["--wait", "120"])
        sink.release()
        first.waitUntilExit()
        patient.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(patient.terminationStatus == 0)
        #expect(sink.messages.count == 4)

        // Two runs started at the same moment.
        let runs = try [setup.startRemind("2026-03-03"), setup.startRemind("2026-03-03")]
        for run in runs { run.waitUntilExit() }
        #expect(runs.map(\.terminationStatus) == [0, 0])
        let mail = try checkMail(sink.messages)
        #expect(Set(mail.map(\.messageID)).count == mail.count)
        #expect(Set(mail.map { "\($0.address) \($0.day)" }).count == mail.count)
        #expect(try setup.states() == ["sent": mail.count])
    }

    @Test func afterThreeDaysOffTheNextRunCatchesUpInOneDigest() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: sink.port))
        #expect(try setup.remind("2026-03-02").status == 0)
        // Off on the 3rd, 4th and 5th.
        let resumed = try setup.remind("2026-03-06")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let mail = try checkMail(sink.messages)
        #expect(!mail.contains { ["2026-03-03", "2026-03-04", "2026-03-05"].contains($0.day) })
        let caughtUp = mail.filter { $0.day == "2026-03-06" }
        #expect(Set(caughtUp.map(\.address)).count == caughtUp.count)
        // The monthly report's 7-day reminder fell on the 3rd; on the 6th it is still useful.
        let zhujian = caughtUp.first { $0.address == "zhujian@example-county.gov.cn" }
        #expect(zhujian?.text.contains("county/zhujian/zhifanian-2016-yuebao@2026-03") == true)
        let leads = try ledgerRows(setup.ledger, "SELECT lead FROM reminder WHERE occurrence_id = 'county/zhujian/zhifanian-2016-yuebao@2026-03'")
        #expect(leads.map { $0["lead"] as? Int } == [7])
    }

    @Test func mailRefusedOrDownKeepsDigestsPendingAndTheNextRunSendsOneEach() throws {
        let refusing = try SMTPSink.start(["--refuse", "451"])
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: refusing.port))
        let monday = try setup.remind("2026-03-02")
        refusing.stop()
        #expect(monday.status == 75)
        #expect(monday.stderr.contains("451"), "\(monday.stderr)")
        #expect(monday.stderr.contains("the next run sends them"), "\(monday.stderr)")
        #expect(try setup.states() == ["failed": 4])
        #expect(refusing.messages.isEmpty)

        // Down: nothing listens on the port any more.
        let tuesday = try setup.remind("2026-03-03")
        #expect(tuesday.status == 75, "\(tuesday.stdout) \(tuesday.stderr)")
        #expect(tuesday.stderr.contains("msmtp"), "\(tuesday.stderr)")
        let pending = try setup.states()
        #expect(pending["superseded"] == 4 && pending["sent"] == nil && (pending["failed"] ?? 0) > 0, "\(pending)")

        // Back on Wednesday: one digest per recipient, carrying Monday's summary and Tuesday's reminders.
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        try setup.write(mail: RemindSetup.msmtp(port: sink.port))
        let wednesday = try setup.remind("2026-03-04")
        #expect(wednesday.status == 0, "\(wednesday.stderr)")
        let mail = try checkMail(sink.messages)
        #expect(mail.allSatisfy { $0.day == "2026-03-04" })
        #expect(Set(mail.map(\.address)).count == mail.count)
        #expect(mail.contains { $0.address == "anweihui@example-county.gov.cn" && $0.subject.contains("每周汇总") }, "\(mail.map(\.subject))")
        #expect(mail.contains { $0.address == "zhujian@example-county.gov.cn" && $0.text.contains("county/zhujian/zhifanian-2016-yuebao@2026-03") })
        #expect(try setup.states()["sent"] == mail.count)

        // A permanent refusal: exit 69, the digest stays for a fixed address or setting.
        let rejecting = try SMTPSink.start(["--refuse", "550"])
        defer { rejecting.stop() }
        try setup.write(mail: RemindSetup.msmtp(port: rejecting.port))
        let thursday = try setup.remind("2026-03-05")
        #expect(thursday.status == 69, "\(thursday.stderr)")
        #expect(thursday.stderr.contains("550"), "\(thursday.stderr)")
    }

    @Test func aCorruptOrLockedLedgerIsReportedAndNeverOverwritten() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: sink.port))

        // Not a ledger at all.
        let garbage = Data("这不是台账 not a ledger\n".utf8)
        try garbage.write(to: setup.ledger)
        for arguments in [["remind", "--as-of", "2026-03-02"], ["done", "county/zhujian/zhifanian-2016-yuebao@2026-03"],
                          ["status"], ["remind", "--as-of", "2026-03-02", "--dry-run"]] {
            let result = try setup.dutycal(arguments)
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(setup.ledger.path), "\(result.stderr)")
            #expect(try Data(contentsOf: setup.ledger) == garbage)
        }
        #expect(sink.messages.isEmpty)

        // A real ledger with a damaged page.
        try FileManager.default.removeItem(at: setup.ledger)
        #expect(try setup.remind("2026-03-02").status == 0)
        var bytes = try Data(contentsOf: setup.ledger)
        #expect(bytes.count >= 8192)
        bytes.replaceSubrange(4096..<8192, with: Data(repeating: 0xA5, count: 4096))
        try bytes.write(to: setup.ledger)
        let damaged = try setup.remind("2026-03-03")
        #expect(damaged.status == 65, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("damaged") || damaged.stderr.contains("not a"), "\(damaged.stderr)")
        #expect(try Data(contentsOf: setup.ledger) == bytes)

        // Locked by another program for longer than the busy timeout.
        let fresh = try RemindSetup(mail: RemindSetup.msmtp(port: sink.port))
        #expect(try fresh.remind("2026-03-02").status == 0)
        let before = try Data(contentsOf: fresh.ledger)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.read()
            """, fresh.ledger.path]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        _ = output.fileHandleForReading.availableData  // "locked"
        let locked = try fresh.remind("2026-03-03")
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(locked.status == 75, "\(locked.stderr)")
        #expect(locked.stderr.contains(fresh.ledger.path) && locked.stderr.contains("lock"), "\(locked.stderr)")
        #expect(try Data(contentsOf: fresh.ledger) == before)
        // Once free, the run goes ahead.
        #expect(try fresh.remind("2026-03-03").status == 0)
    }

    @Test func directSMTPWithSTARTTLSAndAuth() throws {
        let folder = try temporaryFolder()
        let cert = folder.appendingPathComponent("cert.pem"), key = folder.appendingPathComponent("key.pem")
        let made = try run(URL(fileURLWithPath: "/usr/bin/env"), [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.path, "-out", cert.path])
        #expect(made.status == 0, "\(made.stderr)")
        let sink = try SMTPSink.start(["--tls", cert.path, key.path, "--user", "office", "--password", "s3cret"])
        defer { sink.stop() }
        let mail = """
          mail:
            from: dutycal@example-county.gov.cn
            transport: smtp
            smtp: {url: "smtp://127.0.0.1:\(sink.port)", starttls: true, user: office, password_env: DUTYCAL_SMTP_PASSWORD, ca_file: \(cert.path)}
        """
        let setup = try RemindSetup(mail: mail)

        let unset = try setup.remind("2026-03-02")
        #expect(unset.status == 78, "\(unset.stderr)")
        #expect(unset.stderr.contains("DUTYCAL_SMTP_PASSWORD"))

        let wrong = try setup.remind("2026-03-02", environment: ["DUTYCAL_SMTP_PASSWORD": "wrong"])
        #expect([69, 75].contains(wrong.status), "\(wrong.stderr)")
        #expect(sink.messages.isEmpty)

        let right = try setup.remind("2026-03-02", environment: ["DUTYCAL_SMTP_PASSWORD": "s3cret"])
        #expect(right.status == 0, "\(right.stderr)")
        let delivered = try checkMail(sink.messages)
        #expect(delivered.count == 4)
        #expect(try setup.states() == ["sent": 4])
    }

    @Test func doneStatusAndRecordEvent() throws {
        let setup = try RemindSetup(mail: RemindSetup.msmtp(port: 9))
        let typo = try setup.dutycal(["done", "county/zhujian/zhifanian-2016-yuebao@2026-3", "--on", "2026-03-09"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean 'county/zhujian/zhifanian-2016-yuebao@2026-03'"), "\(typo.stderr)")
        let malformed = try setup.dutycal(["done", "yuebao"])
        #expect(malformed.status == 64)
        #expect(malformed.stderr.contains("unit/body/duty@period"))

        let quota = "mine/kuangzhang/bingtuan-2014-meikuang-director-underground@2026-03"
        for day in 2...4 { #expect(try setup.dutycal(["done", quota, "--on", "2026-03-0\(day)"]).status == 0) }
        let undone = try setup.dutycal(["done", quota, "--undo"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(undone.stdout.contains("2/10"), "\(undone.stdout)")

        let event = try setup.dutycal(["record-event", "zhifanian-2016-chufa-gongshi", "--on", "2026-03-05", "--ref", "示应急罚〔2026〕3号", "--unit", "county"])
        #expect(event.status == 0, "\(event.stderr)")
        #expect(event.stdout.contains("已记录 ev-1：2026年3月5日行政处罚决定（示应急罚〔2026〕3号）"), "\(event.stdout)")
        #expect(event.stdout.contains("截止 2026-03-20  county/yingji/zhifanian-2016-chufa-gongshi@event-ev-1"), "\(event.stdout)")
        #expect(!event.stdout.contains("chengguan/"))
        let notRelative = try setup.dutycal(["record-event", "zhifanian-2016-yuebao", "--on", "2026-03-05"])
        #expect(notRelative.status == 64)
        #expect(notRelative.stderr.contains("zhifanian-2016-chufa-gongshi"), "\(notRelative.stderr)")

        let status = try setup.dutycal(["status", "--as-of", "2026-03-10", "--since", "2026-03-01"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("county/yingji/zhifanian-2016-chufa-gongshi@event-ev-1"))
        #expect(status.stdout.contains("2/10，差8次"))
        let overdue = try setup.dutycal(["status", "--as-of", "2026-03-11", "--since", "2026-03-01", "--overdue", "--unit", "county"])
        #expect(overdue.stdout.contains("已逾期  2026-03-10（逾期1天）"), "\(overdue.stdout)")
        #expect(!overdue.stdout.contains("未来30天"))
    }
}

/// Stopping a process's children, as when the machine stops.
enum ProcessRunner {
    /// Sends SIGKILL to every child of `parent`.
    static func pkill(parent: Int32) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["pkill", "-KILL", "-P", String(parent)])
    }
}
