internal import CLibical
import Calendrical
internal import Foundation

extension ICalendarDocument {
    /// The document as iCalendar text: built as a libical component tree, written by
    /// `icalcomponent_as_ical_string_r`, then folded again at 75 octets on UTF-8 character
    /// boundaries (see `ICalendarFolding` for what libical's own folding gets wrong).
    ///
    /// Throws, listing every problem, when the document is not valid: an empty UID or
    /// PRODID, two events with one UID, an event whose end is not after its start, a
    /// method without an organizer on every event, an unknown method or time zone, an
    /// X-property name that does not start with `X-`, an alarm hour outside 0–23.
    public func serialized() throws(ICalendarError) -> String {
        String(decoding: try serializedUTF8(), as: UTF8.self)
    }

    /// The document as UTF-8 bytes; see `serialized()`.
    public func serializedUTF8() throws(ICalendarError) -> [UInt8] {
        let problems = self.problems
        guard problems.isEmpty else { throw ICalendarError(problems.joined(separator: "; ")) }
        let utc = try ICalendarTimeZones.utc()

        guard let calendar = icalcomponent_new(ICAL_VCALENDAR_COMPONENT) else {
            throw ICalendarError("libical could not make a VCALENDAR (out of memory?)")
        }
        defer { icalcomponent_free(calendar) }

        try add(icalproperty_new_prodid(Self.line(productID)), to: calendar, "PRODID")
        try add(icalproperty_new_version("2.0"), to: calendar, "VERSION")
        try add(icalproperty_new_calscale("GREGORIAN"), to: calendar, "CALSCALE")
        if let method {
            try add(icalproperty_new_method(icalproperty_string_to_method(method)), to: calendar, "METHOD")
        }
        if let name {
            try add(icalproperty_new_name(Self.line(name)), to: calendar, "NAME")
            try add(Self.xProperty("X-WR-CALNAME", Self.line(name)), to: calendar, "X-WR-CALNAME")
        }
        if let timeZone {
            try add(Self.xProperty("X-WR-TIMEZONE", timeZone), to: calendar, "X-WR-TIMEZONE")
        }
        if let refreshHours, method == nil {
            var duration = icaldurationtype_null_duration()
            duration.hours = UInt32(refreshHours)
            let refresh = icalproperty_new_refreshinterval(duration)
            // RFC 7986 requires the VALUE parameter; libical does not add it.
            if let refresh { icalproperty_add_parameter(refresh, icalparameter_new_value(ICAL_VALUE_DURATION)) }
            try add(refresh, to: calendar, "REFRESH-INTERVAL")
            try add(Self.xProperty("X-PUBLISHED-TTL", "PT\(refreshHours)H"), to: calendar, "X-PUBLISHED-TTL")
        }
        if let timeZone {
            icalcomponent_add_component(calendar, try ICalendarTimeZones.component(for: timeZone))
        }
        for event in events {
            icalcomponent_add_component(calendar, try event.component(utc: utc))
        }

        guard let text = icalcomponent_as_ical_string_r(calendar) else {
            throw ICalendarError("libical could not write the calendar")
        }
        defer { icalmemory_free_buffer(text) }
        let bytes = UnsafeRawBufferPointer(start: text, count: strlen(text))
        return ICalendarFolding.refold(Array(bytes))
    }

    /// Everything that keeps the document from being written, in order.
    var problems: [String] {
        var problems: [String] = []
        if productID.isEmpty { problems.append("PRODID is empty: give the product, e.g. -//DutyCalendar//dutycal 1.0//ZH") }
        if let method {
            let known = icalproperty_string_to_method(method)
            if known == ICAL_METHOD_NONE || known == ICAL_METHOD_X {
                problems.append("METHOD '\(method)' is not an iTIP method: use PUBLISH for attachments, or none for feeds")
            } else {
                for event in events where event.organizer == nil {
                    problems.append("event \(event.uid) has no ORGANIZER, which METHOD:\(method) requires (RFC 5546): set one, or no method for a feed")
                }
            }
        }
        if let refreshHours, refreshHours < 1 {
            problems.append("refresh interval \(refreshHours) hours is not positive: use 1 or more")
        }
        var seen: Set<String> = []
        for event in events {
            let uid = event.uid
            if uid.isEmpty { problems.append("an event (\(event.summary), \(event.start)) has an empty UID") }
            if !seen.insert(uid).inserted { problems.append("two events have the UID \(uid): UIDs must be unique") }
            if event.end <= event.start {
                problems.append("event \(uid): DTEND \(event.end) is not after DTSTART \(event.start) (the end date is exclusive: use the day after the last day)")
            }
            if event.sequence < 0 { problems.append("event \(uid): SEQUENCE \(event.sequence) is negative") }
            for x in event.xProperties where !Self.isXName(x.name) {
                problems.append("event \(uid): '\(x.name)' is not an X-property name (X- then letters, digits and hyphens)")
            }
            for alarm in event.alarms where !(0...23).contains(alarm.hour) {
                problems.append("event \(uid): alarm hour \(alarm.hour) is not 0–23")
            }
        }
        return problems
    }

    /// Adds a property libical made, or throws when it could not make it.
    private func add(_ property: OpaquePointer?, to component: OpaquePointer, _ what: String) throws(ICalendarError) {
        guard let property else { throw ICalendarError("libical could not make the \(what) property") }
        icalcomponent_add_property(component, property)
    }

    /// An X-property with an unstructured value.
    static func xProperty(_ name: String, _ value: String) -> OpaquePointer? {
        guard let property = icalproperty_new_x(value) else { return nil }
        icalproperty_set_x_name(property, name)
        return property
    }

    static func isXName(_ name: String) -> Bool {
        name.count > 2 && name.uppercased().hasPrefix("X-")
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "-" || CharacterSet.alphanumerics.contains($0)) }
    }

    /// Text for a value: line breaks as LF (libical writes them `\n`), no other control
    /// characters, which TEXT cannot hold (RFC 5545 3.3.11), and no white space at either
    /// end, which libical's parser drops (a value of only spaces reads as no value at all).
    static func text(_ value: String) -> String {
        let normalized = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return String(String.UnicodeScalarView(normalized.unicodeScalars.filter { scalar in
            scalar == "\n" || scalar == "\t" || !(scalar.value < 0x20 || scalar.value == 0x7F)
        })).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Text for a one-line value: line breaks become spaces.
    static func line(_ value: String) -> String {
        text(value).replacingOccurrences(of: "\n", with: " ")
    }
}

extension ICalendarEvent {
    /// This event as a new VEVENT component the caller owns.
    func component(utc: OpaquePointer) throws(ICalendarError) -> OpaquePointer {
        guard let event = icalcomponent_new(ICAL_VEVENT_COMPONENT) else {
            throw ICalendarError("libical could not make a VEVENT (out of memory?)")
        }
        var handedOver = false
        defer { if !handedOver { icalcomponent_free(event) } }

        func add(_ property: OpaquePointer?, _ what: String) throws(ICalendarError) {
            guard let property else { throw ICalendarError("libical could not make the \(what) property of event \(uid)") }
            icalcomponent_add_property(event, property)
        }

        try add(icalproperty_new_uid(ICalendarDocument.line(uid)), "UID")
        try add(icalproperty_new_dtstamp(Self.time(stamp, utc: utc)), "DTSTAMP")
        try add(icalproperty_new_dtstart(Self.date(start)), "DTSTART")
        try add(icalproperty_new_dtend(Self.date(end)), "DTEND")
        try add(icalproperty_new_sequence(Int32(clamping: sequence)), "SEQUENCE")
        if let lastModified {
            try add(icalproperty_new_lastmodified(Self.time(lastModified, utc: utc)), "LAST-MODIFIED")
        }
        // Empty values are left out: libical's parser rejects a property with no value.
        let summary = ICalendarDocument.text(self.summary)
        if !summary.isEmpty {
            try add(icalproperty_new_summary(summary), "SUMMARY")
        }
        if let description = description.map(ICalendarDocument.text), !description.isEmpty {
            try add(icalproperty_new_description(description), "DESCRIPTION")
        }
        let categories = self.categories.map(Self.category).filter { !$0.isEmpty }
        if !categories.isEmpty {
            try add(icalproperty_new_categories(categories.joined(separator: ",")), "CATEGORIES")
        }
        if let status {
            let value: icalproperty_status = switch status {
            case .tentative: ICAL_STATUS_TENTATIVE
            case .confirmed: ICAL_STATUS_CONFIRMED
            case .cancelled: ICAL_STATUS_CANCELLED
            }
            try add(icalproperty_new_status(value), "STATUS")
        }
        if let transparency {
            try add(icalproperty_new_transp(transparency == .transparent ? ICAL_TRANSP_TRANSPARENT : ICAL_TRANSP_OPAQUE), "TRANSP")
        }
        if let url = url.map(ICalendarDocument.line), !url.isEmpty {
            try add(icalproperty_new_url(url), "URL")
        }
        if let organizer, case let address = ICalendarDocument.line(organizer.address), !address.isEmpty {
            let property = icalproperty_new_organizer(address)
            // A parameter value cannot hold a double quote (RFC 5545 3.1).
            if let property, let name = organizer.commonName.map(ICalendarDocument.line), !name.isEmpty {
                icalproperty_add_parameter(property, icalparameter_new_cn(name.replacingOccurrences(of: "\"", with: "'")))
            }
            try add(property, "ORGANIZER")
        }
        for x in xProperties {
            let value = ICalendarDocument.text(x.value)
            if !value.isEmpty { try add(ICalendarDocument.xProperty(x.name.uppercased(), value), x.name) }
        }
        for alarm in alarms {
            icalcomponent_add_component(event, try alarm.component(of: uid, summary: summary))
        }
        handedOver = true
        return event
    }

    /// A category as one item of the comma-separated list libical writes unescaped.
    static func category(_ value: String) -> String {
        ICalendarDocument.line(value)
            .replacingOccurrences(of: ",", with: "，")
            .replacingOccurrences(of: ";", with: "；")
            .replacingOccurrences(of: "\\", with: "＼")
            .trimmingCharacters(in: .whitespaces)
    }

    /// A DATE value.
    static func date(_ date: CivilDate) -> icaltimetype {
        var value = icaltime_null_date()
        value.year = Int32(date.year)
        value.month = Int32(date.month)
        value.day = Int32(date.day)
        return value
    }

    /// A UTC DATE-TIME value.
    static func time(_ stamp: ICalendarTimestamp, utc: OpaquePointer) -> icaltimetype {
        var value = icaltime_null_time()
        value.year = Int32(stamp.year)
        value.month = Int32(stamp.month)
        value.day = Int32(stamp.day)
        value.hour = Int32(stamp.hour)
        value.minute = Int32(stamp.minute)
        value.second = Int32(stamp.second)
        value.zone = utc
        return value
    }
}

extension ICalendarAlarm {
    /// This alarm as a new VALARM component the caller owns; an empty description becomes
    /// the event's summary (a display alarm must have one).
    func component(of uid: String, summary: String) throws(ICalendarError) -> OpaquePointer {
        guard let alarm = icalcomponent_new(ICAL_VALARM_COMPONENT) else {
            throw ICalendarError("libical could not make a VALARM (out of memory?)")
        }
        var handedOver = false
        defer { if !handedOver { icalcomponent_free(alarm) } }

        func add(_ property: OpaquePointer?, _ what: String) throws(ICalendarError) {
            guard let property else { throw ICalendarError("libical could not make the \(what) property of an alarm of event \(uid)") }
            icalcomponent_add_property(alarm, property)
        }

        try add(icalproperty_new_action(ICAL_ACTION_DISPLAY), "ACTION")
        let trigger = icaltriggertype(time: icaltime_null_time(), duration: Self.duration(seconds: offsetSeconds))
        let property = icalproperty_new_trigger(trigger)
        if let property, related == .end {
            icalproperty_add_parameter(property, icalparameter_new_related(ICAL_RELATED_END))
        }
        try add(property, "TRIGGER")
        let text = ICalendarDocument.text(description)
        try add(icalproperty_new_description(text.isEmpty ? (summary.isEmpty ? uid : summary) : text), "DESCRIPTION")
        handedOver = true
        return alarm
    }

    /// A duration of whole days, hours, minutes and seconds (never weeks, so `-P14D` stays
    /// as written).
    static func duration(seconds: Int) -> icaldurationtype {
        var duration = icaldurationtype_null_duration()
        let magnitude = abs(seconds)
        duration.is_neg = seconds < 0 ? 1 : 0
        duration.days = UInt32(magnitude / 86_400)
        duration.hours = UInt32(magnitude % 86_400 / 3600)
        duration.minutes = UInt32(magnitude % 3600 / 60)
        duration.seconds = UInt32(magnitude % 60)
        return duration
    }
}
