@testable import Calendrical
import Testing

/// A date literal for tests: `YYYY-MM-DD`, recording an issue (not crashing) when it is wrong.
func date(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CivilDate {
    guard let date = CivilDate(text) else {
        Issue.record("'\(text)' is not a valid date literal", sourceLocation: sourceLocation)
        return CivilDate(dayNumber: 0)
    }
    return date
}

/// Every day from `from` through `through`, both `YYYY-MM-DD`.
func days(_ from: String, _ through: String) -> [CivilDate] {
    let start = date(from), end = date(through)
    return start <= end ? (start.dayNumber...end.dayNumber).map(CivilDate.init(dayNumber:)) : []
}

/// A holiday break from two `YYYY-MM-DD` literals.
func holiday(_ name: String, _ from: String, _ through: String) -> Holiday {
    Holiday(name: name, from: date(from), through: date(through))
}

/// A make-up working day from a `YYYY-MM-DD` literal.
func makeUp(_ text: String, _ name: String) -> MakeUpWorkday {
    MakeUpWorkday(date: date(text), holiday: name)
}
