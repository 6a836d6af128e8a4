internal import CLibical
import Calendrical
internal import Foundation

/// libical's serialization of an event (or of a calendar's head), made once and reused for
/// every event that differs from it only in some plain text (an id, a unit's name) and in
/// its change-tracking properties (`DTSTAMP`, `LAST-MODIFIED`, `SEQUENCE`).
///
/// The template is built from an event whose text holds hole markers (texts found nowhere
/// else, given as `holes`) where the varying text goes. libical writes it once; its output
/// is unfolded into content lines, the lines without holes are folded and kept as bytes,
/// and the lines with holes are kept as the segments between them. Writing an event then copies the folded lines,
/// fills the holes and folds those lines, and takes the change-tracking lines from
/// `ICalendarSplicer`'s per-value cache (also written by libical). The result is exactly
/// what `ICalendarDocument.serializedUTF8()` gives for the filled-in event, provided every
/// value passes `isVerbatim(_:)`: libical writes such text unchanged, so filling a hole
/// after escaping equals escaping after filling.
package struct ICalendarTemplate: Sendable {
    /// One step of writing an event, on `bytes` ranges (plain values, so walking the steps
    /// retains nothing).
    enum Step: Sendable {
        /// Copy folded content lines (CRLF after each): `bytes[from..<to]`.
        case folded(from: Int, to: Int)
        /// Fill in and fold one content line made of `parts[from..<to]`.
        case line(from: Int, to: Int)
        /// The event's own `DTSTAMP`, `LAST-MODIFIED` or `SEQUENCE` line.
        case stamp, lastModified, sequence
    }

    /// A part of a content line with holes: bytes, or the value of a hole.
    enum Part: Sendable {
        case bytes(from: Int, to: Int)
        case hole(Int)
    }

    let steps: [Step]
    let parts: [Part]
    let bytes: [UInt8]
    /// Folded lines that close a calendar's head template (`END:VCALENDAR`); empty for an event.
    package let tail: [UInt8]

    /// The template of `event`, whose text holds `holes[i]` where value `i` goes (each hole
    /// a text that occurs nowhere else). Throws what serializing the event would throw.
    package init(event: ICalendarEvent, holes: [String]) throws(ICalendarError) {
        let problems = ICalendarDocument(productID: "-", events: [event]).problems
        guard problems.isEmpty else { throw ICalendarError(problems.joined(separator: "; ")) }
        let lines = ICalendarFolding.lines(ICalendarFolding.unfold(try event.libicalBytes(utc: try ICalendarTimeZones.utc())))
        self.init(lines: lines, holes: holes, isEvent: true)
        guard steps.contains(where: { if case .stamp = $0 { true } else { false } }),
              steps.contains(where: { if case .sequence = $0 { true } else { false } }) else {
            throw ICalendarError("libical wrote event \(event.uid) without DTSTAMP or SEQUENCE")
        }
    }

    /// The template of a calendar's head: `document` without its events (which are ignored),
    /// up to the events' place, with `holes` as for an event; `tail` holds what follows them.
    package init(head document: ICalendarDocument, holes: [String]) throws(ICalendarError) {
        var empty = document
        empty.events = []
        var lines = ICalendarFolding.lines(ICalendarFolding.unfold(try empty.serializedUTF8()))
        guard let last = lines.popLast(), Array(last) == Array("END:VCALENDAR".utf8) else {
            throw ICalendarError("libical's calendar does not end with END:VCALENDAR")
        }
        self.init(lines: lines, holes: holes, isEvent: false, tail: ICalendarFolding.fold([last]))
    }

    private init(lines: [ArraySlice<UInt8>], holes: [String], isEvent: Bool, tail: [UInt8] = []) {
        let markers = holes.map { Array($0.utf8) }
        var steps: [Step] = [], parts: [Part] = [], bytes: [UInt8] = []
        var foldedFrom = 0
        func flush() {
            if bytes.count > foldedFrom { steps.append(.folded(from: foldedFrom, to: bytes.count)) }
        }
        var depth = 0
        for line in lines {
            if line.starts(with: Self.begin) { depth += 1 }
            if line.starts(with: Self.end) { depth -= 1 }
            // The event's own change-tracking lines (depth 1: not an alarm's).
            if isEvent, depth == 1, let step = Self.trackingStep(line) {
                flush()
                steps.append(step)
                foldedFrom = bytes.count
                continue
            }
            let (segments, found) = Self.split(line, at: markers)
            if found.isEmpty {
                ICalendarFolding.fold(line, into: &bytes)
            } else {
                flush()
                let first = parts.count
                for (index, segment) in segments.enumerated() {
                    parts.append(.bytes(from: bytes.count, to: bytes.count + segment.count))
                    bytes += segment
                    if index < found.count { parts.append(.hole(found[index])) }
                }
                steps.append(.line(from: first, to: parts.count))
                foldedFrom = bytes.count
            }
        }
        flush()
        self.steps = steps
        self.parts = parts
        self.bytes = bytes
        self.tail = tail
    }

    private static let begin = Array("BEGIN:".utf8), end = Array("END:".utf8)
    private static let tracking: [([UInt8], Step)] = [
        (Array("DTSTAMP:".utf8), .stamp), (Array("LAST-MODIFIED:".utf8), .lastModified), (Array("SEQUENCE:".utf8), .sequence),
    ]

    private static func trackingStep(_ line: ArraySlice<UInt8>) -> Step? {
        tracking.first { line.starts(with: $0.0) }?.1
    }

    /// A content line cut where the markers stand, with the index of each marker found.
    private static func split(_ line: ArraySlice<UInt8>, at markers: [[UInt8]]) -> (segments: [[UInt8]], holes: [Int]) {
        var segments: [[UInt8]] = [], holes: [Int] = []
        var start = line.startIndex, index = line.startIndex
        scan: while index < line.endIndex {
            for (hole, marker) in markers.enumerated() where !marker.isEmpty && line[index...].starts(with: marker) {
                segments.append(Array(line[start..<index]))
                holes.append(hole)
                index += marker.count
                start = index
                continue scan
            }
            index += 1
        }
        segments.append(Array(line[start...]))
        return (segments, holes)
    }

    /// Whether libical writes `value` unchanged wherever it stands in a text value:
    /// non-empty, no white space at either end, and only characters libical neither escapes
    /// nor drops (probed once from libical itself: no line breaks, `,`, `;`, `\`…).
    package static func isVerbatim(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
              isSolid(first), isSolid(last) else { return false }
        let table = verbatimBytes
        return value.utf8.allSatisfy { table[Int($0)] }
    }

    /// Whether `scalar` is surely not trimmed as white space: printable ASCII other than
    /// the space, or a non-ASCII character that is neither white space nor a separator.
    private static func isSolid(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value > 0x20 && scalar.value < 0x7F }
        let properties = scalar.properties
        return !properties.isWhitespace && ![.spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format].contains(properties.generalCategory)
    }

    /// Which bytes libical writes unchanged in TEXT and X-property values: each printable
    /// ASCII character is tried between two letters; bytes of multi-byte UTF-8 characters
    /// count when a sample of Chinese text and punctuation comes out whole.
    private static let verbatimBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(0x21)...UInt8(0x7E) {
            let text = "a" + String(Unicode.Scalar(byte)) + "b"
            table[Int(byte)] = libicalWritesUnchanged(text)
        }
        table[0x20] = libicalWritesUnchanged("a b")
        if libicalWritesUnchanged("责任主体：示例县（安委办）【“监管执法年”】、。😀é") {
            for byte in 0x80...0xFF { table[byte] = true }
        }
        return table
    }()

    /// Whether libical writes `text` as it is as a DESCRIPTION and as an X-property.
    private static func libicalWritesUnchanged(_ text: String) -> Bool {
        func written(_ property: OpaquePointer?) -> String? {
            guard let property else { return nil }
            defer { icalproperty_free(property) }
            guard let raw = icalproperty_as_ical_string_r(property) else { return nil }
            defer { icalmemory_free_buffer(raw) }
            let bytes = ICalendarFolding.unfold(Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw))))
            return String(decoding: bytes, as: UTF8.self)
        }
        return written(icalproperty_new_description(text)) == "DESCRIPTION:\(text)\r\n"
            && written(ICalendarDocument.xProperty("X-PROBE", text)) == "X-PROBE:\(text)\r\n"
    }
}

/// Writes one iCalendar document from templates: the head, then events, then the tail,
/// byte for byte what `ICalendarDocument.serializedUTF8()` gives for the same document.
///
/// Events whose values are not all verbatim (`ICalendarTemplate.isVerbatim(_:)`) go
/// through `append(_:)`, libical's full serialization of that one event. The change-tracking
/// lines are written by libical once per distinct value and cached.
package struct ICalendarSplicer {
    private var bytes: [UInt8] = []
    private let tail: [UInt8]
    private var stamps: [ICalendarTimestamp: [UInt8]] = [:]
    private var modifications: [ICalendarTimestamp: [UInt8]] = [:]
    private var sequences: [Int: [UInt8]] = [:]
    private let utc: OpaquePointer

    /// A document that starts with `head` filled with `values`; reserve `capacity` bytes.
    package init(head: ICalendarTemplate, values: [String], capacity: Int = 0) throws(ICalendarError) {
        utc = try ICalendarTimeZones.utc()
        tail = head.tail
        bytes.reserveCapacity(capacity)
        Self.write(head, values.map { Array($0.utf8) }, tracking: [], into: &bytes)
    }

    /// Appends an event made from `template` with `values` for its holes.
    package mutating func append(_ template: ICalendarTemplate, values: [[UInt8]], stamp: ICalendarTimestamp,
                                 lastModified: ICalendarTimestamp, sequence: Int) {
        let utc = self.utc
        let tracking = [
            Self.cached(&stamps, stamp) { icalproperty_new_dtstamp(ICalendarEvent.time(stamp, utc: utc)) },
            Self.cached(&modifications, lastModified) { icalproperty_new_lastmodified(ICalendarEvent.time(lastModified, utc: utc)) },
            Self.cached(&sequences, sequence) { icalproperty_new_sequence(Int32(clamping: sequence)) },
        ]
        Self.write(template, values, tracking: tracking, into: &bytes)
    }

    /// Appends `event` serialized in full by libical.
    package mutating func append(_ event: ICalendarEvent) throws(ICalendarError) {
        let problems = ICalendarDocument(productID: "-", events: [event]).problems
        guard problems.isEmpty else { throw ICalendarError(problems.joined(separator: "; ")) }
        bytes += ICalendarFolding.refold(try event.libicalBytes(utc: utc))
    }

    /// The document's bytes.
    package consuming func finish() -> [UInt8] {
        bytes += tail
        return bytes
    }

    /// Writes `template` with `values` in its holes and `tracking` (the DTSTAMP,
    /// LAST-MODIFIED and SEQUENCE lines, folded) for its change-tracking steps.
    private static func write(_ template: ICalendarTemplate, _ values: [[UInt8]], tracking: [[UInt8]], into bytes: inout [UInt8]) {
        var line: [UInt8] = []
        template.bytes.withUnsafeBufferPointer { source in
            for step in template.steps {
                switch step {
                case .folded(let from, let to):
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[from..<to]))
                case .line(let from, let to):
                    line.removeAll(keepingCapacity: true)
                    for part in template.parts[from..<to] {
                        switch part {
                        case .bytes(let start, let end): line.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
                        case .hole(let index): line += values[index]
                        }
                    }
                    line.withUnsafeBufferPointer { ICalendarFolding.fold($0, into: &bytes) }
                case .stamp: bytes += tracking[0]
                case .lastModified: bytes += tracking[1]
                case .sequence: bytes += tracking[2]
                }
            }
        }
    }

    /// A property line libical writes for `key`, folded, from `cache` or made by `make`.
    private static func cached<Key: Hashable>(_ cache: inout [Key: [UInt8]], _ key: Key, _ make: () -> OpaquePointer?) -> [UInt8] {
        if let found = cache[key] { return found }
        var folded: [UInt8] = []
        if let property = make() {
            defer { icalproperty_free(property) }
            if let raw = icalproperty_as_ical_string_r(property) {
                defer { icalmemory_free_buffer(raw) }
                folded = ICalendarFolding.refold(Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw))))
            }
        }
        cache[key] = folded
        return folded
    }
}

extension ICalendarEvent {
    /// libical's serialization of this event alone (folded by libical).
    func libicalBytes(utc: OpaquePointer) throws(ICalendarError) -> [UInt8] {
        let component = try self.component(utc: utc)
        defer { icalcomponent_free(component) }
        guard let text = icalcomponent_as_ical_string_r(component) else {
            throw ICalendarError("libical could not write event \(uid)")
        }
        defer { icalmemory_free_buffer(text) }
        return Array(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    }
}
