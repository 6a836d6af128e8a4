internal import CLibical
public import Calendrical
internal import Foundation

extension RecurrenceRule {
    /// The dates the rule yields from the anchor `start` (its DTSTART) that fall in `range`,
    /// in order, with `rdates` added and `exdates` removed (RFC 5545 3.8.5).
    ///
    /// As in RFC 5545 with libical and python-dateutil, a `start` that does not itself match
    /// the rule is not an occurrence. Expansion runs libical's recurrence iterator; when the
    /// rule has no COUNT the iterator starts at the range (`icalrecur_iterator_set_start`)
    /// instead of walking from the anchor.
    public func dates(
        anchoredAt start: CivilDate,
        in range: DateRange,
        adding rdates: [CivilDate] = [],
        removing exdates: [CivilDate] = []
    ) -> [CivilDate] {
        var result: [CivilDate] = []
        if range.through >= start {
            var rule = icalrecurrencetype_from_string(iteratorText)
            defer { free(rule.rscale); rule.rscale = nil }
            guard rule.freq != ICAL_NO_RECURRENCE else { return [] }
            guard let iterator = icalrecur_iterator_new(rule, RecurrenceRule.icalDate(start)) else { return [] }
            defer { icalrecur_iterator_free(iterator) }
            if count == nil, range.from > start {
                _ = icalrecur_iterator_set_start(iterator, RecurrenceRule.icalDate(range.from))
            }
            while true {
                let next = icalrecur_iterator_next(iterator)
                if icaltime_is_null_time(next) != 0 { break }
                guard let date = CivilDate(year: Int(next.year), month: Int(next.month), day: Int(next.day)) else { break }
                if date > range.through { break }
                if date >= range.from && date >= start { result.append(date) }
            }
        }
        let extra = rdates.filter { range.contains($0) }
        if !extra.isEmpty { result = Array(Set(result).union(extra)).sorted() }
        if !exdates.isEmpty {
            let removed = Set(exdates)
            result.removeAll { removed.contains($0) }
        }
        return result
    }

    /// Floating midnight of a civil date, the iterator's DTSTART.
    ///
    /// Not a DATE value: libical 3.0.16's iterator mishandles `is_date` starts (FREQ=DAILY
    /// repeats the start, BYMONTH rules drift by a day, the first match is emitted twice),
    /// while floating midnight gives the right days. Only the date part is read back.
    static func icalDate(_ date: CivilDate) -> icaltimetype {
        var time = icaltime_null_time()
        time.year = Int32(date.year)
        time.month = Int32(date.month)
        time.day = Int32(date.day)
        return time
    }
}
