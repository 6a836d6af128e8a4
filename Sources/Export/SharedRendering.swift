package import DutyCore
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

    /// Hashes a few fields that tell most records apart (the body's name as bytes, which
    /// is quicker than hashing Chinese text as a String); equality still compares all.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(shared.duty)
        hasher.combine(shared.period)
        hasher.combine(shared.start)
        var body = shared.bodyName ?? ""
        body.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    package static func == (a: SharedRecord, b: SharedRecord) -> Bool { a.shared == b.shared }
}

/// Renderings shared between exports: a dictionary behind a lock, emptied when it holds
/// `limit` entries, so a long-running server's memory stays bounded as the catalogue and
/// completions change. Values are made outside the lock; two threads may both make one.
package final class RenderCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    /// nil: seen once, not made yet.
    private var entries: [Key: Value?] = [:]
    private let limit: Int

    /// A cache of at most `limit` entries.
    package init(limit: Int = 50_000) { self.limit = limit }

    /// The value for `key`, made by `make` the second time the key is asked for; nil the
    /// first time, so content used once (a single feed) is not rendered twice.
    package func valueOnRepeat<E: Error>(for key: Key, _ make: () throws(E) -> Value) throws(E) -> Value? {
        lock.lock()
        let found = entries[key]
        if found == nil { store(nil, for: key) }
        lock.unlock()
        guard let found else { return nil }
        if let value = found { return value }
        let made = try make()
        lock.lock()
        store(made, for: key)
        lock.unlock()
        return made
    }

    /// The value for `key`, made by `make` when not cached.
    package func value<E: Error>(for key: Key, _ make: () throws(E) -> Value) throws(E) -> Value {
        lock.lock()
        let found = entries[key] ?? nil
        lock.unlock()
        if let found { return found }
        let made = try make()
        lock.lock()
        store(made, for: key)
        lock.unlock()
        return made
    }

    /// Stores `value` (the lock held).
    private func store(_ value: Value?, for key: Key) {
        if entries.count >= limit, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
        entries[key] = .some(value)
    }
}

/// Text cut at hole markers: its bytes and where the holes are, so the text with values
/// filled in is written without searching it again.
package struct HoledText: Sendable {
    /// A run of `bytes`, or the value of a hole (plain values: walking them retains nothing).
    private enum Part: Sendable {
        case bytes(from: Int, to: Int)
        case hole(Int)
    }

    private let bytes: [UInt8]
    private let parts: [Part]

    /// `text` cut wherever one of `markers` stands (hole `i` for `markers[i]`).
    package init(_ text: String, markers: [String]) {
        let bytes = Array(text.utf8), patterns = markers.map { Array($0.utf8) }
        var parts: [Part] = []
        var start = 0, index = 0
        scan: while index < bytes.count {
            for (hole, pattern) in patterns.enumerated() where !pattern.isEmpty && bytes[index...].starts(with: pattern) {
                parts.append(.bytes(from: start, to: index))
                parts.append(.hole(hole))
                index += pattern.count
                start = index
                continue scan
            }
            index += 1
        }
        parts.append(.bytes(from: start, to: bytes.count))
        self.bytes = bytes
        self.parts = parts
    }

    /// Calls `body` with each run of bytes of the text with `values` filled in, in order.
    package func forEachRun(_ values: [[UInt8]], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { source in
            for part in parts {
                switch part {
                case .bytes(let from, let to): body(UnsafeBufferPointer(rebasing: source[from..<to]))
                case .hole(let index): values[index].withUnsafeBufferPointer(body)
                }
            }
        }
    }

    /// Appends the text with `values` filled in.
    package func write(_ values: [[UInt8]], into output: inout [UInt8]) {
        forEachRun(values) { output.append(contentsOf: $0) }
    }
}
