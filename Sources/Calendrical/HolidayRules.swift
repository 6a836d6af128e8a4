import Foundation

/// The statutory holiday rules (全国年节及纪念日放假办法), used for years whose official
/// notice is not out yet. Dates from them are provisional: the notice decides the real
/// breaks and make-up days.
public enum HolidayRules {
    /// The statutory days off of `year` with no make-up working days.
    public static func provisionalYear(_ year: Int) -> HolidayYear {
        var holidays: [Holiday] = []
        func add(_ name: String, _ month: Int, _ day: Int, _ length: Int) {
            guard let start = CivilDate(year: year, month: month, day: day) else { return }
            holidays.append(Holiday(name: name, from: start, through: start.adding(days: length - 1)))
        }
        add("元旦", 1, 1, 1)
        add("劳动节", 5, 1, 2)
        add("国庆节", 10, 1, 3)
        return HolidayYear(year: year, notice: nil, holidays: holidays, makeUpWorkdays: [])
    }
}
