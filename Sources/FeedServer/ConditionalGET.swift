public import Foundation

/// HTTP conditional GET and content coding for a representation (RFC 9110 13.1, 8.4).
public enum ConditionalGET {
    /// What to answer.
    public struct Decision: Equatable, Sendable {
        /// 200 or 304.
        public let status: Int
        /// True when the gzip encoding is sent.
        public let gzip: Bool
        /// The entity tag of the chosen encoding.
        public let etag: String
    }

    /// Decides the status and encoding: `If-None-Match` (weak comparison, `*` matches)
    /// takes precedence over `If-Modified-Since`; gzip when `Accept-Encoding` allows it.
    public static func decide(ifNoneMatch: String?, ifModifiedSince: String?, acceptEncoding: String?,
                              representation: Representation) -> Decision {
        let gzip = acceptsGzip(acceptEncoding)
        let etag = gzip ? representation.gzipETag : representation.etag
        if let ifNoneMatch {
            let tags = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let opaque = { (tag: String) in tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
            let matches = tags.contains("*") || tags.contains { [representation.etag, representation.gzipETag].contains(opaque($0)) }
            return Decision(status: matches ? 304 : 200, gzip: gzip, etag: etag)
        }
        if let ifModifiedSince, let since = HTTPDate.parse(ifModifiedSince),
           floor(representation.modified.timeIntervalSince1970) <= since.timeIntervalSince1970 {
            return Decision(status: 304, gzip: gzip, etag: etag)
        }
        return Decision(status: 200, gzip: gzip, etag: etag)
    }

    /// True when the `Accept-Encoding` value accepts gzip (with a non-zero quality).
    public static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }
}

/// IMF-fixdate, the HTTP date format: `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// Formats an instant (to the second, truncated).
    public static func format(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[c.weekday! - 1]), \(pad(c.day!)) \(months[c.month! - 1]) \(c.year!) \(pad(c.hour!)):\(pad(c.minute!)):\(pad(c.second!)) GMT"
    }

    /// Parses IMF-fixdate; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3]) else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return utc.date(from: DateComponents(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2]))
    }
}
