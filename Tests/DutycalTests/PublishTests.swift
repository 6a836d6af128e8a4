import Foundation
import Testing

/// `dutycal publish` against a real Radicale CalDAV server on 127.0.0.1.
@Suite(.serialized) struct PublishTests {
    struct Radicale {
        let folder: URL
        let port: Int
        var collection: String { "http://127.0.0.1:\(port)/office/county-anweiban/" }

        static func start() throws -> Radicale {
            let folder = try temporaryFolder()
            let result = try run(URL(fileURLWithPath: "/bin/bash"),
                                 [repositoryRoot.appendingPathComponent("Tests/peers/radicale_server.sh").path, folder.path, "office", "s3cret"])
            guard result.status == 0, let port = Int(result.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") else {
                throw TestSetupError("Radicale did not start (run bash .ci/setup --test): \(result.stderr)")
            }
            return Radicale(folder: folder, port: port)
        }

        func stop() {
            if let pid = try? String(contentsOf: folder.appendingPathComponent("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
                _ = try? run(URL(fileURLWithPath: "/bin/kill"), [pid])
            }
        }
    }

    func publish(_ server: Radicale, catalogue: String = "Calendars", to: String = "2026-06-30", password: String = "s3cret") throws -> ProcessResult {
        try run(dutycalBinary, ["publish", "--catalogue", catalogue, "--caldav", server.collection, "--user", "office",
                                "--unit", "county", "--body", "anweiban", "--from", "2026-01-01", "--to", to],
                environment: ["DUTYCAL_CALDAV_PASSWORD": password])
    }

    func check(_ server: Radicale, catalogue: String = "Calendars", to: String = "2026-06-30") throws -> ProcessResult {
        let expanded = try dutycal("expand", "--catalogue", catalogue, "--unit", "county", "--body", "anweiban",
                                   "--from", "2026-01-01", "--to", to, "--format", "json")
        let json = try temporaryFolder(["e.json": expanded.stdout]).appendingPathComponent("e.json").path
        return try python("caldav_check.py", [server.collection, "office", "s3cret", json])
    }

    @Test func radicaleHoldsExactlyTheExpandedOccurrencesAndFollowsRemovals() throws {
        let server = try Radicale.start()
        defer { server.stop() }
        let first = try publish(server)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("created, 0 updated, 0 deleted, 0 unchanged"))
        let read = try check(server)
        #expect(read.status == 0, "\(read.stdout)\(read.stderr)")

        // Unchanged data: nothing is rewritten.
        let again = try publish(server)
        #expect(again.stdout.hasPrefix("0 created, 0 updated, 0 deleted"), "\(again.stdout)")

        // A duty removed from the catalogue: its objects are deleted.
        let copy = try temporaryFolder()
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Calendars"), to: copy.appendingPathComponent("Calendars"))
        try FileManager.default.removeItem(at: copy.appendingPathComponent("Calendars/duties/zhifanian-2016.yaml"))
        let catalogue = copy.appendingPathComponent("Calendars").path
        let removed = try publish(server, catalogue: catalogue)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(!removed.stdout.contains(" 0 deleted"), "\(removed.stdout)")
        let after = try check(server, catalogue: catalogue)
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
    }

    @Test func aWrongPasswordIsAClearError() throws {
        let server = try Radicale.start()
        defer { server.stop() }
        let result = try publish(server, password: "wrong")
        #expect(result.status == 75)
        #expect(result.stderr.contains("check the user and password"), "\(result.stderr)")
    }
}
