import Calendrical
package import Libical

extension ICalendarExporter {
    /// The domain part every UID ends with.
    public static let uidDomain = "dutycal"

    /// The UID of the occurrence with `id`: the id with every byte outside
    /// `[A-Za-z0-9@.-]` (including `_`, the escape character) written `_XX` (its UTF-8
    /// bytes in upper-case hex), then `@dutycal`.
    ///
    /// `county/yingji/zhifanian-2016-yuebao@2026-01` becomes
    /// `county_2Fyingji_2Fzhifanian-2016-yuebao@2026-01@dutycal`. The mapping is one-to-one
    /// (`id(fromUID:)` undoes it), so distinct occurrences never share a UID, and the UID
    /// is safe in file names and URLs (CalDAV servers name resources after it).
    public static func uid(for id: String) -> String {
        var uid = ""
        uid.reserveCapacity(id.utf8.count + uidDomain.count + 1)
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "@"), UInt8(ascii: "."), UInt8(ascii: "-"):
                uid.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                uid += "_" + hex(byte)
            }
        }
        return uid + "@" + uidDomain
    }

    /// The occurrence id a UID made by `uid(for:)` came from; nil for any other UID.
    public static func id(fromUID uid: String) -> String? {
        guard uid.hasSuffix("@" + uidDomain) else { return nil }
        let body = Array(uid.utf8.dropLast(uidDomain.utf8.count + 1))
        var bytes: [UInt8] = []
        var index = 0
        while index < body.count {
            if body[index] == UInt8(ascii: "_") {
                guard index + 2 < body.count, let value = UInt8(String(decoding: body[index + 1...index + 2], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                index += 3
            } else {
                bytes.append(body[index])
                index += 1
            }
        }
        let id = String(decoding: bytes, as: UTF8.self)
        return Array(id.utf8) == bytes ? id : nil
    }

    /// A digest of everything an event shows (all but its UID, timestamps and sequence):
    /// FNV-1a 64-bit over a canonical rendering, as 16 hex digits. A different digest means
    /// the event changed for its subscribers.
    package static func fingerprint(of event: ICalendarEvent) -> String {
        var fields: [String] = ["v1", event.summary, event.description ?? "", event.categories.joined(separator: "\u{1E}"),
                                event.start.description, event.end.description, event.status?.rawValue ?? "",
                                event.transparency?.rawValue ?? "", event.url ?? "",
                                event.organizer.map { "\($0.address)\u{1E}\($0.commonName ?? "")" } ?? ""]
        fields += event.xProperties.map { "x\u{1E}\($0.name)\u{1E}\($0.value)" }
        fields += event.alarms.map { "a\u{1E}\($0.daysBefore)\u{1E}\($0.related.rawValue)\u{1E}\($0.hour)\u{1E}\($0.description)" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in fields.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
