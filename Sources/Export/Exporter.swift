public import Calendrical
public import DutyCore
public import Foundation

/// Renders occurrences into one output format (iCalendar, CSV, an email digest…).
///
/// Conforming types are pure: they turn an `ExportRequest` into bytes and never touch the
/// file system, the network or the clock (the request carries `now`). The same request must
/// give the same bytes, so exporting twice gives identical files. The caller writes the
/// result atomically.
public protocol Exporter: Sendable {
    /// The name `dutycal export --format NAME` selects, e.g. `ics`.
    var name: String { get }
    /// One line saying what the format is for, shown in `dutycal export --help`.
    var summary: String { get }
    /// File extension without the dot, e.g. `ics`.
    var fileExtension: String { get }
    /// The media type, e.g. `text/calendar; charset=utf-8`.
    var mediaType: String { get }

    /// Renders the request. Throws `ExportError` when the request cannot be rendered.
    func export(_ request: ExportRequest) throws(ExportError) -> ExportResult
}

/// Everything an exporter needs: the occurrences and how to present them.
public struct ExportRequest: Sendable {
    /// The occurrences, in the expander's order (due date first).
    public var items: [OccurrenceRecord]
    /// The date range they were expanded for.
    public var range: DateRange
    /// The calendar's or sheet's title, e.g. `示例县 县安委办 履职日历`.
    public var title: String
    /// The current instant, from the executable's clock; exporters use it only for what is
    /// new or changed since `previousState`.
    public var now: Date
    /// What the previous export to the same output recorded (for stable timestamps and
    /// sequence numbers); nil on a first export.
    public var previousState: ExportState?
    /// Format options.
    public var options: ExportOptions

    /// A request.
    public init(items: [OccurrenceRecord], range: DateRange, title: String, now: Date,
                previousState: ExportState? = nil, options: ExportOptions = ExportOptions()) {
        self.items = items
        self.range = range
        self.title = title
        self.now = now
        self.previousState = previousState
        self.options = options
    }
}

/// Options some exporters read; others ignore them.
public struct ExportOptions: Sendable, Hashable {
    /// Text encoding of a spreadsheet.
    public enum TextEncoding: String, Sendable, CaseIterable {
        /// UTF-8 with a byte-order mark, which zh-CN Excel needs to read UTF-8.
        case utf8
        /// GB18030, for older Excel and WPS set-ups.
        case gb18030
    }

    /// Add `VALARM`s from the duties' lead days (many subscribed clients drop them).
    public var alarms: Bool
    /// Spreadsheet encoding.
    public var encoding: TextEncoding
    /// How often subscribers should refresh, in hours (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`).
    public var refreshHours: Int

    /// Options with the defaults: no alarms, UTF-8 with BOM, refresh every 12 hours.
    public init(alarms: Bool = false, encoding: TextEncoding = .utf8, refreshHours: Int = 12) {
        self.alarms = alarms
        self.encoding = encoding
        self.refreshHours = refreshHours
    }
}

/// What an export produced: the bytes and, for formats that track changes, the state to
/// keep for the next export.
public struct ExportResult: Sendable {
    /// The file's bytes.
    public var data: Data
    /// State to store beside the output; nil for formats that keep none.
    public var state: ExportState?
    /// What the exporter has to tell the user (an external exporter's standard error).
    public var messages: String?

    /// A result.
    public init(data: Data, state: ExportState? = nil, messages: String? = nil) {
        self.data = data
        self.state = state
        self.messages = messages
    }
}

/// Per-item change tracking kept between exports, so an unchanged item keeps its
/// timestamps and a changed one gets a higher sequence number (iCalendar `SEQUENCE`,
/// `LAST-MODIFIED`, `DTSTAMP`).
public struct ExportState: Codable, Sendable, Hashable {
    /// Version of this state format.
    public var version: Int = 1
    /// By item id (the iCalendar UID).
    public var items: [String: Item]

    /// One item's record.
    public struct Item: Codable, Sendable, Hashable {
        /// A digest of everything the item shows; a different digest means it changed.
        public var fingerprint: String
        /// How many times it changed since first exported.
        public var sequence: Int
        /// When it last changed, UTC, `yyyyMMdd'T'HHmmss'Z'`.
        public var modified: String

        /// An item record.
        public init(fingerprint: String, sequence: Int, modified: String) {
            self.fingerprint = fingerprint
            self.sequence = sequence
            self.modified = modified
        }
    }

    /// A state.
    public init(items: [String: Item] = [:]) { self.items = items }

    /// The record for an item with `fingerprint` now: kept when unchanged, the sequence
    /// raised and `modified` set to `now` when changed, sequence 0 when new.
    public func updated(_ id: String, fingerprint: String, now: String) -> Item {
        guard let old = items[id] else { return Item(fingerprint: fingerprint, sequence: 0, modified: now) }
        if old.fingerprint == fingerprint { return old }
        return Item(fingerprint: fingerprint, sequence: old.sequence + 1, modified: now)
    }
}

/// Why an export failed, said so a person can act on it.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error with a message naming what failed and what to do.
    public init(_ description: String) { self.description = description }
}

/// The exporters an executable offers, by name.
public struct ExporterRegistry: Sendable {
    private let exporters: [String: any Exporter]

    /// A registry of the given exporters (later ones win on a name clash).
    public init(_ exporters: [any Exporter]) {
        self.exporters = Dictionary(exporters.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The exporter registered as `name`.
    public func exporter(named name: String) -> (any Exporter)? { exporters[name] }

    /// Every registered name, sorted.
    public var names: [String] { exporters.keys.sorted() }

    /// Every registered exporter, by name.
    public var all: [any Exporter] { names.compactMap { exporters[$0] } }
}

extension Exporter {
    /// Renders every request, several at once on the machine's cores, and returns the
    /// results in the requests' order (each the same as `export(_:)` on its own).
    public func exportConcurrently(_ requests: [ExportRequest]) -> [Result<ExportResult, ExportError>] {
        let results = ResultSlots(count: requests.count)
        DispatchQueue.concurrentPerform(iterations: requests.count) { index in
            results.set(index, Result { () throws(ExportError) -> ExportResult in try export(requests[index]) })
        }
        return results.values
    }
}

/// Results filled in by concurrent workers, one slot each.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<ExportResult, ExportError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<ExportResult, ExportError>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    var values: [Result<ExportResult, ExportError>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
