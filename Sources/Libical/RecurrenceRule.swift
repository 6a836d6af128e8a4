internal import CLibical
import Diagnostics

internal import Foundation

/// An RFC 5545 recurrence rule (the value of an `RRULE` property), checked by libical.
///
/// The value holds the rule's text and what was read from it; every expansion hands the
/// text to libical again, so the value is freely `Sendable`.
public struct RecurrenceRule: Hashable, Sendable, CustomStringConvertible {
    /// How often a rule repeats.
    public enum Frequency: String, Sendable, CaseIterable {
        case secondly = "SECONDLY", minutely = "MINUTELY", hourly = "HOURLY"
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    /// The rule as written, e.g. `FREQ=MONTHLY;BYMONTHDAY=10`.
    public let text: String
    /// The rule as handed to libical's iterator: a DATE `UNTIL` becomes the end of that
    /// day, since the iterator runs on floating midnights and would otherwise drop the
    /// UNTIL day itself, which RFC 5545 includes.
    let iteratorText: String
    /// The rule's `FREQ`.
    public let frequency: Frequency
    /// The rule's `INTERVAL` (1 when absent).
    public let interval: Int
    /// The rule's `COUNT`, if any.
    public let count: Int?
    /// True when the rule has an `UNTIL`.
    public let hasUntil: Bool
    /// True when the rule has a BY-part that can yield several dates per interval
    /// (a list in BYMONTHDAY, BYDAY, BYMONTH, BYYEARDAY, BYWEEKNO or BYSETPOS).
    public let hasMultipleDatesPerInterval: Bool

    /// Reads `text` with libical; throws when libical rejects it.
    public init(_ text: String) throws(RecurrenceRuleError) {
        let trimmed = text.hasPrefix("RRULE:") ? String(text.dropFirst(6)) : text
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw RecurrenceRuleError(rule: text, problem: "a rule is ASCII with no spaces, e.g. FREQ=MONTHLY;BYMONTHDAY=10")
        }
        // libical ignores some malformed parts; check the part names and FREQ first so the
        // message can say what is wrong.
        var names: Set<String> = []
        for part in trimmed.split(separator: ";", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, !pieces[1].isEmpty else {
                throw RecurrenceRuleError(rule: text, problem: "'\(part)' is not NAME=VALUE")
            }
            let name = String(pieces[0])
            guard RecurrenceRule.partNames.contains(name) else {
                let hint = Suggestion.nearest(to: name, in: RecurrenceRule.partNames.sorted()).map { " (did you mean \($0)?)" } ?? ""
                throw RecurrenceRuleError(rule: text, problem: "unknown part '\(name)'\(hint)")
            }
            guard names.insert(name).inserted else {
                throw RecurrenceRuleError(rule: text, problem: "'\(name)' appears twice")
            }
            if name == "FREQ", Frequency(rawValue: String(pieces[1])) == nil {
                throw RecurrenceRuleError(
                    rule: text,
                    problem: "FREQ '\(pieces[1])' is not a frequency: expected DAILY, WEEKLY, MONTHLY or YEARLY")
            }
        }
        guard names.contains("FREQ") else {
            throw RecurrenceRuleError(rule: text, problem: "FREQ is missing: expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
        }
        if names.contains("COUNT") && names.contains("UNTIL") {
            throw RecurrenceRuleError(rule: text, problem: "COUNT and UNTIL cannot both be given (RFC 5545 3.3.10)")
        }

        dutycal_clear_icalerrno()
        var rule = icalrecurrencetype_from_string(trimmed)
        defer { free(rule.rscale); rule.rscale = nil }
        guard rule.freq != ICAL_NO_RECURRENCE, dutycal_icalerrno() == ICAL_NO_ERROR else {
            throw RecurrenceRuleError(rule: text, problem: "libical rejects it (check each BY-part's values)")
        }
        let frequency: Frequency = switch rule.freq {
        case ICAL_SECONDLY_RECURRENCE: .secondly
        case ICAL_MINUTELY_RECURRENCE: .minutely
        case ICAL_HOURLY_RECURRENCE: .hourly
        case ICAL_DAILY_RECURRENCE: .daily
        case ICAL_WEEKLY_RECURRENCE: .weekly
        case ICAL_MONTHLY_RECURRENCE: .monthly
        default: .yearly
        }
        self.text = trimmed
        self.iteratorText = trimmed.split(separator: ";").map { part in
            part.hasPrefix("UNTIL=") && part.count == 14 ? "\(part)T235959" : String(part)
        }.joined(separator: ";")
        self.frequency = frequency
        self.interval = max(1, Int(rule.interval))
        self.count = rule.count > 0 ? Int(rule.count) : nil
        self.hasUntil = icaltime_is_null_time(rule.until) == 0
        self.hasMultipleDatesPerInterval = trimmed.split(separator: ";").contains { part in
            let pieces = part.split(separator: "=", maxSplits: 1)
            return ["BYMONTHDAY", "BYDAY", "BYMONTH", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"].contains(String(pieces[0]))
                && pieces[1].contains(",")
        }
    }

    public var description: String { text }

    /// Part names RFC 5545 section 3.3.10 allows, plus RFC 7529's RSCALE and SKIP.
    static let partNames: Set<String> = [
        "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
        "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST", "RSCALE", "SKIP",
    ]
}

/// A recurrence rule that libical (or RFC 5545) does not accept.
public struct RecurrenceRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule as given.
    public let rule: String
    /// What is wrong with it.
    public let problem: String

    public var description: String { "invalid rule '\(rule)': \(problem)" }
}
