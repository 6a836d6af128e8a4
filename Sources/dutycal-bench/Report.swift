import Foundation

/// A target a figure is held to.
enum Target {
    /// Wall time at most this many seconds.
    case seconds(Double)
    /// Peak memory at most this many MiB.
    case memoryMB(Double)
    /// At most this many times the baseline's time.
    case withinTimes(Double)
    /// At least this many times faster than the baseline.
    case fasterTimes(Double)
    /// At least this fraction of the baseline's throughput.
    case throughputShare(Double)

    var text: String {
        switch self {
        case .seconds(let s): "< \(Row.number(s)) s"
        case .memoryMB(let mb): "< \(Row.number(mb)) MB"
        case .withinTimes(let x): "≤ \(Row.number(x))× baseline"
        case .fasterTimes(let x): "≥ \(Row.number(x))× faster"
        case .throughputShare(let share): "≥ \(Row.number(share))× baseline"
        }
    }
}

/// One line of the table: a figure, or a baseline with the figure's ratio to it.
struct Row {
    var workload: String
    /// What was measured.
    var figure: String
    /// Median wall seconds (nil for a throughput figure).
    var seconds: Double?
    /// Requests per second, for throughput figures.
    var rps: Double?
    /// Peak resident memory, KiB.
    var maxRSSKB: Int?
    /// For a baseline row: the figure's time over the baseline's (or throughput over throughput).
    var ratio: Double?
    /// What the numbers mean: sizes, counts, how a baseline was scaled.
    var note: String
    /// The target and its verdict.
    var target: Target?
    /// The value the target is checked against (seconds, MB, a ratio).
    var checked: Double?

    /// "met", or by how much it is missed.
    var verdict: String {
        guard let target, let checked else { return "" }
        switch target {
        case .seconds(let limit), .memoryMB(let limit), .withinTimes(let limit):
            return checked <= limit ? "met" : "missed by \(Row.number(checked / limit))×"
        case .fasterTimes(let limit):
            // `checked` is the ratio figure/baseline; faster means 1/checked.
            let faster = 1 / checked
            return faster >= limit ? "met (\(Row.number(faster))× faster)" : "missed by \(Row.number(limit / faster))× (\(Row.number(faster))× faster)"
        case .throughputShare(let share):
            return checked >= share ? "met" : "missed by \(Row.number(share / checked))×"
        }
    }

    var json: [String: Any] {
        var object: [String: Any] = ["workload": workload, "figure": figure, "note": note]
        if let seconds { object["seconds"] = seconds }
        if let rps { object["rps"] = rps }
        if let maxRSSKB { object["max_rss_kb"] = maxRSSKB }
        if let ratio { object["ratio"] = ratio }
        if let target { object["target"] = target.text; object["verdict"] = verdict }
        return object
    }

    /// Three significant digits, no exponent.
    static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : magnitude >= 0.01 ? 4 : 5
        return String(format: "%.\(decimals)f", value)
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 1 ? "\(number(seconds)) s" : "\(number(seconds * 1000)) ms"
    }
}

/// The table printed at the end of a run, as Markdown (readable in a terminal and pasteable).
enum Table {
    static func render(_ rows: [Row]) -> String {
        let header = ["workload", "figure", "median", "max RSS", "ratio", "target", "verdict", "notes"]
        let cells = rows.map { row -> [String] in
            [row.workload, row.figure,
             row.seconds.map(Row.duration) ?? row.rps.map { "\(Row.number($0)) req/s" } ?? "",
             row.maxRSSKB.map { "\(Row.number(Double($0) / 1024)) MB" } ?? "",
             row.ratio.map { "\(Row.number($0))×" } ?? "",
             row.target?.text ?? "", row.verdict, row.note]
        }
        var text = "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
        for line in cells { text += "| " + line.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return text
    }
}
