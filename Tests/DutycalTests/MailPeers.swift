import Foundation
import Testing

/// A real SMTP server (aiosmtpd, Tests/peers/smtp_sink.py) on 127.0.0.1 that stores every
/// accepted message byte-exact.
final class SMTPSink {
    let folder: URL
    let port: Int
    private let process: Process

    private init(folder: URL, port: Int, process: Process) {
        self.folder = folder
        self.port = port
        self.process = process
    }

    /// Starts a sink on a free port (or `port`) with smtp_sink.py's `options`; returns once it listens.
    static func start(_ options: [String] = [], port: Int? = nil, folder: URL? = nil) throws -> SMTPSink {
        let folder = try folder ?? temporaryFolder().appendingPathComponent("mail")
        let log = folder.deletingLastPathComponent().appendingPathComponent("sink-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("Tests/peers/smtp_sink.py").path, folder.path]
            + (port.map { ["--port", String($0)] } ?? []) + options
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try output.close()
        let text = try waitFor("the SMTP sink to listen") { () -> String? in
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if !process.isRunning { throw TestSetupError("the SMTP sink stopped (run bash .ci/setup --test to install aiosmtpd): \(text)") }
            return text.contains("ready ") ? text : nil
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }), let port = Int(line.dropFirst(6)) else {
            throw TestSetupError("the SMTP sink said \(text)")
        }
        return SMTPSink(folder: folder, port: port, process: process)
    }

    /// The stored messages, in the order received.
    var messages: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The marker smtp_sink.py keeps while it holds a message (`--stall-at`).
    var isStalled: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("stalled").path) }

    /// Ends a `--stall-at` hold.
    func release() { FileManager.default.createFile(atPath: folder.appendingPathComponent("release").path, contents: nil) }

    /// Kills the server (SIGKILL: nothing of it needs to survive) and waits for it.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Polls `probe` (every 50 ms, up to two minutes) until it returns a value: a readiness gate, not a timing check.
func waitFor<T>(_ what: String, _ probe: () throws -> T?) throws -> T {
    for _ in 0..<2400 {
        if let value = try probe() { return value }
        usleep(50_000)
    }
    throw TestSetupError("gave up waiting for \(what)")
}

/// A message as `Tests/peers/mail_check.py` decoded it under `email.policy.strict`.
struct CheckedMail {
    let file: String
    let to: String
    let subject: String
    let messageID: String
    let text: String
    let events: [String]

    /// The recipient's address, from `Name <address>`.
    var address: String {
        guard let open = to.lastIndex(of: "<"), let close = to.lastIndex(of: ">") else { return to }
        return String(to[to.index(after: open)..<close])
    }

    /// The as-of day in the Message-ID (`dutycal.2026-03-02.…`).
    var day: String { String(messageID.dropFirst("<dutycal.".count).prefix(10)) }
}

/// Checks messages byte-wise and with Python's strict email parser; records an issue for
/// every problem and returns the decoded messages.
func checkMail(_ files: [URL]) throws -> [CheckedMail] {
    guard !files.isEmpty else { return [] }
    let result = try python("mail_check.py", files.map(\.path))
    #expect(result.status == 0, "mail_check.py: \(result.stderr)")
    #expect(result.stderr.contains("mail: \(files.count) passed, 0 failed"), "\(result.stderr)")
    return try result.stdout.split(separator: "\n").map { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        return CheckedMail(file: object["file"] as? String ?? "", to: object["to"] as? String ?? "",
                           subject: object["subject"] as? String ?? "", messageID: object["message-id"] as? String ?? "",
                           text: object["text"] as? String ?? "", events: object["events"] as? [String] ?? [])
    }
}

/// Rows of an SQL query on a ledger, read by Python's sqlite3 (read-only).
func ledgerRows(_ ledger: URL, _ sql: String) throws -> [[String: Any]] {
    let result = try python("ledger_query.py", [ledger.path, sql])
    guard result.status == 0 else { throw TestSetupError("ledger_query.py: \(result.stderr)") }
    return try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]] ?? []
}
