import Calendrical
import DutyCore
public import Export
import Foundation
import Libical

/// iCalendar (RFC 5545) feeds: one all-day VEVENT per occurrence.
///
/// Each occurrence becomes an all-day event from its start through its due date
/// (`DTSTART;VALUE=DATE` = start, exclusive `DTEND;VALUE=DATE` = due + 1 day): a deadline
/// shows on its due date, a window, phase or quota period across its days. The UID comes
/// from the occurrence's id (`uid(for:)`), so it is stable across exports. `SEQUENCE`,
/// `LAST-MODIFIED` and `DTSTAMP` come from the request's previous state: an event whose
/// content (everything it shows, see `fingerprint(of:)`) is unchanged keeps its sequence
/// and timestamps, so exporting the same occurrences twice gives byte-identical files; a
/// changed one gets `SEQUENCE` + 1 and the request's `now`. The result's state holds the
/// exported events only.
///
/// Feeds carry no `METHOD` (subscriptions and CalDAV); `init(publishingAs:)` makes the
/// `METHOD:PUBLISH` form for email attachments, with an `ORGANIZER` on every event.
/// Alarms, when `options.alarms` is set, fire at 09:00 on each of the duty's lead days
/// before the due date (`alarm(leadDays:summary:due:)`).
public struct ICalendarExporter: Exporter {
    public let name = "ics"
    public let summary = "iCalendar feed for calendar apps (RFC 5545)"
    public let fileExtension = "ics"
    public let mediaType = "text/calendar; charset=utf-8"

    /// `PRODID` of every file.
    public static let productID = "-//DutyCalendar//dutycal 1.0//ZH"
    /// The zone the civil dates are in, named in `X-WR-TIMEZONE` with its `VTIMEZONE`.
    public static let timeZone = "Asia/Shanghai"
    /// The hour (local time) alarms fire at.
    public static let alarmHour = 9

    /// Who publishes an emailed calendar (`ORGANIZER`).
    public struct Organizer: Sendable, Hashable {
        /// The address, e.g. `dutycal@example.org` (`mailto:` is added when missing).
        public var address: String
        /// The display name, e.g. `履职日历`.
        public var name: String?

        /// An organizer.
        public init(address: String, name: String? = nil) {
            self.address = address
            self.name = name
        }
    }

    /// The organizer of `METHOD:PUBLISH` output; nil for feeds.
    public let organizer: Organizer?

    /// The feed exporter: no `METHOD`, no `ORGANIZER`.
    public init() { organizer = nil }

    /// The email-attachment form: `METHOD:PUBLISH`, `organizer` on every event, and no
    /// refresh properties.
    public init(publishingAs organizer: Organizer) { self.organizer = organizer }

    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        guard request.options.refreshHours >= 1 else {
            throw ExportError("the refresh interval is \(request.options.refreshHours) hours: give 1 or more (--refresh-hours)")
        }
        let now = Timestamp.utc(request.now)
        guard let nowStamp = ICalendarTimestamp(now) else {
            throw ExportError("the clock gives \(now), which is not a calendar time: check the system clock")
        }
        let previous = request.previousState ?? ExportState()
        var state = ExportState()
        var events: [ICalendarEvent] = []
        var problems: [String] = []
        events.reserveCapacity(request.items.count)
        for item in request.items {
            var event: ICalendarEvent
            do throws(ExportError) {
                event = try Self.event(for: item, alarms: request.options.alarms, stamp: nowStamp)
            } catch {
                problems.append(error.description)
                continue
            }
            if let organizer {
                let address = organizer.address.lowercased().hasPrefix("mailto:") ? organizer.address : "mailto:\(organizer.address)"
                event.organizer = ICalendarOrganizer(address: address, commonName: organizer.name)
            }
            guard state.items[event.uid] == nil else {
                problems.append("two occurrences have the id \(item.id): each occurrence needs its own id (UID \(event.uid))")
                continue
            }
            let record = previous.updated(event.uid, fingerprint: Self.fingerprint(of: event), now: now)
            // A stored timestamp that does not read (a hand-edited state file) counts as now.
            let modified = ICalendarTimestamp(record.modified) ?? nowStamp
            event.sequence = record.sequence
            event.lastModified = modified
            event.stamp = modified
            state.items[event.uid] = ExportState.Item(fingerprint: record.fingerprint, sequence: record.sequence,
                                                      modified: modified.description)
            events.append(event)
        }
        guard problems.isEmpty else {
            throw ExportError(problems.joined(separator: "\n"))
        }
        let document = ICalendarDocument(
            productID: Self.productID, name: request.title,
            refreshHours: organizer == nil ? request.options.refreshHours : nil,
            method: organizer == nil ? nil : "PUBLISH", timeZone: Self.timeZone, events: events)
        do {
            let bytes = try document.serializedUTF8()
            return ExportResult(data: Data(bytes), state: state)
        } catch {
            throw ExportError("cannot write the iCalendar feed: \(error.description)")
        }
    }
}
