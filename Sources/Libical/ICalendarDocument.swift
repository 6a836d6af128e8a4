public import Calendrical

/// An iCalendar object (RFC 5545 `VCALENDAR`) as Swift values: calendar properties and
/// all-day events, serialized through libical's component API (`serialized()`) and read
/// back with libical's parser (`init(parsing:)`).
///
/// Text values are written trimmed of white space at both ends, with line breaks as `\n`
/// and no other control characters; empty optional values are left out. A document whose
/// text values are so normalized reads back equal.
///
/// What it writes: `PRODID`, `VERSION:2.0`, `CALSCALE:GREGORIAN`; `METHOD` when `method`
/// is set; `NAME` and `X-WR-CALNAME` from `name`; `REFRESH-INTERVAL;VALUE=DURATION` and
/// `X-PUBLISHED-TTL` from `refreshHours` (feeds only: not with a `METHOD`); `X-WR-TIMEZONE`
/// and the zone's `VTIMEZONE` (with its plain TZID, e.g. `Asia/Shanghai`) from `timeZone`;
/// then the events in order. Lines end in CRLF and are folded at 75 octets on UTF-8
/// character boundaries.
public struct ICalendarDocument: Hashable, Sendable {
    /// `PRODID`, e.g. `-//DutyCalendar//dutycal 1.0//ZH`.
    public var productID: String
    /// The calendar's display name (`NAME`, RFC 7986, and `X-WR-CALNAME` for older clients).
    public var name: String?
    /// How often subscribers should refresh, in hours (`REFRESH-INTERVAL`, RFC 7986, and
    /// `X-PUBLISHED-TTL`); written only without a `method`, since it is a feed property.
    public var refreshHours: Int?
    /// The iTIP method: nil for subscription feeds and CalDAV objects, `PUBLISH` for an
    /// email attachment. With a method every event must have an `organizer` (RFC 5546).
    public var method: String?
    /// A builtin time zone (e.g. `Asia/Shanghai`) whose `VTIMEZONE` is included, with its
    /// plain name as TZID, and named in `X-WR-TIMEZONE`; nil for none.
    public var timeZone: String?
    /// The events, in the order they are written.
    public var events: [ICalendarEvent]

    /// A document.
    public init(productID: String, name: String? = nil, refreshHours: Int? = nil, method: String? = nil,
                timeZone: String? = nil, events: [ICalendarEvent] = []) {
        self.productID = productID
        self.name = name
        self.refreshHours = refreshHours
        self.method = method
        self.timeZone = timeZone
        self.events = events
    }
}

/// An all-day event (`VEVENT` with `DTSTART;VALUE=DATE` and an exclusive
/// `DTEND;VALUE=DATE`).
public struct ICalendarEvent: Hashable, Sendable {
    /// `STATUS` of an event.
    public enum Status: String, Hashable, Sendable {
        case tentative = "TENTATIVE", confirmed = "CONFIRMED", cancelled = "CANCELLED"
    }

    /// `TRANSP`: whether the event blocks time in free/busy searches.
    public enum Transparency: String, Hashable, Sendable {
        case opaque = "OPAQUE", transparent = "TRANSPARENT"
    }

    /// `UID`, globally unique and stable across exports.
    public var uid: String
    /// `SUMMARY`, the title calendar views show.
    public var summary: String
    /// `DESCRIPTION`; may span lines.
    public var description: String?
    /// `CATEGORIES`, in order. Commas, semicolons and backslashes in a category are
    /// written as their full-width forms (`，；＼`), since libical writes the list unescaped.
    public var categories: [String]
    /// The first day.
    public var start: CivilDate
    /// The day after the last day (`DTEND` is exclusive); must be after `start`.
    public var end: CivilDate
    /// `DTSTAMP`, UTC.
    public var stamp: ICalendarTimestamp
    /// `LAST-MODIFIED`, UTC; nil to leave it out.
    public var lastModified: ICalendarTimestamp?
    /// `SEQUENCE`: how many times the event changed.
    public var sequence: Int
    /// `STATUS`; nil to leave it out.
    public var status: Status?
    /// `TRANSP`; nil to leave it out (clients then treat it as opaque).
    public var transparency: Transparency?
    /// `URL`; nil to leave it out.
    public var url: String?
    /// `ORGANIZER`; required on every event of a document with a `method`.
    public var organizer: ICalendarOrganizer?
    /// Extra `X-` properties, in order (names start with `X-`; values are unstructured text).
    public var xProperties: [ICalendarXProperty]
    /// Reminders (`VALARM`), in order.
    public var alarms: [ICalendarAlarm]

    /// An event.
    public init(uid: String, summary: String, description: String? = nil, categories: [String] = [],
                start: CivilDate, end: CivilDate, stamp: ICalendarTimestamp, lastModified: ICalendarTimestamp? = nil,
                sequence: Int = 0, status: Status? = nil, transparency: Transparency? = nil, url: String? = nil,
                organizer: ICalendarOrganizer? = nil, xProperties: [ICalendarXProperty] = [], alarms: [ICalendarAlarm] = []) {
        self.uid = uid
        self.summary = summary
        self.description = description
        self.categories = categories
        self.start = start
        self.end = end
        self.stamp = stamp
        self.lastModified = lastModified
        self.sequence = sequence
        self.status = status
        self.transparency = transparency
        self.url = url
        self.organizer = organizer
        self.xProperties = xProperties
        self.alarms = alarms
    }
}

/// A display reminder (`VALARM` with `ACTION:DISPLAY`) at a time of day some days before
/// the event's start or end.
///
/// The trigger is `daysBefore` days before the related edge plus `hour` hours: for an
/// all-day event, whose edges are midnights, `ICalendarAlarm(daysBefore: 3, related: .end,
/// hour: 9)` with an exclusive `DTEND` of 2026-03-11 (last day 03-10) fires at 09:00 on
/// 2026-03-08 and is written `TRIGGER;RELATED=END:-P2DT15H` (2 days 15 hours before the end).
public struct ICalendarAlarm: Hashable, Sendable {
    /// Which edge of the event the trigger counts from (`RELATED`).
    public enum Edge: String, Hashable, Sendable {
        case start = "START", end = "END"
    }

    /// Whole days counted back from the related edge's day (0 for the edge's own day).
    public var daysBefore: Int
    /// The edge the days count from. For an all-day event `.end` is the exclusive `DTEND`,
    /// the day after the last day.
    public var related: Edge
    /// The hour of the day (0–23) the alarm fires at.
    public var hour: Int
    /// The alarm's `DESCRIPTION`, the text the reminder shows (RFC 5545 requires one).
    public var description: String

    /// An alarm `daysBefore` days before `related`'s day, at `hour` o'clock.
    public init(daysBefore: Int, related: Edge, hour: Int = 0, description: String) {
        self.daysBefore = daysBefore
        self.related = related
        self.hour = hour
        self.description = description
    }

    /// The trigger's signed offset from the related edge, in seconds.
    public var offsetSeconds: Int { (-daysBefore * 24 + hour) * 3600 }
}

/// `ORGANIZER`: a calendar user address and an optional common name (`CN`).
public struct ICalendarOrganizer: Hashable, Sendable {
    /// A URI, usually `mailto:someone@example.org`.
    public var address: String
    /// The display name (`CN`); double quotes in it are written as `'`, which parameter
    /// values cannot hold.
    public var commonName: String?

    /// An organizer.
    public init(address: String, commonName: String? = nil) {
        self.address = address
        self.commonName = commonName
    }
}

/// An `X-` property: a name beginning with `X-` and an unstructured text value.
public struct ICalendarXProperty: Hashable, Sendable {
    /// The name, e.g. `X-DUTYCAL-KIND`.
    public var name: String
    /// The value as text (libical escapes backslashes and line breaks in it).
    public var value: String

    /// An X-property.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A UTC instant to the second, as iCalendar writes it: `20260315T083000Z`.
public struct ICalendarTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    /// A timestamp from its fields; nil when they do not name a real instant.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard CivilDate(year: year, month: month, day: day) != nil,
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses the basic UTC form `yyyyMMdd'T'HHmmss'Z'`; nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let mo = number(4..<6), let d = number(6..<8),
              let h = number(9..<11), let mi = number(11..<13), let s = number(13..<15) else { return nil }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// `yyyyMMdd'T'HHmmss'Z'`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))T\(pad(hour, 2))\(pad(minute, 2))\(pad(second, 2))Z"
    }

    public static func < (lhs: ICalendarTimestamp, rhs: ICalendarTimestamp) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }
}

/// Why a document could not be written or read.
public struct ICalendarError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed and what to do.
    public let description: String

    /// An error with a message naming what failed and what to do.
    public init(_ description: String) { self.description = description }
}
