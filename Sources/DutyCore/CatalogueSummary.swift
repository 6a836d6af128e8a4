/// Counts of a catalogue's duties by document and schedule kind.
public enum CatalogueSummary {
    /// A Markdown table: one row per document, one column per schedule kind, with totals.
    /// A duty with several schedules counts once under each kind it uses.
    public static func markdownTable(_ catalogue: Catalogue) -> String {
        let kinds = ScheduleKind.allCases
        var rows: [String] = []
        rows.append("| document | " + kinds.map(\.rawValue).joined(separator: " | ") + " | duties |")
        rows.append("|---|" + kinds.map { _ in "---:" }.joined(separator: "|") + "|---:|")
        var totals = [ScheduleKind: Int]()
        for id in catalogue.documents.keys.sorted() {
            let duties = catalogue.duties.filter { $0.document == id }
            var counts = [ScheduleKind: Int]()
            for duty in duties {
                for kind in Set(duty.entries.map(\.schedule.kind)) { counts[kind, default: 0] += 1 }
            }
            for (kind, n) in counts { totals[kind, default: 0] += n }
            let title = catalogue.documents[id]?.title ?? id.rawValue
            rows.append("| `\(id)` \(title) | " + kinds.map { String(counts[$0] ?? 0) }.joined(separator: " | ") + " | \(duties.count) |")
        }
        rows.append("| **all** | " + kinds.map { String(totals[$0] ?? 0) }.joined(separator: " | ") + " | \(catalogue.duties.count) |")
        return rows.joined(separator: "\n")
    }
}
