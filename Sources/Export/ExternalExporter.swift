public import Foundation
import Calendrical
import DutyCore

/// An exporter that is another program: `dutycal-export-NAME` found on `PATH`.
///
/// The program reads the occurrences as JSON Lines on standard input and writes the output
/// file's bytes to standard output; a non-zero exit status fails the export, and nothing is
/// written. This is the one exporter that runs code: it hands rendering to the program.
///
/// The stream, version 1: a header line
/// `{"format":"dutycal-occurrences-stream","version":1,"from":…,"to":…,"title":…,"count":N}`
/// then one `OccurrenceRecord` per line (the same objects `dutycal expand --format json`
/// prints), UTF-8, keys sorted. The program also gets `DUTYCAL_FORMAT` and `DUTYCAL_TITLE`.
public struct ExternalExporter: Exporter {
    public let name: String
    public var summary: String { "external exporter \(executable.path)" }
    public let fileExtension: String
    public let mediaType = "application/octet-stream"
    /// The program.
    public let executable: URL

    /// The stream header.
    struct Header: Encodable {
        let format = "dutycal-occurrences-stream"
        let version = OccurrenceRecord.version
        let from: String
        let to: String
        let title: String
        let count: Int
    }

    /// The program named `dutycal-export-NAME` on `path` (a `PATH`-style list), if any.
    public static func find(_ name: String, path: String?) -> ExternalExporter? {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !name.isEmpty else { return nil }
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("dutycal-export-\(name)")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return ExternalExporter(name: name, fileExtension: name, executable: candidate)
            }
        }
        return nil
    }

    /// The JSON Lines stream for a request.
    public static func stream(_ request: ExportRequest) throws(ExportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(Header(from: request.range.from.description, to: request.range.through.description,
                                                 title: request.title, count: request.items.count))
            data.append(0x0A)
            for item in request.items {
                data.append(try encoder.encode(item))
                data.append(0x0A)
            }
            return data
        } catch {
            throw ExportError("cannot encode the occurrences as JSON: \(error)")
        }
    }

    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        let input = try Self.stream(request)
        let process = Process()
        process.executableURL = executable
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["DUTYCAL_FORMAT": name, "DUTYCAL_TITLE": request.title]) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw ExportError("cannot start the external exporter \(executable.path): \(error)")
        }
        // Read both outputs while writing, so a chatty program cannot deadlock us.
        let group = DispatchGroup()
        let collected = Collected()
        group.enter()
        DispatchQueue.global().async { collected.setOut(stdout.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        group.enter()
        DispatchQueue.global().async { collected.setErr(stderr.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        // A program that exits without reading its input closes the pipe: ignore SIGPIPE's
        // write error and report its exit status instead.
        signal(SIGPIPE, SIG_IGN)
        let handle = stdin.fileHandleForWriting
        _ = try? handle.write(contentsOf: input)
        try? handle.close()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status == 0 else {
            let message = String(decoding: collected.err.suffix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let how = process.terminationReason == .exit ? "exited with status \(status)" : "was killed by signal \(status)"
            throw ExportError("external exporter \(executable.path) \(how)\(message.isEmpty ? "" : ": \(message)"); nothing was written")
        }
        let messages = String(decoding: collected.err, as: UTF8.self)
        return ExportResult(data: collected.out, messages: messages.isEmpty ? nil : messages)
    }

    /// Output gathered from the program's pipes by two reader threads.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var outData = Data(), errData = Data()
        func setOut(_ data: Data) { lock.lock(); outData = data; lock.unlock() }
        func setErr(_ data: Data) { lock.lock(); errData = data; lock.unlock() }
        var out: Data { lock.lock(); defer { lock.unlock() }; return outData }
        var err: Data { lock.lock(); defer { lock.unlock() }; return errData }
    }
}
