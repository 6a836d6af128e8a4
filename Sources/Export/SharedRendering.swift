public import DutyCore
import Foundation

/// What an occurrence record shows apart from the few fields that differ between the units
/// and bodies receiving the same occurrence: its id and its unit's id and name.
///
/// Exporters render the shared record once, with hole markers standing for the id and the
/// unit's name, and fill the holes for each unit; so a province's feeds serialize each
/// distinct occurrence once instead of once per unit. Two records with equal `shared`
/// render alike up to those holes. The body's id goes nowhere but into the id; the body's
/// name, the level, completions and everything else stay in the shared record.
package struct SharedRecord: Hashable, Sendable {
    /// The record with `id` and (when it has one) `unitName` replaced by their markers and
    /// `unit` and `bodyId` cleared.
    package let shared: OccurrenceRecord

    /// The marker standing for hole `index` (0–255): a private-use character found in no
    /// catalogue text.
    package static func marker(_ index: Int) -> String {
        String(Unicode.Scalar(0xF0000 + UInt32(index))!)
    }

    /// Hole 0 is left for the exporter (the iCalendar UID); these are the record's own.
    package static let idHole = 1, unitNameHole = 2

    /// The record's values for holes 1 and 2 (index 0 empty).
    package static func values(of item: OccurrenceRecord) -> [String] {
        ["", item.id, item.unitName ?? ""]
    }

    /// The shared part of `item`.
    package init(_ item: OccurrenceRecord) {
        var shared = item
        shared.id = Self.marker(Self.idHole)
        shared.unit = nil
        shared.bodyId = nil
        if let name = item.unitName, !name.isEmpty { shared.unitName = Self.marker(Self.unitNameHole) }
        self.shared = shared
    }

    /// Whether the shared text itself holds a marker character (then markers would be
    /// ambiguous and the record must be rendered whole).
    package var holdsMarkers: Bool {
        let r = shared
        let texts = [r.duty, r.title, r.titleEn ?? "", r.kind, r.kindLabel, r.period, r.periodLabel, r.start, r.due, r.originalDue,
                     r.adjustment ?? "", r.body, r.bodyName ?? "", r.document, r.documentTitle, r.clause, r.quote, r.note ?? "",
                     r.event ?? "", r.eventRef ?? "", r.completedOn ?? ""] + r.levels + r.tags
        return texts.contains { $0.unicodeScalars.contains { (0xF0000...0xF00FF).contains($0.value) } }
    }

    /// Hashes a few fields that tell most records apart; equality still compares all.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(shared.duty)
        hasher.combine(shared.period)
        hasher.combine(shared.start)
        hasher.combine(shared.bodyName)
        hasher.combine(shared.levels)
    }

    package static func == (a: SharedRecord, b: SharedRecord) -> Bool { a.shared == b.shared }
}

/// Renderings shared between exports: a dictionary behind a lock, emptied when it holds
/// `limit` entries, so a long-running server's memory stays bounded as the catalogue and
/// completions change. Values are made outside the lock; two threads may both make one.
package final class RenderCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private let limit: Int

    /// A cache of at most `limit` entries.
    package init(limit: Int = 50_000) { self.limit = limit }

    /// The value for `key`, made by `make` when not cached.
    package func value<E: Error>(for key: Key, _ make: () throws(E) -> Value) throws(E) -> Value {
        lock.lock()
        let found = entries[key]
        lock.unlock()
        if let found { return found }
        let made = try make()
        lock.lock()
        if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = made
        lock.unlock()
        return made
    }
}

/// Text cut at hole markers: the bytes between them and which hole each gap is, so the
/// text with values filled in is written without searching it again.
package struct HoledText: Sendable {
    private let segments: [[UInt8]]
    private let holes: [Int]

    /// `text` cut wherever one of `markers` stands (hole `i` for `markers[i]`).
    package init(_ text: String, markers: [String]) {
        let bytes = Array(text.utf8), patterns = markers.map { Array($0.utf8) }
        var segments: [[UInt8]] = [], holes: [Int] = []
        var start = 0, index = 0
        scan: while index < bytes.count {
            for (hole, pattern) in patterns.enumerated() where !pattern.isEmpty && bytes[index...].starts(with: pattern) {
                segments.append(Array(bytes[start..<index]))
                holes.append(hole)
                index += pattern.count
                start = index
                continue scan
            }
            index += 1
        }
        segments.append(Array(bytes[start...]))
        self.segments = segments
        self.holes = holes
    }

    /// Calls `body` with each run of bytes of the text with `values` filled in, in order.
    package func forEachRun(_ values: [[UInt8]], _ body: (ArraySlice<UInt8>) -> Void) {
        for (index, segment) in segments.enumerated() {
            body(segment[...])
            if index < holes.count { body(values[holes[index]][...]) }
        }
    }

    /// Appends the text with `values` filled in.
    package func write(_ values: [[UInt8]], into bytes: inout [UInt8]) {
        forEachRun(values) { bytes.append(contentsOf: $0) }
    }
}
