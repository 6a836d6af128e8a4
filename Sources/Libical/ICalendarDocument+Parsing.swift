internal import CLibical
import Calendrical

extension ICalendarDocument {
    /// Reads iCalendar text with libical's parser (`icalparser_parse_string`), back into
    /// values: what `serialized()` writes reads back equal.
    ///
    /// Throws, listing every problem, when libical reports errors (its `X-LIC-ERROR`
    /// properties), the text is not one `VCALENDAR` with `VERSION:2.0`, or an event is not
    /// an all-day event with a UID and a UTC `DTSTAMP`. Components other than `VEVENT` and
    /// `VTIMEZONE`, and properties the values cannot hold, are ignored.
    public init(parsing text: String) throws(ICalendarError) {
        guard let root = icalparser_parse_string(text) else {
            throw ICalendarError("libical found no iCalendar object in the text")
        }
        defer { icalcomponent_free(root) }
        guard icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT else {
            throw ICalendarError("the text is not one VCALENDAR (libical read a \(String(cString: icalcomponent_kind_to_string(icalcomponent_isa(root)))))")
        }
        var problems = Self.libicalErrors(in: root)
        if Self.properties(of: root, ICAL_VERSION_PROPERTY).first.flatMap({ icalproperty_get_version($0) }).map({ String(cString: $0) }) != "2.0" {
            problems.append("VERSION:2.0 is missing")
        }
        let productID = Self.properties(of: root, ICAL_PRODID_PROPERTY).first.flatMap { icalproperty_get_prodid($0) }.map { String(cString: $0) }
        if productID == nil { problems.append("PRODID is missing") }
        let method = Self.properties(of: root, ICAL_METHOD_PROPERTY).first.map {
            String(cString: icalproperty_method_to_string(icalproperty_get_method($0)))
        }
        var name = Self.properties(of: root, ICAL_NAME_PROPERTY).first.flatMap { icalproperty_get_name($0) }.map { String(cString: $0) }
        let xProperties = Self.properties(of: root, ICAL_X_PROPERTY).compactMap(Self.xProperty)
        if name == nil { name = xProperties.first { $0.name == "X-WR-CALNAME" }?.value }
        let refreshHours = Self.properties(of: root, ICAL_REFRESHINTERVAL_PROPERTY).first.map {
            Int(icaldurationtype_as_int(icalproperty_get_refreshinterval($0))) / 3600
        }
        let timeZone = Self.components(of: root, ICAL_VTIMEZONE_COMPONENT).first.flatMap { zone in
            Self.properties(of: zone, ICAL_TZID_PROPERTY).first.flatMap { icalproperty_get_tzid($0) }.map { String(cString: $0) }
        }
        var events: [ICalendarEvent] = []
        for component in Self.components(of: root, ICAL_VEVENT_COMPONENT) {
            switch ICalendarEvent.read(component) {
            case .success(let event): events.append(event)
            case .failure(let problem): problems.append(problem.description)
            }
        }
        guard problems.isEmpty, let productID else { throw ICalendarError(problems.joined(separator: "; ")) }
        self.init(productID: productID, name: name, refreshHours: refreshHours, method: method,
                  timeZone: timeZone, events: events)
    }

    /// Every `X-LIC-ERROR` libical's parser left in the tree, as messages.
    static func libicalErrors(in component: OpaquePointer) -> [String] {
        var errors = properties(of: component, ICAL_XLICERROR_PROPERTY).map { property in
            "libical: " + (icalproperty_get_xlicerror(property).map { String(cString: $0) } ?? "unknown error")
        }
        for child in components(of: component, ICAL_ANY_COMPONENT) {
            errors += libicalErrors(in: child)
        }
        return errors
    }

    /// A component's properties of one kind, in order.
    static func properties(of component: OpaquePointer, _ kind: icalproperty_kind) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var property = icalcomponent_get_first_property(component, kind)
        while let current = property {
            result.append(current)
            property = icalcomponent_get_next_property(component, kind)
        }
        return result
    }

    /// A component's children of one kind, in order.
    static func components(of component: OpaquePointer, _ kind: icalcomponent_kind) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = icalcomponent_get_first_component(component, kind)
        while let current = child {
            result.append(current)
            child = icalcomponent_get_next_component(component, kind)
        }
        return result
    }

    /// An X-property's name and value (libical's parser has undone the text escapes).
    static func xProperty(_ property: OpaquePointer) -> ICalendarXProperty? {
        guard let name = icalproperty_get_x_name(property), let value = icalproperty_get_x(property) else { return nil }
        return ICalendarXProperty(name: String(cString: name), value: String(cString: value))
    }

    /// A property's text value, if it has one.
    static func string(_ value: UnsafePointer<CChar>?) -> String? { value.map { String(cString: $0) } }
}

extension ICalendarEvent {
    /// The event a parsed VEVENT holds, or what keeps it from being one of these values.
    static func read(_ component: OpaquePointer) -> Result<ICalendarEvent, ICalendarError> {
        typealias D = ICalendarDocument
        func first(_ kind: icalproperty_kind) -> OpaquePointer? { D.properties(of: component, kind).first }

        guard let uid = first(ICAL_UID_PROPERTY).flatMap({ D.string(icalproperty_get_uid($0)) }), !uid.isEmpty else {
            return .failure(ICalendarError("a VEVENT has no UID"))
        }
        guard let startProperty = first(ICAL_DTSTART_PROPERTY),
              let start = civilDate(icalproperty_get_dtstart(startProperty)) else {
            return .failure(ICalendarError("event \(uid): DTSTART is missing or not a DATE (only all-day events are read)"))
        }
        let end: CivilDate
        if let endProperty = first(ICAL_DTEND_PROPERTY) {
            guard let date = civilDate(icalproperty_get_dtend(endProperty)) else {
                return .failure(ICalendarError("event \(uid): DTEND is not a DATE"))
            }
            end = date
        } else {
            end = start.adding(days: 1)
        }
        guard let stampProperty = first(ICAL_DTSTAMP_PROPERTY), let stamp = timestamp(icalproperty_get_dtstamp(stampProperty)) else {
            return .failure(ICalendarError("event \(uid): DTSTAMP is missing or not in UTC"))
        }
        var event = ICalendarEvent(uid: uid, summary: first(ICAL_SUMMARY_PROPERTY).flatMap { D.string(icalproperty_get_summary($0)) } ?? "",
                                   start: start, end: end, stamp: stamp)
        event.description = first(ICAL_DESCRIPTION_PROPERTY).flatMap { D.string(icalproperty_get_description($0)) }
        // libical's parser splits a comma-separated CATEGORIES into one property per item.
        event.categories = D.properties(of: component, ICAL_CATEGORIES_PROPERTY).compactMap { D.string(icalproperty_get_categories($0)) }
        if let property = first(ICAL_LASTMODIFIED_PROPERTY) {
            guard let modified = timestamp(icalproperty_get_lastmodified(property)) else {
                return .failure(ICalendarError("event \(uid): LAST-MODIFIED is not in UTC"))
            }
            event.lastModified = modified
        }
        event.sequence = first(ICAL_SEQUENCE_PROPERTY).map { Int(icalproperty_get_sequence($0)) } ?? 0
        event.status = first(ICAL_STATUS_PROPERTY).flatMap { property -> Status? in
            switch icalproperty_get_status(property) {
            case ICAL_STATUS_TENTATIVE: .tentative
            case ICAL_STATUS_CONFIRMED: .confirmed
            case ICAL_STATUS_CANCELLED: .cancelled
            default: nil
            }
        }
        event.transparency = first(ICAL_TRANSP_PROPERTY).map {
            icalproperty_get_transp($0) == ICAL_TRANSP_TRANSPARENT ? .transparent : .opaque
        }
        event.url = first(ICAL_URL_PROPERTY).flatMap { D.string(icalproperty_get_url($0)) }
        event.organizer = first(ICAL_ORGANIZER_PROPERTY).flatMap { property in
            D.string(icalproperty_get_organizer(property)).map { address in
                let cn = icalproperty_get_first_parameter(property, ICAL_CN_PARAMETER).flatMap { D.string(icalparameter_get_cn($0)) }
                return ICalendarOrganizer(address: address, commonName: cn)
            }
        }
        event.xProperties = D.properties(of: component, ICAL_X_PROPERTY).compactMap(D.xProperty)
        for child in D.components(of: component, ICAL_VALARM_COMPONENT) {
            guard let trigger = D.properties(of: child, ICAL_TRIGGER_PROPERTY).first else {
                return .failure(ICalendarError("event \(uid): a VALARM has no TRIGGER"))
            }
            let value = icalproperty_get_trigger(trigger)
            guard icaltime_is_null_time(value.time) != 0 else {
                return .failure(ICalendarError("event \(uid): an alarm's TRIGGER is a DATE-TIME, not a duration"))
            }
            let seconds = Int(icaldurationtype_as_int(value.duration))
            guard seconds % 3600 == 0 else {
                return .failure(ICalendarError("event \(uid): an alarm's TRIGGER is not a whole number of hours"))
            }
            let hours = seconds / 3600
            let days = Int((Double(hours) / 24).rounded(.down))
            let related = icalproperty_get_first_parameter(trigger, ICAL_RELATED_PARAMETER).map { icalparameter_get_related($0) }
            let text = D.properties(of: child, ICAL_DESCRIPTION_PROPERTY).first.flatMap { D.string(icalproperty_get_description($0)) } ?? ""
            event.alarms.append(ICalendarAlarm(daysBefore: -days, related: related == ICAL_RELATED_END ? .end : .start,
                                               hour: hours - days * 24, description: text))
        }
        return .success(event)
    }

    /// The day of a DATE value; nil for a DATE-TIME or an impossible date.
    static func civilDate(_ value: icaltimetype) -> CivilDate? {
        guard value.is_date != 0 else { return nil }
        return CivilDate(year: Int(value.year), month: Int(value.month), day: Int(value.day))
    }

    /// A UTC DATE-TIME value; nil for a DATE, floating or zoned time.
    static func timestamp(_ value: icaltimetype) -> ICalendarTimestamp? {
        guard value.is_date == 0, icaltime_is_utc(value) != 0 else { return nil }
        return ICalendarTimestamp(year: Int(value.year), month: Int(value.month), day: Int(value.day),
                                  hour: Int(value.hour), minute: Int(value.minute), second: Int(value.second))
    }
}
