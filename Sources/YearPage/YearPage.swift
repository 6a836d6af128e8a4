public import Calendrical
import Foundation
import Mustache

/// One duty occurrence on the year page.
public struct YearPageItem: Sendable, Hashable {
    /// Where an item stands.
    public enum State: String, Sendable {
        case pending, done, overdue
    }

    public let title: String
    /// `periodic`, `quota`, `window`, `phase`, … (the schedule kind).
    public let kind: String
    public let start: CivilDate
    public let due: CivilDate
    public let state: State
    public let provisional: Bool

    /// An item.
    public init(title: String, kind: String, start: CivilDate, due: CivilDate, state: State, provisional: Bool) {
        self.title = title
        self.kind = kind
        self.start = start
        self.due = due
        self.state = state
        self.provisional = provisional
    }
}

/// The year at a glance (年度工作安排表): twelve month grids with each duty's days marked by
/// kind, holidays and make-up working days shaded, and each month's items with their done
/// and overdue states; printable on A4 landscape.
public struct YearPage: Sendable {
    private let template: MustacheTemplate

    /// Loads the template shipped with the module.
    public init() throws {
        guard let url = Bundle.module.url(forResource: "year.html", withExtension: "mustache", subdirectory: "Templates")
            ?? Bundle.module.url(forResource: "year.html", withExtension: "mustache") else {
            throw YearPageError(description: "the year page template year.html.mustache is missing from the installation")
        }
        template = try MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }

    /// The HTML page of `year` for a unit or body.
    public func render(year: Int, title: String, subtitle: String, items: [YearPageItem], calendar: WorkCalendar, asOf: CivilDate) -> String {
        let inYear = items.filter { $0.due.year == year || $0.start.year == year }
        let months = (1...12).map { month in monthView(year: year, month: month, items: inYear, calendar: calendar, asOf: asOf) }
        let provisional = calendar.isProvisional(year: year)
        let view: [String: Any] = [
            "title": title, "subtitle": subtitle, "asOfLabel": asOf.chinese, "months": months,
            "total": inYear.count, "doneCount": inYear.filter { $0.state == .done }.count,
            "overdueCount": inYear.filter { $0.state == .overdue }.count,
            "provisionalNote": provisional ? "\(year)年尚无国务院办公厅放假安排，节假日为暂定" : "",
        ]
        return template.render(view)
    }

    func monthView(year: Int, month: Int, items: [YearPageItem], calendar: WorkCalendar, asOf: CivilDate) -> [String: Any] {
        let first = CivilDate(year: year, month: month, day: 1)!
        let last = first.lastOfMonth
        let mine = items.filter { $0.start <= last && $0.due >= first }
        var days: [[String: Any]] = Array(repeating: ["classes": "", "hint": ""], count: first.weekday - 1)
        var workdays = 0
        var day = first
        while day <= last {
            let kind = calendar.kind(of: day)
            if kind.isWorking { workdays += 1 }
            var classes: [String] = []
            var hint = ""
            switch kind {
            case .holiday(let name): classes.append("holiday"); hint = name
            case .makeUpWorkday(let name): classes.append("makeup"); hint = "\(name)调休上班"
            case .weekend: classes.append("weekend")
            case .workday: break
            }
            if day == asOf { classes.append("today") }
            var marks: [String] = []
            for item in mine where item.due == day && item.kind != "quota" { marks.append(item.kind == "window" || item.kind == "phase" ? item.kind : "deadline") }
            if mine.contains(where: { ($0.kind == "window" || $0.kind == "phase") && $0.start <= day && day <= $0.due }) { classes.append("span") }
            days.append(["day": day.day, "classes": classes.joined(separator: " "), "hint": hint, "marks": Array(Set(marks)).sorted()])
            day = day.adding(days: 1)
        }
        while days.count % 7 != 0 { days.append(["classes": "", "hint": ""]) }
        let weeks = stride(from: 0, to: days.count, by: 7).map { ["days": Array(days[$0..<$0 + 7])] }
        let listed = mine.filter { $0.due.month == month && $0.due.year == year }
            .sorted { ($0.due, $0.title) < ($1.due, $1.title) }
        let itemViews: [[String: Any]] = listed.prefix(14).map { item in
            [
                "title": item.title, "state": item.state.rawValue, "provisional": item.provisional,
                "dateLabel": item.kind == "quota" ? "本月" : "\(item.due.month)/\(item.due.day)",
                "symbol": item.state == .done ? "✓ " : item.state == .overdue ? "! " : "",
            ]
        }
        var view: [String: Any] = ["label": "\(year)年\(month)月", "workdays": workdays, "weeks": weeks, "items": itemViews]
        if listed.count > 14 { view["items"] = itemViews + [["title": "另有\(listed.count - 14)项", "state": "more", "dateLabel": "", "symbol": ""]] }
        return view
    }
}

/// The year page cannot be rendered.
public struct YearPageError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
