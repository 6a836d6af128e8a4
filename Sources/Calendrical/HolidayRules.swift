import Foundation

/// The statutory holiday rules (全国年节及纪念日放假办法, as revised by 国务院令第795号 and in
/// force since 2025-01-01), used for years whose State Council General Office notice is not
/// out yet.
///
/// Dates derived from them are provisional: each year's notice decides the real breaks, which
/// join the statutory days to weekends, and the make-up working days (调休), which no rule
/// predicts.
public enum HolidayRules {
    /// The statutory days off of `year`, provisional and with no make-up working days.
    ///
    /// 元旦 January 1 (1 day); 春节 农历除夕 through 正月初三 (4 days); 清明节 the day of the 清明
    /// solar term (1 day); 劳动节 May 1–2 (2 days); 端午节 农历五月初五 (1 day); 中秋节 农历八月十五
    /// (1 day); 国庆节 October 1–3 (3 days). The result has no `notice`, so it reports itself as
    /// provisional; a year outside 1–9999 has no holidays.
    public static func provisionalYear(_ year: Int) -> HolidayYear {
        var holidays: [Holiday] = []
        func add(_ name: String, _ start: CivilDate?, days: Int) {
            guard let start else { return }
            holidays.append(Holiday(name: name, from: start, through: start.adding(days: days - 1)))
        }
        add("元旦", CivilDate(year: year, month: 1, day: 1), days: 1)
        // 除夕 is the day before 正月初一, whether the twelfth month has 29 or 30 days.
        add("春节", lunarNewYear(year)?.adding(days: -1), days: 4)
        add("清明节", qingming(year), days: 1)
        add("劳动节", CivilDate(year: year, month: 5, day: 1), days: 2)
        add("端午节", dragonBoatFestival(year), days: 1)
        add("中秋节", midAutumnFestival(year), days: 1)
        add("国庆节", CivilDate(year: year, month: 10, day: 1), days: 3)
        return HolidayYear(year: year, notice: nil, holidays: holidays, makeUpWorkdays: [])
    }

    // MARK: - Lunar dates

    /// 农历正月初一 (Spring Festival) that falls in the Gregorian `year`.
    static func lunarNewYear(_ year: Int) -> CivilDate? {
        lunarDate(month: 1, day: 1, in: year, searching: (1, 10), (3, 10))
    }

    /// 农历五月初五 (端午) in the Gregorian `year`; never the day of a leap fifth month.
    static func dragonBoatFestival(_ year: Int) -> CivilDate? {
        lunarDate(month: 5, day: 5, in: year, searching: (5, 10), (7, 10))
    }

    /// 农历八月十五 (中秋) in the Gregorian `year`; never the day of a leap eighth month.
    static func midAutumnFestival(_ year: Int) -> CivilDate? {
        lunarDate(month: 8, day: 15, in: year, searching: (8, 20), (10, 31))
    }

    /// The first day between two month-days of `year` that is day `day` of the ordinary (not
    /// leap) lunar month `month`; the window is wide enough to hold the date in any year.
    private static func lunarDate(
        month: Int, day: Int, in year: Int, searching first: (Int, Int), _ last: (Int, Int)
    ) -> CivilDate? {
        guard let from = CivilDate(year: year, month: first.0, day: first.1),
              let through = CivilDate(year: year, month: last.0, day: last.1) else { return nil }
        let calendar = chineseCalendar
        for dayNumber in from.dayNumber...through.dayNumber {
            // Noon in Beijing, so the instant lies well inside the civil day.
            let instant = Date(timeIntervalSince1970: TimeInterval(dayNumber) * 86_400 + 4 * 3_600)
            let parts = calendar.dateComponents([.month, .day, .isLeapMonth], from: instant)
            if parts.month == month, parts.day == day, parts.isLeapMonth != true {
                return CivilDate(dayNumber: dayNumber)
            }
        }
        return nil
    }

    /// Foundation's Chinese lunisolar calendar, reckoned in Beijing time.
    private static let chineseCalendar: Calendar = {
        var calendar = Calendar(identifier: .chinese)
        calendar.timeZone = beijing
        return calendar
    }()

    /// Asia/Shanghai, or a fixed UTC+8 where the zone database lacks it.
    private static let beijing: TimeZone =
        TimeZone(identifier: "Asia/Shanghai")
        ?? TimeZone(identifier: "Etc/GMT-8")
        ?? TimeZone(secondsFromGMT: 8 * 3_600)
        ?? TimeZone.current

    // MARK: - 清明

    /// The day of the 清明 solar term (the Sun at apparent ecliptic longitude 15°) in `year`,
    /// Beijing time: April 4 or 5 in the 21st century.
    ///
    /// From 1900 through 2099 it uses the standard formula
    /// `[Y × 0.2422 + C] − [Y / 4]` (Y the last two digits of the year, C = 5.59 in the 20th
    /// century and 4.81 in the 21st), which has no exceptions for 清明 in those two centuries;
    /// other years use an astronomical computation of the Sun's longitude.
    static func qingming(_ year: Int) -> CivilDate? {
        if (1900...2099).contains(year) {
            let y = year % 100
            let c = year >= 2000 ? 4.81 : 5.59
            let day = Int((Double(y) * 0.2422 + c).rounded(.down)) - y / 4
            return CivilDate(year: year, month: 4, day: day)
        }
        return solarTermDay(longitude: 15, year: year, near: (4, 4))
    }

    /// The Beijing civil day on which the Sun's apparent longitude reaches `longitude` degrees,
    /// searched for around a month-day of `year` (Meeus, Astronomical Algorithms, ch. 25).
    static func solarTermDay(longitude: Double, year: Int, near: (Int, Int)) -> CivilDate? {
        guard let guess = CivilDate(year: year, month: near.0, day: near.1) else { return nil }
        // Julian Day (UT) of the guess's midnight UT.
        var jd = Double(guess.dayNumber) + 2_440_587.5
        let deltaT = deltaTSeconds(year) / 86_400
        for _ in 0..<10 {
            let gap = remainder(longitude - apparentSolarLongitude(julianEphemerisDay: jd + deltaT), 360)
            jd += gap * 365.2422 / 360
            if abs(gap) < 1e-7 { break }
        }
        // Beijing is UT+8; JD counts from noon, so shift by half a day to count from midnight.
        let beijingDays = jd - 2_440_587.5 + 8.0 / 24
        return CivilDate(dayNumber: Int(beijingDays.rounded(.down)))
    }

    /// The Sun's apparent geocentric longitude in degrees at a Julian Ephemeris Day, to about
    /// 0.01° (Meeus, Astronomical Algorithms, ch. 25, low accuracy).
    static func apparentSolarLongitude(julianEphemerisDay jde: Double) -> Double {
        let t = (jde - 2_451_545) / 36_525
        let radian = Double.pi / 180
        let meanLongitude = 280.46646 + 36_000.76983 * t + 0.0003032 * t * t
        let meanAnomaly = (357.52911 + 35_999.05029 * t - 0.0001537 * t * t) * radian
        let center = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(meanAnomaly)
            + (0.019993 - 0.000101 * t) * sin(2 * meanAnomaly)
            + 0.000289 * sin(3 * meanAnomaly)
        let node = (125.04 - 1_934.136 * t) * radian
        let apparent = meanLongitude + center - 0.00569 - 0.00478 * sin(node)
        let wrapped = apparent.truncatingRemainder(dividingBy: 360)
        return wrapped < 0 ? wrapped + 360 : wrapped
    }

    /// TT − UT in seconds, by the long-term parabola of Morrison and Stephenson (2004); a
    /// minute or two off near the present, which moves a solar term by as much.
    static func deltaTSeconds(_ year: Int) -> Double {
        let u = (Double(year) - 1_820) / 100
        return -20 + 32 * u * u
    }
}
