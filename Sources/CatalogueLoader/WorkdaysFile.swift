import Calendrical
import Diagnostics
import DutyCore
import Yams

/// Reads `workdays.yaml`: each year's holidays and make-up working days from its notice.
enum WorkdaysFile {
    static func read(_ root: Node, reader: inout YAMLReader) -> [HolidayYear] {
        guard let top = reader.mapping(root, "the working-day calendar", allowed: ["years"]),
              let list = reader.sequence(reader.required(top, "years", in: "the working-day calendar", at: root), "years")
        else { return [] }
        var years: [HolidayYear] = []
        var seen: Set<Int> = []
        for node in list {
            guard let map = reader.mapping(node, "a year", allowed: ["year", "notice", "holidays", "workdays"]) else { continue }
            guard let year = reader.int(reader.required(map, "year", in: "a year", at: node), "year", range: 1949...2100) else { continue }
            if !seen.insert(year).inserted { reader.error("year \(year) is listed twice", at: map["year"]) }
            let notice = reader.string(reader.required(map, "notice", in: "year \(year)", at: node), "notice")
            var holidays: [Holiday] = []
            for item in reader.sequence(map["holidays"], "holidays of \(year)") ?? [] {
                guard let h = reader.mapping(item, "a holiday of \(year)", allowed: ["name", "from", "to"]) else { continue }
                let name = reader.choice(reader.required(h, "name", in: "a holiday of \(year)", at: item), "holiday",
                                         HolidayNames.all, { HolidayNames.all.contains($0) ? $0 : nil })
                let from = reader.date(reader.required(h, "from", in: "a holiday of \(year)", at: item), "from")
                let to = reader.date(reader.required(h, "to", in: "a holiday of \(year)", at: item), "to")
                guard let name, let from, let to else { continue }
                guard from <= to else {
                    reader.error("holiday \(name) of \(year) ends \(to) before it starts \(from)", at: h["to"])
                    continue
                }
                holidays.append(Holiday(name: name, from: from, through: to))
            }
            var makeUps: [MakeUpWorkday] = []
            for item in reader.sequence(map["workdays"], "workdays of \(year)") ?? [] {
                guard let w = reader.mapping(item, "a make-up working day of \(year)", allowed: ["date", "for"]) else { continue }
                let date = reader.date(reader.required(w, "date", in: "a make-up working day", at: item), "date")
                let holiday = reader.string(reader.required(w, "for", in: "a make-up working day", at: item), "for")
                guard let date, let holiday else { continue }
                if !date.isWeekend {
                    reader.error("make-up working day \(date) is a \(date.chineseWeekday), not a weekend day", at: w["date"])
                }
                makeUps.append(MakeUpWorkday(date: date, holiday: holiday))
            }
            guard let notice else { continue }
            years.append(HolidayYear(year: year, notice: notice, holidays: holidays, makeUpWorkdays: makeUps))
        }
        return years
    }
}
