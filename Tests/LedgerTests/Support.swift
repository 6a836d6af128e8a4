import Calendrical
import Foundation
import Ledger
import Testing

/// A fresh folder under the system's temporary directory, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The names of the files in the folder.
    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A civil date from `YYYY-MM-DD`.
func day(_ text: String) -> CivilDate { CivilDate(text)! }

/// Pinned moments (whole seconds: the ledger keeps milliseconds).
let monday = Date(timeIntervalSince1970: 1_772_406_000)  // 2026-03-02 07:00 Asia/Shanghai
func later(_ seconds: TimeInterval) -> Date { monday.addingTimeInterval(seconds) }

/// Runs `body` and returns the LedgerError it throws (failing the test when it throws none or another error).
func ledgerError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> LedgerError? {
    do {
        try body()
        Issue.record("expected a LedgerError", sourceLocation: sourceLocation)
        return nil
    } catch let error as LedgerError {
        return error
    } catch {
        Issue.record("expected a LedgerError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Python 3 with its sqlite3 module: an independent SQLite client for the tests.
let python3: URL? = {
    for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
        return URL(fileURLWithPath: candidate)
    }
    return nil
}()

/// `flock(1)` from util-linux, which can hold a lock without forking (`--no-fork`).
let flockTool: URL? = ["/usr/bin/flock", "/bin/flock"].first(where: FileManager.default.isExecutableFile(atPath:)).map(URL.init(fileURLWithPath:))

struct PeerError: Error, CustomStringConvertible {
    let description: String
}

/// Runs a Python snippet to completion with `arguments` as `sys.argv[1:]`, returning its standard output.
@discardableResult
func runPython(_ code: String, _ arguments: [String]) throws -> String {
    let python = try #require(python3)
    let process = Process()
    process.executableURL = python
    process.arguments = ["-c", code] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PeerError(description: "python failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: output, as: UTF8.self)
}

/// A child process that prints one line once it holds what it holds, and keeps it until stopped.
final class Holder {
    let process = Process()
    private let output = Pipe()

    /// Starts `executable` and waits for its first line of output.
    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw PeerError(description: "\(executable.lastPathComponent) ended before holding its lock") }
            line.append(chunk)
        }
    }

    /// Kills the child with `signal` and waits for it to end.
    func stop(signal: Int32 = SIGKILL) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    deinit { stop(signal: SIGKILL) }
}

/// Raw bytes of a file.
func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
