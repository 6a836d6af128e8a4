import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of a measured piece as its own process: wall time from spawn to exit, and the
/// peak resident memory the kernel reports for it (`ru_maxrss`, in KiB).
///
/// Linux counts in a child's `ru_maxrss` the memory of the process it was spawned from
/// (the high-water mark of the address space `exec` replaced), so `wait4` on a child of
/// this benchmark would report at least the benchmark's own 30 MB. The piece is therefore
/// started through GNU time (`/usr/bin/time -f %M`), a 2 MB C program that spawns it, reaps
/// it with `wait4` and writes its `ru_maxrss`; without GNU time the benchmark's own `wait4`
/// figure is used and said to be an upper bound.
struct ChildRun {
    /// Exit status (or 128 + signal).
    var status: Int32
    /// Seconds from spawn to reaped exit.
    var seconds: Double
    /// Peak resident set of the child, KiB (`ru_maxrss`).
    var maxRSSKB: Int
    /// False when GNU time was missing and `maxRSSKB` includes the benchmark's own memory.
    var peakIsExact: Bool
    /// Its standard output.
    var output: String
    /// Its standard error.
    var errors: String

    /// The last line of standard output read as a JSON object (the child's result).
    var result: [String: Any] {
        guard let line = output.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return [:] }
        return object
    }
}

/// A failure to start or finish a measured piece.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Starts programs with `posix_spawn` (through GNU time) and reaps them with `wait4`.
enum ChildProcess {
    static let gnuTime = "/usr/bin/time"

    /// Runs `executable` with `arguments`, standard output and error going to files in
    /// `scratch` (standard output to `redirect` instead when given, and then not read back),
    /// and waits for it.
    static func run(_ executable: String, _ arguments: [String], scratch: String,
                    environment: [String: String] = [:], redirect: String? = nil) throws -> ChildRun {
        let outPath = redirect ?? "\(scratch)/child.out", errPath = "\(scratch)/child.err", rssPath = "\(scratch)/child.rss"
        let timed = FileManager.default.isExecutableFile(atPath: gnuTime)
        let program = timed ? gnuTime : executable
        let argumentList = timed ? ["-f", "%M", "-o", rssPath, executable] + arguments : arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([program] + argumentList).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let envp = merged.map { strdup("\($0)=\($1)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let started = monotonicSeconds()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 for \(executable) failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = monotonicSeconds() - started
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        // GNU time's last line is %M (a line before it tells a failure or a signal).
        let reported = timed ? (try? String(contentsOfFile: rssPath, encoding: .utf8))?
            .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } : nil
        return ChildRun(status: exit, seconds: seconds, maxRSSKB: reported ?? Int(usage.ru_maxrss), peakIsExact: reported != nil,
                        output: redirect == nil ? (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" : "",
                        errors: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Runs a piece `runs` times; fails with its error output if any run fails.
    static func measure(_ name: String, _ executable: String, _ arguments: [String], runs: Int, scratch: String,
                        environment: [String: String] = [:], redirect: String? = nil) throws -> Measured {
        var samples: [ChildRun] = []
        for _ in 0..<max(1, runs) {
            let run = try run(executable, arguments, scratch: scratch, environment: environment, redirect: redirect)
            guard run.status == 0 else {
                throw BenchError("\(name): \(([executable] + arguments).joined(separator: " ")) exited \(run.status)\n\(run.errors.suffix(2000))")
            }
            samples.append(run)
        }
        return Measured(samples: samples)
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// The runs of one piece: median wall time, peak memory over all runs, the last result.
struct Measured {
    var samples: [ChildRun]

    /// The median wall time, seconds.
    var median: Double {
        let sorted = samples.map(\.seconds).sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The largest `ru_maxrss` over the runs, KiB.
    var maxRSSKB: Int { samples.map(\.maxRSSKB).max() ?? 0 }

    /// The last run's JSON result.
    var result: [String: Any] { samples.last?.result ?? [:] }

    /// An integer field of the result.
    func int(_ key: String) -> Int? { (result[key] as? NSNumber)?.intValue }

    /// The phases a child timed (`name_us` fields), as "load 12 ms, expand 30 ms".
    func phases(_ names: [String]) -> String {
        names.map { "\($0) \(Row.duration(Double(int("\($0)_us") ?? 0) / 1e6))" }.joined(separator: ", ")
    }

    /// A text field of the result (checksums are 16 hex digits).
    func string(_ key: String) -> String? { result[key] as? String }
}
