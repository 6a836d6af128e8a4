import ArgumentParser
import Calendrical
import CatalogueLoader

extension DutyCal {
    /// `dutycal workdays`: a year of China's working-day calendar.
    struct Workdays: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a year's working-day calendar: holidays, make-up working days and a month grid.")

        @OptionGroup var catalogue: CatalogueOptions

        @Option(help: "The year (default: this year in Asia/Shanghai).")
        var year: Int?

        func run() throws {
            let loaded = try catalogue.load()
            let year = year ?? Clock.today().year
            guard (1949...2100).contains(year) else {
                throw ValidationError("--year \(year) is out of range: give a year from 1949 to 2100")
            }
            Console.out(WorkdaysReport.render(year: year, calendar: loaded.workCalendar))
        }
    }
}

/// The text `dutycal workdays` prints.
enum WorkdaysReport {
    static func render(year: Int, calendar: WorkCalendar) -> String {
        let data = calendar.year(year)
        var out = "\(year)年工作日历\n"
        out += data.notice.map { "依据：\($0)\n" }
            ?? "暂定：尚无国务院办公厅\(year)年部分节假日安排通知，按《全国年节及纪念日放假办法》推算法定假日，无调休。\n"
        out += "\n放假安排：\n"
        for holiday in data.holidays {
            let days = holiday.from.days(to: holiday.through) + 1
            out += "  \(holiday.name)：\(holiday.from.chineseMonthDay)至\(holiday.through.chineseMonthDay)，共\(days)天\n"
        }
        if !data.makeUpWorkdays.isEmpty {
            out += "调休上班：\n"
            for day in data.makeUpWorkdays {
                out += "  \(day.date.chineseMonthDay)（\(day.date.chineseWeekday)）上班（\(day.holiday)）\n"
            }
        }
        var workingDays = 0
        out += "\n图例：数字=工作日  [数字]=休息日  *数字=调休上班  (数字)=节假日\n"
        for month in 1...12 {
            let first = CivilDate(year: year, month: month, day: 1)!
            var monthWorking = 0
            var line = "  一    二    三    四    五    六    日\n"
            line += String(repeating: "      ", count: first.weekday - 1)
            var day = first
            while day.month == month {
                let kind = calendar.kind(of: day)
                if kind.isWorking { monthWorking += 1 }
                let n = day.day < 10 ? " \(day.day)" : "\(day.day)"
                let cell: String = switch kind {
                case .workday: "  \(n)  "
                case .weekend: " [\(n)] "
                case .makeUpWorkday: " *\(n)  "
                case .holiday: " (\(n)) "
                }
                line += cell + (day.weekday == 7 ? "\n" : "")
                day = day.adding(days: 1)
            }
            if !line.hasSuffix("\n") { line += "\n" }
            workingDays += monthWorking
            out += "\n\(year)年\(month)月（工作日\(monthWorking)天）\n" + line
        }
        out += "\n全年工作日：\(workingDays)天\n"
        return out
    }
}
