package import Calendrical
package import DutyCore
package import Export
package import Libical

extension ICalendarExporter {
    /// The all-day event of an occurrence: start through due date, in Chinese, with
    /// sequence 0 and `stamp` until the exporter applies the change-tracking state.
    package static func event(for item: OccurrenceRecord, alarms: Bool, stamp: ICalendarTimestamp) throws(ExportError) -> ICalendarEvent {
        guard let start = CivilDate(item.start), let due = CivilDate(item.due) else {
            throw ExportError("occurrence \(item.id) has dates '\(item.start)' and '\(item.due)': expected YYYY-MM-DD")
        }
        guard start <= due else {
            throw ExportError("occurrence \(item.id) starts \(item.start), after its due date \(item.due)")
        }
        let summary = summary(for: item)
        var event = ICalendarEvent(
            uid: uid(for: item.id), summary: summary, description: description(for: item, start: start, due: due),
            categories: categories(for: item), start: start, end: due.adding(days: 1), stamp: stamp,
            status: item.completedOn == nil && item.provisional ? .tentative : .confirmed, transparency: .transparent)
        if alarms {
            event.alarms = Set(item.leadDays.filter { $0 >= 0 }).sorted(by: >).map {
                alarm(leadDays: $0, summary: summary, due: due)
            }
        }
        return event
    }

    /// `✓ 【责任主体】标题（不少于N次）[暂定]`: a tick when done, the body's name (the unit's when there is no
    /// body), the duty's title, a quota's minimum count, and a mark on dates that depend on
    /// holidays not announced yet.
    package static func summary(for item: OccurrenceRecord) -> String {
        var summary = item.completedOn == nil ? "" : "✓ "
        if let owner = item.bodyName ?? item.unitName, !owner.isEmpty { summary += "【\(owner)】" }
        summary += item.title
        if let count = item.count { summary += "（不少于\(count)次）" }
        if item.provisional { summary += "[暂定]" }
        return summary
    }

    /// What the event's description says, one fact a line: who, level, kind, period, the
    /// days, the due date and why it moved, the quota, the source (document, clause,
    /// quoted text), the note and the occurrence's id.
    package static func description(for item: OccurrenceRecord, start: CivilDate, due: CivilDate) -> String {
        var lines: [String] = []
        var owner = [item.unitName, item.bodyName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if owner.isEmpty {
            owner = item.body
        } else if !item.body.isEmpty, !(item.bodyName ?? "").contains(item.body) {
            owner += "（\(item.body)）"  // the catalogue's role, when the name does not say it
        }
        if !owner.isEmpty { lines.append("责任主体：\(owner)") }
        if !item.levels.isEmpty { lines.append("层级：\(item.levels.joined(separator: "、"))") }
        lines.append("类型：\(item.kindLabel)")
        lines.append("周期：\(item.periodLabel)")
        if start < due { lines.append("时段：\(start.chinese)至\(due.chinese)") }
        lines.append("截止日期：\(due.chinese)（\(due.chineseWeekday)）")
        if let adjustment = item.adjustment, !adjustment.isEmpty {
            lines.append("日期调整：\(adjustment)")
        } else if item.originalDue != item.due, let original = CivilDate(item.originalDue) {
            lines.append("原定截止日期：\(original.chinese)")
        }
        if let count = item.count { lines.append("频次：本周期内不少于\(count)次") }
        if item.provisional { lines.append("日期暂定：所依据年份的节假日安排尚未公布，公布后可能调整") }
        if let done = item.completedOn {
            lines.append("已完成：\(done)" + (item.count.map { "（已登记\(item.completions ?? 0)次，应不少于\($0)次）" } ?? ""))
        }
        let document = item.documentTitle.isEmpty ? item.document : "《\(item.documentTitle)》"
        if !document.isEmpty || !item.clause.isEmpty { lines.append("依据：\(document)\(item.clause)") }
        if !item.quote.isEmpty { lines.append("“\(item.quote)”") }
        if let note = item.note, !note.isEmpty { lines.append("说明：\(note)") }
        lines.append("事项编号：\(item.id)")
        return lines.joined(separator: "\n")
    }

    /// The kind's label then the duty's tags, without repeats.
    package static func categories(for item: OccurrenceRecord) -> [String] {
        var seen: Set<String> = []
        return ([item.kindLabel] + item.tags).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// A reminder `leadDays` days before the due date, at 09:00.
    ///
    /// The trigger counts back from the event's end, since the reminder is about the due
    /// date whatever the start: `DTEND` is the day after the due date, so the alarm is
    /// `leadDays + 1` days before it plus 9 hours, written
    /// `TRIGGER;RELATED=END:-P{leadDays}DT15H` (`-PT15H` on the due date itself). For a
    /// deadline (start = due) this is the same instant as counting from the start.
    package static func alarm(leadDays: Int, summary: String, due: CivilDate) -> ICalendarAlarm {
        let when = leadDays == 0 ? "今天到期" : "\(leadDays)天后到期"
        return ICalendarAlarm(daysBefore: leadDays + 1, related: .end, hour: alarmHour,
                              description: "\(summary)：\(when)（\(due.chinese)，\(due.chineseWeekday)）")
    }
}
