internal import CLibical
internal import Foundation

/// libical's builtin time zones (from the system `tzdata`), behind one lock.
///
/// libical 3.0 loads builtin zones lazily into a shared array and caches each zone's
/// `VTIMEZONE` inside it, without locking: concurrent lookups can corrupt that cache. Every
/// use of builtin zones in this module goes through `withLock`.
enum ICalendarTimeZones {
    /// The prefix libical puts before builtin TZIDs; clients do not know such TZIDs.
    static let libicalPrefix = "/freeassociation.sourceforge.net/"

    private static let lock = NSLock()

    /// Runs `body` holding the lock that guards libical's builtin zones.
    static func withLock<T>(_ body: () throws(ICalendarError) -> T) throws(ICalendarError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// A new `VTIMEZONE` component for the builtin zone `location` (e.g. `Asia/Shanghai`),
    /// with its TZID rewritten to `location`; the caller owns it (free it or add it to a
    /// parent). Throws for a zone libical does not know.
    static func component(for location: String) throws(ICalendarError) -> OpaquePointer {
        try withLock { () throws(ICalendarError) -> OpaquePointer in
            guard let zone = icaltimezone_get_builtin_timezone(location),
                  let shared = icaltimezone_get_component(zone),
                  let clone = icalcomponent_new_clone(shared) else {
                throw ICalendarError("time zone '\(location)' is not one of libical's builtin zones (is the tzdata package installed?); use a name like Asia/Shanghai")
            }
            // Rewrite the TZID on the clone, never on the zone libical keeps.
            var property = icalcomponent_get_first_property(clone, ICAL_TZID_PROPERTY)
            if property == nil {
                property = icalproperty_new_tzid(location)
                icalcomponent_add_property(clone, property)
            } else {
                icalproperty_set_tzid(property, location)
            }
            return clone
        }
    }

    /// The UTC zone, for UTC `DATE-TIME` values.
    static func utc() throws(ICalendarError) -> OpaquePointer {
        try withLock { () throws(ICalendarError) -> OpaquePointer in
            guard let zone = icaltimezone_get_utc_timezone() else {
                throw ICalendarError("libical has no UTC time zone")
            }
            return zone
        }
    }
}
