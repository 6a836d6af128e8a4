public import Foundation

/// An RFC 5322 message with MIME parts, serialised with CRLF line ends, 7-bit headers
/// (non-ASCII text as RFC 2047 encoded words holding whole characters) and base64 bodies,
/// so no line exceeds 998 octets.
public struct MailMessage: Sendable {
    /// A mailbox: display name and address.
    public struct Address: Sendable, Hashable {
        /// Display name, any text.
        public let name: String
        /// The address, ASCII.
        public let address: String

        /// A mailbox.
        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// A leaf part.
    public struct Part: Sendable {
        /// Content type with parameters, e.g. `text/plain; charset=utf-8`.
        public let contentType: String
        /// The bytes, sent base64-encoded.
        public let body: Data
        /// `attachment; filename=…` or nil for inline.
        public let disposition: String?

        /// A part.
        public init(contentType: String, body: Data, disposition: String? = nil) {
            self.contentType = contentType
            self.body = body
            self.disposition = disposition
        }
    }

    public var from: Address
    public var to: [Address]
    public var subject: String
    public var date: Date
    /// Without angle brackets: `dutycal.2026-03-02.abcd@example.gov.cn`.
    public var messageID: String
    /// Alternatives shown to the reader (plain text, then HTML).
    public var alternatives: [Part]
    /// Attachments after the alternatives.
    public var attachments: [Part]
    /// Extra headers (ASCII values), in order.
    public var extraHeaders: [(String, String)]

    /// A message.
    public init(from: Address, to: [Address], subject: String, date: Date, messageID: String,
                alternatives: [Part], attachments: [Part] = [], extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.alternatives = alternatives
        self.attachments = attachments
        self.extraHeaders = extraHeaders
    }

    /// The message's bytes: headers, then `multipart/mixed` [`multipart/alternative`
    /// [parts…], attachments…] (or just the alternative when there is no attachment).
    /// Boundaries derive from the Message-ID, so the same message always serialises alike.
    public func serialized(timeZone: TimeZone) -> Data {
        var lines: [String] = []
        func header(_ name: String, _ value: String) { lines.append(MIME.foldHeader(name: name, value: value)) }
        header("From", MIME.mailbox(from, offset: "From: ".count))
        header("To", to.enumerated().map { MIME.mailbox($1, offset: $0 == 0 ? "To: ".count : 1) }.joined(separator: ", "))
        header("Subject", MIME.encodedWords(subject, offset: "Subject: ".count))
        header("Date", MIME.rfc5322Date(date, timeZone: timeZone))
        header("Message-ID", "<\(messageID)>")
        header("MIME-Version", "1.0")
        header("Auto-Submitted", "auto-generated")
        for (name, value) in extraHeaders { header(name, value) }

        let seed = MIME.hexDigest(messageID)
        let alternativeBoundary = "=_alt_\(seed)"
        let mixedBoundary = "=_mix_\(seed)"
        var body: [String] = []
        func leaf(_ part: Part) {
            body.append(MIME.foldHeader(name: "Content-Type", value: part.contentType))
            body.append("Content-Transfer-Encoding: base64")
            if let disposition = part.disposition { body.append(MIME.foldHeader(name: "Content-Disposition", value: disposition)) }
            body.append("")
            body.append(contentsOf: MIME.base64Lines(part.body))
        }
        func alternative() {
            body.append("Content-Type: multipart/alternative; boundary=\"\(alternativeBoundary)\"")
            body.append("")
            for part in alternatives {
                body.append("--\(alternativeBoundary)")
                leaf(part)
            }
            body.append("--\(alternativeBoundary)--")
        }
        if attachments.isEmpty {
            alternative()
        } else {
            body.append("Content-Type: multipart/mixed; boundary=\"\(mixedBoundary)\"")
            body.append("")
            body.append("This is a multi-part message in MIME format.")
            body.append("--\(mixedBoundary)")
            alternative()
            for part in attachments {
                body.append("--\(mixedBoundary)")
                leaf(part)
            }
            body.append("--\(mixedBoundary)--")
        }
        return Data((lines + body).joined(separator: "\r\n").utf8) + Data("\r\n".utf8)
    }
}

/// MIME and RFC 5322 helpers.
public enum MIME {
    /// `"=?UTF-8?B?...?=" <address>` for a non-ASCII name, `Name <address>` otherwise.
    /// `offset` is where on its line the mailbox starts.
    public static func mailbox(_ address: MailMessage.Address, offset: Int) -> String {
        if address.name.isEmpty { return address.address }
        let plain = address.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }
        return "\(plain ? address.name : encodedWords(address.name, offset: offset)) <\(address.address)>"
    }

    /// Text as it may stand in a header: unchanged when printable ASCII, else RFC 2047
    /// `=?UTF-8?B?…?=` words of whole characters, each at most 75 characters, separated by
    /// folding white space.
    public static func encodedWords(_ text: String, offset: Int) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) && text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
            return text
        }
        // A line holding encoded words stays within 76 characters: the first word shares its
        // line with the header name (`offset` characters), later ones follow a folding space.
        // A word is 12 characters of markup plus 4 base64 characters per 3 octets.
        func octets(forLine limit: Int) -> Int { max(3, (limit - 12) / 4 * 3) }
        var words: [String] = []
        var chunk = Data()
        var budget = octets(forLine: 76 - offset)
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > budget {
                budget = octets(forLine: 75)
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// `Name: value`, folded before a space so lines stay within 78 octets where possible
    /// (never more than 998).
    public static func foldHeader(name: String, value: String) -> String {
        var lines: [String] = []
        var current = "\(name):"
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if current.utf8.count + 1 + token.utf8.count > 78, current.utf8.count > name.utf8.count + 1 {
                lines.append(current)
                current = " " + token
            } else {
                current += " " + token
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// Base64 in lines of 76 characters.
    public static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// RFC 5322 date with a numeric zone: `Mon, 02 Mar 2026 07:00:00 +0800`.
    public static func rfc5322Date(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let offset = timeZone.secondsFromGMT(for: date) / 60
        let zone = "\(offset >= 0 ? "+" : "-")\(pad(abs(offset) / 60))\(pad(abs(offset) % 60))"
        return "\(days[c.weekday! - 1]), \(pad(c.day!)) \(months[c.month! - 1]) \(c.year!) \(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!)) \(zone)"
    }

    /// A short stable hex digest (FNV-1a, 64 bits) for boundaries and identities.
    public static func hexDigest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
