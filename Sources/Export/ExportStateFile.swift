public import Foundation

/// The change-tracking state of every file exported into a folder, kept in
/// `.dutycal-state.json` there so a re-export keeps unchanged events' timestamps.
///
/// The file is the JSON `JSONEncoder` writes with sorted keys, pretty-printed and without
/// escaped slashes, plus a final line break; states whose keys and values are plain ASCII
/// (all that the built-in exporters make) are written directly, byte for byte the same,
/// since a province's state holds half a million items.
public enum ExportStateFile {
    /// The state file's name.
    public static let name = ".dutycal-state.json"

    /// The state file's path in `folder` (the current folder for an empty one).
    public static func path(_ folder: String) -> String { "\(folder.isEmpty ? "." : folder)/\(name)" }

    /// The states stored in `folder`; empty when there is no state file or it does not read.
    public static func read(folder: String) -> [String: ExportState] {
        guard let data = FileManager.default.contents(atPath: path(folder)) else { return [:] }
        return decoded(data) ?? [:]
    }

    /// The states in a state file's bytes; nil when they are not such a file.
    public static func decoded(_ data: Data) -> [String: ExportState]? {
        if let direct = directlyDecoded(Array(data)) { return direct }
        return try? JSONDecoder().decode([String: ExportState].self, from: data)
    }

    /// Replaces the state file in `folder` (atomically); writes nothing for no states.
    public static func write(_ states: [String: ExportState], folder: String) throws(ExportError) {
        guard !states.isEmpty else { return }
        try AtomicFile.write(try encoded(states), to: path(folder))
    }

    /// The state file's bytes for `states`.
    public static func encoded(_ states: [String: ExportState]) throws(ExportError) -> Data {
        if let direct = directlyEncoded(states) { return direct }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(states) + Data("\n".utf8)
        } catch {
            throw ExportError("cannot encode the export state: \(error)")
        }
    }

    /// `JSONEncoder`'s output written directly, or nil when a key or value is not plain
    /// ASCII (which JSON would escape, or whose order depends on Unicode rules).
    static func directlyEncoded(_ states: [String: ExportState]) -> Data? {
        func sorted<V>(_ dictionary: [String: V]) -> [(key: String, value: V)]? {
            guard dictionary.keys.allSatisfy(isPlain) else { return nil }
            // Plain ASCII: String order is byte order, which is JSONEncoder's.
            return dictionary.sorted { $0.key < $1.key }
        }
        var out: [UInt8] = []
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        guard let files = sorted(states) else { return nil }
        out.reserveCapacity(states.values.reduce(0) { $0 + $1.items.count } * 190 + 64)
        put("{\n")
        for (fileIndex, (file, state)) in files.enumerated() {
            guard let items = sorted(state.items) else { return nil }
            put("  \"\(file)\" : {\n    \"items\" : {\n")
            if items.isEmpty { put("\n") }
            for (index, (id, item)) in items.enumerated() {
                guard isPlain(item.fingerprint), isPlain(item.modified) else { return nil }
                put("      \""); put(id); put("\" : {\n        \"fingerprint\" : \""); put(item.fingerprint)
                put("\",\n        \"modified\" : \""); put(item.modified); put("\",\n        \"sequence\" : ")
                put(String(item.sequence)); put("\n      }")
                put(index + 1 < items.count ? ",\n" : "\n")
            }
            put("    },\n    \"version\" : \(state.version)\n  }")
            put(fileIndex + 1 < files.count ? ",\n" : "\n")
        }
        put("}\n")
        return Data(out)
    }

    /// Printable ASCII without `"` and `\\`: written in JSON as it is.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// Reads exactly the layout `directlyEncoded` writes; nil for anything else (which
    /// `JSONDecoder` then reads).
    static func directlyDecoded(_ bytes: [UInt8]) -> [String: ExportState]? {
        var reader = LayoutReader(bytes: bytes)
        var states: [String: ExportState] = [:]
        guard reader.take("{\n") else { return nil }
        var more = !reader.take("}")
        while more {
            guard reader.take("  \""), let file = reader.string(), reader.take(" : {\n    \"items\" : {\n") else { return nil }
            var items: [String: ExportState.Item] = [:]
            if !reader.take("\n") {
                var moreItems = true
                while moreItems {
                    guard reader.take("      \""), let id = reader.string(), reader.take(" : {\n        \"fingerprint\" : \""),
                          let fingerprint = reader.string(), reader.take(",\n        \"modified\" : \""), let modified = reader.string(),
                          reader.take(",\n        \"sequence\" : "), let sequence = reader.integer(), reader.take("\n      }") else { return nil }
                    items[id] = ExportState.Item(fingerprint: fingerprint, sequence: sequence, modified: modified)
                    moreItems = reader.take(",\n")
                    if !moreItems, !reader.take("\n") { return nil }
                }
            }
            guard reader.take("    },\n    \"version\" : "), let version = reader.integer(), reader.take("\n  }") else { return nil }
            var state = ExportState(items: items)
            state.version = version
            states[file] = state
            more = reader.take(",\n")
            if !more, !reader.take("\n}") { return nil }
        }
        _ = reader.take("\n")
        return reader.atEnd ? states : nil
    }

    /// A cursor over a state file's bytes.
    private struct LayoutReader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        /// Skips `literal` if it comes next.
        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let matches = literal.withUTF8Buffer { buffer in
                bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + index, buffer.baseAddress!, count) == 0 }
            }
            if matches { index += count }
            return matches
        }

        /// The rest of a string whose opening quote was taken, and its closing quote; nil
        /// for an escape or a non-ASCII byte.
        mutating func string() -> String? {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                guard bytes[index] >= 0x20, bytes[index] < 0x7F, bytes[index] != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// A decimal integer, possibly negative.
        mutating func integer() -> Int? {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return Int(String(decoding: bytes[start..<index], as: UTF8.self))
        }
    }
}
