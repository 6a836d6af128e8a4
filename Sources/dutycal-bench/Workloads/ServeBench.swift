import Foundation

/// serve: requests per second of `dutycal serve` for a cached feed (200) and for
/// revalidations (304), next to nginx serving the same file, measured by
/// Tests/peers/serve_bench.sh (wrk on 127.0.0.1), which prints one JSON line per figure:
/// `{"name":"serve-200","rps":…,"baseline":"nginx","baseline_rps":…,"ratio":…,"max_rss_kb":…}`.
struct ServeBench {
    let context: Context

    init(_ context: Context) { self.context = context }

    func measure() throws -> [Row] {
        let script = "\(context.package)/Tests/peers/serve_bench.sh"
        guard FileManager.default.fileExists(atPath: script) else {
            return [Row(workload: "serve", figure: "not available", note: "Tests/peers/serve_bench.sh is not in this checkout (dutycal serve is being written)")]
        }
        // --quick: a second of load each, enough to see every step work.
        let run = try context.measure("serve_bench.sh", try context.which("bash"), [script, try context.sibling("dutycal")], runs: 1,
                                      environment: context.quick ? ["BENCH_DURATION": "1s"] : [:])
        var rows: [Row] = []
        for line in run.samples[0].output.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let name = object["name"] as? String, let rps = (object["rps"] as? NSNumber)?.doubleValue else { continue }
            let baseline = object["baseline"] as? String ?? "baseline"
            let baselineRPS = (object["baseline_rps"] as? NSNumber)?.doubleValue
            let ratio = (object["ratio"] as? NSNumber)?.doubleValue ?? baselineRPS.map { rps / $0 }
            rows.append(Row(workload: "serve", figure: "dutycal serve: \(name)", rps: rps,
                            maxRSSKB: (object["max_rss_kb"] as? NSNumber)?.intValue, ratio: ratio,
                            note: "wrk on 127.0.0.1 (Tests/peers/serve_bench.sh); ratio of requests/s to \(baseline)",
                            target: .throughputShare(0.5), checked: ratio))
            if let baselineRPS {
                rows.append(Row(workload: "serve", figure: "baseline: \(baseline) (\(name))", rps: baselineRPS, note: "the same file, same wrk settings"))
            }
        }
        guard !rows.isEmpty else { throw BenchError("serve_bench.sh printed no result line:\n\(run.samples[0].output.suffix(1000))") }
        return rows
    }
}
