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
    enum Piece: Sendable {
        /// Content lines without holes, folded, CRLF after each.
        case folded([UInt8])
        /// One unfolded content line: `segments[0]`, value of `holes[0]`, `segments[1]`, …
        case line(segments: [[UInt8]], holes: [Int])
        /// The event's own `DTSTAMP`, `LAST-MODIFIED` or `SEQUENCE` line.
        case stamp, lastModified, sequence
    }

    let pieces: [Piece]
    /// Folded lines that close a calendar's head template (`END:VCALENDAR`); empty for an event.
    package let tail: [UInt8]

    /// The template of `event`, whose text holds `holes[i]` where value `i` goes (each hole
    /// a text that occurs nowhere else). Throws what serializing the event would throw.
    package init(event: ICalendarEvent, holes: [String]) throws(ICalendarError) {
        let problems = ICalendarDocument(productID: "-", events: [event]).problems
        guard problems.isEmpty else { throw ICalendarError(problems.joined(separator: "; ")) }
        let lines = ICalendarFolding.lines(ICalendarFolding.unfold(try event.libicalBytes(utc: try ICalendarTimeZones.utc())))
        self.init(lines: lines, holes: holes, isEvent: true)
        guard pieces.contains(where: { if case .stamp = $0 { true } else { false } }),
              pieces.contains(where: { if case .sequence = $0 { true } else { false } }) else {
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
        var pieces: [Piece] = []
        var folded: [UInt8] = []
        func flush() {
            if !folded.isEmpty { pieces.append(.folded(folded)) }
            folded = []
        }
        var depth = 0
        for line in lines {
            if line.starts(with: Self.begin) { depth += 1 }
            if line.starts(with: Self.end) { depth -= 1 }
            // The event's own change-tracking lines (depth 1: not an alarm's).
            if isEvent, depth == 1, let kind = Self.trackingPiece(line) {
                flush()
                pieces.append(kind)
                continue
            }
            let (segments, holes) = Self.split(line, at: markers)
            if holes.isEmpty {
                ICalendarFolding.fold(line, into: &folded)
            } else {
                flush()
                pieces.append(.line(segments: segments, holes: holes))
            }
        }
        flush()
        self.pieces = pieces
        self.tail = tail
    }

    private static let begin = Array("BEGIN:".utf8), end = Array("END:".utf8)
    private static let tracking: [([UInt8], Piece)] = [
        (Array("DTSTAMP:".utf8), .stamp), (Array("LAST-MODIFIED:".utf8), .lastModified), (Array("SEQUENCE:".utf8), .sequence),
    ]

    private static func trackingPiece(_ line: ArraySlice<UInt8>) -> Piece? {
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
              !CharacterSet.whitespacesAndNewlines.contains(first), !CharacterSet.whitespacesAndNewlines.contains(last) else { return false }
        let table = verbatimBytes
        return value.utf8.allSatisfy { table[Int($0)] }
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
    private var line: [UInt8] = []
    private let utc: OpaquePointer

    /// A document that starts with `head` filled with `values`; reserve `capacity` bytes.
    package init(head: ICalendarTemplate, values: [String], capacity: Int = 0) throws(ICalendarError) {
        utc = try ICalendarTimeZones.utc()
        tail = head.tail
        bytes.reserveCapacity(capacity)
        let utf8 = values.map { Array($0.utf8) }
        for piece in head.pieces { write(piece, utf8) }
    }

    /// Appends an event made from `template` with `values` for its holes.
    package mutating func append(_ template: ICalendarTemplate, values: [[UInt8]], stamp: ICalendarTimestamp,
                                 lastModified: ICalendarTimestamp, sequence: Int) {
        let utc = self.utc
        for piece in template.pieces {
            switch piece {
            case .stamp:
                bytes += Self.cached(&stamps, stamp) { icalproperty_new_dtstamp(ICalendarEvent.time(stamp, utc: utc)) }
            case .lastModified:
                bytes += Self.cached(&modifications, lastModified) { icalproperty_new_lastmodified(ICalendarEvent.time(lastModified, utc: utc)) }
            case .sequence:
                bytes += Self.cached(&sequences, sequence) { icalproperty_new_sequence(Int32(clamping: sequence)) }
            default:
                write(piece, values)
            }
        }
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

    private mutating func write(_ piece: ICalendarTemplate.Piece, _ values: [[UInt8]]) {
        switch piece {
        case .folded(let folded):
            bytes += folded
        case .line(let segments, let holes):
            line.removeAll(keepingCapacity: true)
            for (index, segment) in segments.enumerated() {
                line += segment
                if index < holes.count { line += values[holes[index]] }
            }
            ICalendarFolding.fold(line[...], into: &bytes)
        default:
            break
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
