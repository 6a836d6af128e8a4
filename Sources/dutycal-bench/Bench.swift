import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dutycal-bench`: measured speed and memory at county, province and national scale, each
/// figure next to a baseline measured in the same run (see BENCHMARKS.md).
@main
struct DutycalBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dutycal-bench",
        abstract: "Measure DutyCalendar at county, province and national scale against baselines run alongside.",
        discussion: """
        Generates its workloads in a temporary folder, runs every measured piece as its own process \
        (this program re-executed with a hidden subcommand, the dutycal binary, the C baseline, \
        Python) several times, and prints the median wall time, the peak memory (ru_maxrss from \
        wait4), the ratio to each baseline and whether each target is met. Build it in release mode: \
        swift run -c release dutycal-bench.
        """,
        subcommands: [Measure.self, Child.self],
        defaultSubcommand: Measure.self)
}

/// Which workloads there are.
enum Workload: String, CaseIterable, ExpressibleByArgument {
    case expandCounty = "expand-county"
    case expandNation = "expand-nation"
    case exportProvince = "export-province"
    case remindCounty = "remind-county"
    case serve
}

extension DutycalBench {
    /// The benchmark itself.
    struct Measure: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the workloads (all by default).")

        @Argument(help: "Workloads: \(Workload.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
        var workloads: [Workload] = []

        @Option(help: "Runs of each measured piece; the median is reported.")
        var runs: Int?

        @Option(help: "Runs of export-province's exports, which write hundreds of megabytes each and take minutes (default 1; the floors and baselines follow --runs, at most 3).")
        var exportRuns = 1

        @Option(help: "Multiplies the workload sizes (units, ledger rows); 1 is the size the targets are set for.")
        var scale: Double?

        @Flag(help: "Tiny sizes and one run: checks the benchmark works (the test suite runs this).")
        var quick = false

        @Flag(help: "Print the rows as JSON lines instead of the table.")
        var json = false

        @Option(help: "The package folder (holding Calendars/); default: the current folder, else the one this was built from.")
        var package: String?

        @Flag(help: "Keep the generated workloads and outputs, and print each measured command (for profiling).")
        var keep = false

        func run() throws {
            let context = try Context(runs: runs ?? (quick ? 1 : 5), scale: scale ?? (quick ? 0.01 : 1), quick: quick,
                                      package: package, verbose: keep, exportRuns: exportRuns)
            defer { if !keep { context.cleanUp() } }
            context.log("dutycal-bench: \(context.machine); runs \(context.runs), scale \(context.scale); scratch \(context.scratch)")
            var rows: [Row] = []
            var failed = false
            for workload in workloads.isEmpty ? Workload.allCases : workloads {
                context.log("== \(workload.rawValue)")
                do {
                    let made = try workload.measure(context)
                    rows += made
                    if json { for row in made { Self.printJSON(row.json) } }
                } catch {
                    failed = true
                    context.log("\(workload.rawValue) failed: \(error)")
                    let row = Row(workload: workload.rawValue, figure: "failed", note: "\(error)".split(separator: "\n").first.map(String.init) ?? "")
                    rows.append(row)
                    if json { Self.printJSON(row.json) }
                }
            }
            if !json {
                print("\nMachine: \(context.machine)\nCommand: dutycal-bench \(CommandLine.arguments.dropFirst().joined(separator: " "))")
                print("Times: median of the runs, wall clock, each piece a whole process. \(Self.peakNote)\n")
                print(Table.render(rows))
            }
            if failed { throw ExitCode(1) }
        }

        static var peakNote: String {
            FileManager.default.isExecutableFile(atPath: ChildProcess.gnuTime)
                ? "Max RSS: ru_maxrss of each piece's process, reported by GNU time (which spawns and reaps it)."
                : "Max RSS: ru_maxrss from wait4 without GNU time, an upper bound that includes this benchmark's own memory (install the Debian package time)."
        }

        static func printJSON(_ object: [String: Any]) {
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

extension Workload {
    func measure(_ context: Context) throws -> [Row] {
        switch self {
        case .expandCounty: try CountyExpansion(context).measure()
        case .expandNation: try NationExpansion(context).measure()
        case .exportProvince: try ProvinceExport(context).measure()
        case .remindCounty: try CountyReminders(context).measure()
        case .serve: try ServeBench(context).measure()
        }
    }
}

/// What every workload shares: sizes, the scratch folder, where the programs are.
final class Context {
    let runs: Int
    let scale: Double
    let quick: Bool
    /// A fresh temporary folder, removed at the end.
    let scratch: String
    /// The package folder: Calendars/ and this target's peer scripts are found from it.
    let package: String
    /// The folder holding this executable and its siblings (dutycal, libical-baseline, hello-baseline).
    let binaries: String
    /// This executable.
    let executable: String

    /// Print each measured command line.
    let verbose: Bool

    /// Runs of export-province's exports.
    let exportRuns: Int

    init(runs: Int, scale: Double, quick: Bool, package: String?, verbose: Bool = false, exportRuns: Int = 1) throws {
        self.verbose = verbose
        self.exportRuns = max(1, exportRuns)
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard scale > 0 else { throw ValidationError("--scale must be positive") }
        self.runs = runs
        self.scale = scale
        self.quick = quick
        let fm = FileManager.default
        let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let chosen = package ?? (fm.fileExists(atPath: "Calendars/workdays.yaml") ? fm.currentDirectoryPath : built)
        guard fm.fileExists(atPath: "\(chosen)/Calendars/workdays.yaml") else {
            throw ValidationError("no Calendars/workdays.yaml in \(chosen): run from the package folder or give --package")
        }
        self.package = URL(fileURLWithPath: chosen).standardized.path
        executable = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        binaries = URL(fileURLWithPath: executable).deletingLastPathComponent().path
        scratch = fm.temporaryDirectory.appendingPathComponent("dutycal-bench-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: scratch) }

    /// Progress on standard error.
    func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// `size` scaled, at least `minimum`.
    func scaled(_ size: Int, minimum: Int = 1) -> Int { max(minimum, Int((Double(size) * scale).rounded())) }

    /// A sub-folder of the scratch folder, created.
    func folder(_ name: String) throws -> String {
        let path = "\(scratch)/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A program built beside this one (built by SwiftPM with the same configuration when missing).
    func sibling(_ product: String) throws -> String {
        let path = "\(binaries)/\(product)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        let configuration = URL(fileURLWithPath: binaries).lastPathComponent.contains("debug") ? "debug" : "release"
        log("building \(product) (\(configuration)) beside dutycal-bench")
        let swift = try which("swift")
        let run = try ChildProcess.run(swift, ["build", "-c", configuration, "--package-path", package, "--product", product],
                                       scratch: scratch)
        guard run.status == 0, FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("cannot build \(product): swift build exited \(run.status)\n\(run.errors.suffix(1500))\(run.output.suffix(1500))")
        }
        return path
    }

    /// The full path of a program on PATH.
    func which(_ program: String) throws -> String {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BenchError("\(program) is not on PATH")
    }

    /// A peer script shipped in Sources/dutycal-bench/peers.
    func peer(_ name: String) -> String { "\(package)/Sources/dutycal-bench/peers/\(name)" }

    /// Runs a piece `runs` times (default: --runs), logging what it runs.
    func measure(_ name: String, _ executable: String, _ arguments: [String], runs: Int? = nil,
                 environment: [String: String] = [:], redirect: String? = nil) throws -> Measured {
        log(verbose ? "  \(name): \(([executable] + arguments).joined(separator: " "))" : "  \(name)")
        return try ChildProcess.measure(name, executable, arguments, runs: runs ?? self.runs, scratch: scratch,
                                        environment: environment, redirect: redirect)
    }

    /// The machine, for the table: CPU model, cores, memory, kernel.
    lazy var machine: String = {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("MemTotal") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) } ?? 0
        var names = utsname()
        uname(&names)
        let kernel = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Row.number(memory / 1_048_576)) GB RAM, Linux \(kernel)"
    }()
}
