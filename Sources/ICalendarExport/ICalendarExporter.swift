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

    /// Events and calendar heads serialized once and shared by every export through this
    /// exporter (see `SharedRecord`).
    private let templates = RenderCache<TemplateKey, EventTemplate?>()
    private let heads = RenderCache<Int, ICalendarTemplate>(limit: 64)

    /// The feed exporter: no `METHOD`, no `ORGANIZER`.
    public init() { organizer = nil }

    /// The email-attachment form: `METHOD:PUBLISH`, `organizer` on every event, and no
    /// refresh properties.
    public init(publishingAs organizer: Organizer) { self.organizer = organizer }

    /// Renders the feed. Each shared record (`SharedRecord`) that comes again is built as
    /// an event and serialized by libical once per exporter; each occurrence then gets a copy with
    /// its UID, id and unit name filled in and its own change-tracking lines, which is
    /// exactly libical's serialization of the whole event. Occurrences whose id or unit
    /// name libical would escape are serialized whole.
    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        guard request.options.refreshHours >= 1 else {
            throw ExportError("the refresh interval is \(request.options.refreshHours) hours: give 1 or more (--refresh-hours)")
        }
        let now = Timestamp.utc(request.now)
        guard let nowStamp = ICalendarTimestamp(now) else {
            throw ExportError("the clock gives \(now), which is not a calendar time: check the system clock")
        }
        let alarms = request.options.alarms
        let previous = request.previousState ?? ExportState()
        var state = ExportState()
        var problems: [String] = []
        var splicer: ICalendarSplicer
        do {
            splicer = try head(title: request.title, refreshHours: request.options.refreshHours, capacity: request.items.count * 1100)
        } catch {
            throw ExportError("cannot write the iCalendar feed: \(error.description)")
        }
        // Stored LAST-MODIFIED values read once: the timestamp and how the state keeps it.
        var stamps: [String: (stamp: ICalendarTimestamp, text: String)] = [now: (nowStamp, now)]
        for item in request.items {
            let uid = Self.uid(for: item.id)
            var values = SharedRecord.values(of: item)
            values[0] = uid
            let verbatim = ICalendarTemplate.isVerbatim(uid) && ICalendarTemplate.isVerbatim(item.id)
                && (item.unitName?.isEmpty != false || ICalendarTemplate.isVerbatim(values[SharedRecord.unitNameHole]))
            let template = verbatim ? self.template(for: item, alarms: alarms, stamp: nowStamp) : nil
            var event: ICalendarEvent?
            if template == nil {
                do throws(ExportError) {
                    event = try self.event(for: item, alarms: alarms, stamp: nowStamp)
                } catch {
                    problems.append(error.description)
                    continue
                }
            }
            guard state.items[uid] == nil else {
                problems.append("two occurrences have the id \(item.id): each occurrence needs its own id (UID \(uid))")
                continue
            }
            let utf8 = values.map { Array($0.utf8) }
            let fingerprint = template.map { $0.fingerprint(utf8) } ?? event.map(Self.fingerprint) ?? ""
            let record = previous.updated(uid, fingerprint: fingerprint, now: now)
            // A stored timestamp that does not read (a hand-edited state file) counts as now.
            if stamps[record.modified] == nil {
                let stamp = ICalendarTimestamp(record.modified) ?? nowStamp
                stamps[record.modified] = (stamp, stamp.description)
            }
            let (modified, modifiedText) = stamps[record.modified]!
            state.items[uid] = ExportState.Item(fingerprint: record.fingerprint, sequence: record.sequence, modified: modifiedText)
            if let template {
                splicer.append(template.event, values: utf8, stamp: modified, lastModified: modified, sequence: record.sequence)
            } else if var event {
                event.sequence = record.sequence
                event.lastModified = modified
                event.stamp = modified
                do {
                    try splicer.append(event)
                } catch {
                    problems.append("cannot write occurrence \(item.id): \(error.description)")
                }
            }
        }
        guard problems.isEmpty else {
            throw ExportError(problems.joined(separator: "\n"))
        }
        return ExportResult(data: Data(splicer.finish()), state: state)
    }

    /// The event of `item` as this exporter writes it (with its organizer, if any).
    func event(for item: OccurrenceRecord, alarms: Bool, stamp: ICalendarTimestamp) throws(ExportError) -> ICalendarEvent {
        var event = try Self.event(for: item, alarms: alarms, stamp: stamp)
        if let organizer {
            let address = organizer.address.lowercased().hasPrefix("mailto:") ? organizer.address : "mailto:\(organizer.address)"
            event.organizer = ICalendarOrganizer(address: address, commonName: organizer.name)
        }
        return event
    }

    /// The template of `item`'s shared record, made when the record comes a second time;
    /// nil the first time, and when the record cannot be templated (it holds marker
    /// characters, or its event does not build: the whole event then reports why).
    private func template(for item: OccurrenceRecord, alarms: Bool, stamp: ICalendarTimestamp) -> EventTemplate? {
        let shared = SharedRecord(item)
        return templates.valueOnRepeat(for: TemplateKey(record: shared, alarms: alarms)) { () -> EventTemplate? in
            guard !shared.holdsMarkers, var event = try? event(for: shared.shared, alarms: alarms, stamp: stamp) else { return nil }
            event.uid = SharedRecord.marker(0)
            event.lastModified = stamp
            let holes = (0...SharedRecord.unitNameHole).map(SharedRecord.marker)
            guard let template = try? ICalendarTemplate(event: event, holes: holes) else { return nil }
            return EventTemplate(event: template, fingerprint: HoledText(Self.fingerprintText(of: event), markers: holes))
        } ?? nil
    }

    /// A splicer started with the calendar's head for `title`.
    private func head(title: String, refreshHours: Int, capacity: Int) throws(ICalendarError) -> ICalendarSplicer {
        func document(_ name: String) -> ICalendarDocument {
            ICalendarDocument(productID: Self.productID, name: name, refreshHours: organizer == nil ? refreshHours : nil,
                              method: organizer == nil ? nil : "PUBLISH", timeZone: Self.timeZone)
        }
        let marker = SharedRecord.marker(0)
        guard ICalendarTemplate.isVerbatim(title) else {
            return try ICalendarSplicer(head: ICalendarTemplate(head: document(title), holes: []), values: [], capacity: capacity)
        }
        let head = try heads.value(for: refreshHours) { () throws(ICalendarError) -> ICalendarTemplate in
            try ICalendarTemplate(head: document(marker), holes: [marker])
        }
        return try ICalendarSplicer(head: head, values: [title], capacity: capacity)
    }
}

/// What the template of a shared record depends on.
struct TemplateKey: Hashable, Sendable {
    let record: SharedRecord
    let alarms: Bool
}

/// A shared record's event serialized once, and the text its fingerprint digests.
struct EventTemplate: Sendable {
    let event: ICalendarTemplate
    let fingerprint: HoledText

    /// The fingerprint of the event with `values` in its holes (as `fingerprint(of:)`).
    func fingerprint(_ values: [[UInt8]]) -> String {
        var hash = ICalendarExporter.FNV1a()
        fingerprint.forEachRun(values) { hash.add($0) }
        return hash.hex
    }
}
