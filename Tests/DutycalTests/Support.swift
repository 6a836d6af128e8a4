import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What a finished process said.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
    let stdoutData: Data
}

/// The dutycal binary built next to the test bundle.
var dutycalBinary: URL {
    get throws {
        var candidates: [URL] = []
        if let custom = ProcessInfo.processInfo.environment["DUTYCAL_BINARY"] { candidates.append(URL(fileURLWithPath: custom)) }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("dutycal"))
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("dutycal") }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/dutycal"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestSetupError("dutycal is not built; run swift build --build-tests first (looked in \(candidates.map(\.path)))")
        }
        return found
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program to completion in `directory` (the repository root by default).
func run(_ executable: URL, _ arguments: [String], in directory: URL = repositoryRoot, stdin: Data? = nil,
         environment: [String: String]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
}

/// Runs `dutycal` with arguments.
func dutycal(_ arguments: String..., in directory: URL = repositoryRoot) throws -> ProcessResult {
    try run(dutycalBinary, arguments, in: directory)
}

/// Runs a Python peer script from Tests/peers with python3.
func python(_ script: String, _ arguments: [String] = [], stdin: Data? = nil) throws -> ProcessResult {
    try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", repositoryRoot.appendingPathComponent("Tests/peers/\(script)").path] + arguments,
            stdin: stdin)
}

/// Writes files into a fresh temporary folder.
func temporaryFolder(_ files: [String: String] = [:]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutycal-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return folder
}
