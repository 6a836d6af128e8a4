public import Foundation

/// Hands a finished message to the mail system.
///
/// Conforming types deliver the bytes unchanged to every recipient, or throw; they never
/// report success for a message the mail system did not accept.
public protocol MailTransport: Sendable {
    /// Sends `message` (RFC 5322 bytes, CRLF) from `sender` to `recipients` (addresses).
    func send(_ message: Data, messageID: String, from sender: String, to recipients: [String]) throws(MailError)
}

/// A failed hand-over, saying what failed and whether trying later may work.
public struct MailError: Error, Sendable, CustomStringConvertible {
    /// True when the failure is likely temporary (server down, 4xx, EX_TEMPFAIL).
    public let isTemporary: Bool
    /// What failed, naming the command or server.
    public let description: String

    /// An error.
    public init(temporary: Bool, _ description: String) {
        isTemporary = temporary
        self.description = description
    }
}

/// Pipes messages to a sendmail-compatible command (`sendmail -t -i` of postfix or exim,
/// or msmtp), the way cron tools hand mail to the local mail system. The message is written
/// to a temporary file first and given as standard input, so the command always sees the
/// whole message even if this process dies meanwhile.
public struct SendmailTransport: MailTransport {
    /// The command and its arguments; recipients are read from the headers (`-t`).
    public let command: [String]

    /// A transport running `command`.
    public init(command: [String]) { self.command = command }

    public func send(_ message: Data, messageID: String, from sender: String, to recipients: [String]) throws(MailError) {
        guard let program = command.first else { throw MailError(temporary: false, "the sendmail command is empty; set mail.sendmail in the deployment") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dutycal-\(MIME.hexDigest(messageID))-\(UUID().uuidString.prefix(8)).eml")
        do {
            try message.write(to: file)
        } catch {
            throw MailError(temporary: true, "cannot write the message to \(file.path): \(error)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            process.standardInput = try FileHandle(forReadingFrom: file)
            try process.run()
        } catch {
            throw MailError(temporary: true, "cannot run \(program): \(error); install a sendmail-compatible MTA (postfix, exim4 or msmtp-mta) or set mail.sendmail")
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let status = process.terminationStatus
            let detail = stderr.isEmpty ? "" : ": \(stderr.split(separator: "\n").suffix(3).joined(separator: " / "))"
            // The server's reply code decides when the client shows it (msmtp exits 69 for both
            // 451 and 550); otherwise sysexits: 75 TEMPFAIL, 69 UNAVAILABLE, 74 IOERR, 71 OSERR are worth retrying.
            let temporary = SendmailTransport.replyClass(stderr).map { $0 == "4" }
                ?? (process.terminationReason == .uncaughtSignal || [69, 71, 74, 75].contains(status))
            if status == 127 {
                throw MailError(temporary: true, "\(program) was not found; install a sendmail-compatible MTA (postfix, exim4 or msmtp-mta) or set mail.sendmail")
            }
            throw MailError(temporary: temporary, "\(command.joined(separator: " ")) exited with status \(status)\(detail)")
        }
    }
}

extension SendmailTransport {
    /// The first digit of the SMTP reply a sendmail-compatible client reports
    /// (`server message: 550 …`), if it reports one.
    static func replyClass(_ stderr: String) -> Character? {
        for line in stderr.split(separator: "\n") {
            guard let range = line.range(of: "server message: ") else { continue }
            let code = line[range.upperBound...].prefix(3)
            if code.count == 3, code.allSatisfy(\.isNumber), let first = code.first, first == "4" || first == "5" { return first }
        }
        return nil
    }
}

/// Writes messages into a Maildir (`tmp/`, then renamed into `new/`), for inspection or a
/// local mail reader. A message already there (same Message-ID) is not written again.
public struct MaildirTransport: MailTransport {
    /// The Maildir folder.
    public let folder: String

    /// A Maildir transport.
    public init(folder: String) { self.folder = folder }

    public func send(_ message: Data, messageID: String, from sender: String, to recipients: [String]) throws(MailError) {
        let base = URL(fileURLWithPath: folder)
        do {
            for sub in ["tmp", "new", "cur"] {
                try FileManager.default.createDirectory(at: base.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
        } catch {
            throw MailError(temporary: true, "cannot create the Maildir \(folder): \(error)")
        }
        let name = "dutycal.\(MIME.hexDigest(messageID))"
        for sub in ["new", "cur"] {
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(sub).path)) ?? []
            if existing.contains(where: { $0.hasPrefix(name) }) { return }
        }
        let temporary = base.appendingPathComponent("tmp/\(name).\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try message.write(to: temporary)
            try FileManager.default.moveItem(at: temporary, to: base.appendingPathComponent("new/\(name)"))
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MailError(temporary: true, "cannot deliver into the Maildir \(folder): \(error)")
        }
    }
}
