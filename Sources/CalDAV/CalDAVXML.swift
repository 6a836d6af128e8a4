import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The WebDAV and CalDAV request bodies, and the multistatus parser.
enum CalDAVXML {
    static let propfindResourceType = """
        <?xml version="1.0" encoding="utf-8"?>
        <d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>
        """

    static func mkcalendar(displayName: String) -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
          <d:set><d:prop>
            <d:displayname>\(escape(displayName))</d:displayname>
            <c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>
          </d:prop></d:set>
        </c:mkcalendar>
        """
    }

    static let calendarQuery = """
        <?xml version="1.0" encoding="utf-8"?>
        <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
          <d:prop><d:getetag/><c:calendar-data/></d:prop>
          <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/></c:comp-filter></c:filter>
        </c:calendar-query>
        """

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The responses of a 207 multistatus that carry an etag and calendar data.
    static func parseMultistatus(_ data: Data) throws(CalDAVError) -> [CalDAVObject] {
        let delegate = MultistatusParser()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse() else {
            throw CalDAVError("the server's multistatus answer is not XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        return delegate.objects
    }

    private final class MultistatusParser: NSObject, XMLParserDelegate {
        var objects: [CalDAVObject] = []
        var href = "", etag = "", calendar = "", text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            text = ""
            if name == "response" { href = ""; etag = ""; calendar = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "href": href = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "getetag": etag = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "calendar-data": calendar = text
            case "response":
                if !href.isEmpty, !calendar.isEmpty { objects.append(CalDAVObject(href: href, etag: etag, data: calendar)) }
            default: break
            }
            text = ""
        }
    }
}
