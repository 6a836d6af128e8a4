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
        var uid: [UInt8] = []
        uid.reserveCapacity(id.utf8.count + uidDomain.utf8.count + 8)
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "@"), UInt8(ascii: "."), UInt8(ascii: "-"):
                uid.append(byte)
            default:
                uid += [UInt8(ascii: "_"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        uid.append(UInt8(ascii: "@"))
        uid += uidDomain.utf8
        return String(decoding: uid, as: UTF8.self)
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
    /// FNV-1a 64-bit over a canonical rendering (`fingerprintText(of:)`), as 16 hex digits.
    /// A different digest means the event changed for its subscribers.
    package static func fingerprint(of event: ICalendarEvent) -> String {
        var hash = FNV1a()
        var text = fingerprintText(of: event)
        text.withUTF8 { hash.add($0) }
        return hash.hex
    }

    /// The canonical rendering `fingerprint(of:)` digests.
    package static func fingerprintText(of event: ICalendarEvent) -> String {
        var fields: [String] = ["v1", event.summary, event.description ?? "", event.categories.joined(separator: "\u{1E}"),
                                event.start.description, event.end.description, event.status?.rawValue ?? "",
                                event.transparency?.rawValue ?? "", event.url ?? "",
                                event.organizer.map { "\($0.address)\u{1E}\($0.commonName ?? "")" } ?? ""]
        fields += event.xProperties.map { "x\u{1E}\($0.name)\u{1E}\($0.value)" }
        fields += event.alarms.map { "a\u{1E}\($0.daysBefore)\u{1E}\($0.related.rawValue)\u{1E}\($0.hour)\u{1E}\($0.description)" }
        return fields.joined(separator: "\u{1F}")
    }

    /// FNV-1a, 64 bits, fed in pieces.
    package struct FNV1a {
        private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

        package init() {}

        /// Feeds `bytes`.
        package mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            var hash = self.hash
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            self.hash = hash
        }

        /// The digest as 16 lower-case hex digits.
        package var hex: String {
            let text = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
