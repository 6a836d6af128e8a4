public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A calendar object on a CalDAV server: where it is, its entity tag, and its iCalendar text.
public struct CalDAVObject: Sendable, Hashable {
    /// The object's path on the server, e.g. `/user/duties/abc.ics`.
    public let href: String
    /// The server's entity tag.
    public let etag: String
    /// The object's iCalendar text.
    public let data: String
}

/// A failed CalDAV exchange, naming the request and the server's answer.
public struct CalDAVError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A small CalDAV (RFC 4791) client over HTTP: create a calendar collection, list its
/// objects with their data, and put or delete objects conditionally.
public struct CalDAVClient: Sendable {
    /// The collection URL, ending in `/`.
    public let collection: URL
    let authorization: String?

    /// A client for the collection at `url`, with basic authentication when a user is given.
    public init(collection url: URL, user: String?, password: String?) {
        let text = url.absoluteString
        collection = text.hasSuffix("/") ? url : URL(string: text + "/")!
        if let user {
            authorization = "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
    }

    /// Sends a request; returns the status, headers and body.
    func send(_ method: String, _ url: URL, body: Data? = nil, headers: [String: String] = [:]) async throws(CalDAVError)
        -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 60
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response) = try await CalDAVClient.session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw CalDAVError("\(method) \(url.absoluteString): not an HTTP response") }
            var fields: [String: String] = [:]
            for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
            return (http.statusCode, fields, data)
        } catch let error as CalDAVError {
            throw error
        } catch let error as URLError where [.cancelled, .userCancelledAuthentication, .userAuthenticationRequired].contains(error.code) {
            throw CalDAVError("the server refused \(url.absoluteString) (HTTP 401, authentication): check the user and password")
        } catch {
            throw CalDAVError("\(method) \(url.absoluteString) failed: \(error.localizedDescription); check the URL and that the server is running")
        }
    }

    /// A session that answers HTTP authentication challenges with "no credentials": the
    /// Authorization header is set on every request, so a challenge means it was refused,
    /// and the 401 must come back instead of the default handling retrying.
    static let session = URLSession(configuration: .ephemeral, delegate: RefuseChallenges(), delegateQueue: nil)

    final class RefuseChallenges: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
            completionHandler(.rejectProtectionSpace, nil)
        }
    }

    /// Creates the calendar collection unless it exists (`PROPFIND` Depth 0, then `MKCALENDAR`).
    public func ensureCollection(displayName: String) async throws(CalDAVError) {
        let probe = try await send("PROPFIND", collection, body: Data(CalDAVXML.propfindResourceType.utf8),
                                   headers: ["Depth": "0", "Content-Type": "application/xml; charset=utf-8"])
        switch probe.status {
        case 207: return
        case 401, 403: throw CalDAVError("the server refused \(collection.absoluteString) (HTTP \(probe.status)): check the user and password")
        case 404:
            let made = try await send("MKCALENDAR", collection, body: Data(CalDAVXML.mkcalendar(displayName: displayName).utf8),
                                      headers: ["Content-Type": "application/xml; charset=utf-8"])
            guard made.status == 201 else {
                throw CalDAVError("MKCALENDAR \(collection.absoluteString) answered HTTP \(made.status): \(String(decoding: made.body.prefix(300), as: UTF8.self))")
            }
        default:
            throw CalDAVError("PROPFIND \(collection.absoluteString) answered HTTP \(probe.status); is this a CalDAV calendar URL?")
        }
    }

    /// Every VEVENT object in the collection, with its entity tag and data (`REPORT`
    /// calendar-query, RFC 4791 7.8).
    public func objects() async throws(CalDAVError) -> [CalDAVObject] {
        let answer = try await send("REPORT", collection, body: Data(CalDAVXML.calendarQuery.utf8),
                                    headers: ["Depth": "1", "Content-Type": "application/xml; charset=utf-8"])
        guard answer.status == 207 else {
            throw CalDAVError("REPORT \(collection.absoluteString) answered HTTP \(answer.status)")
        }
        return try CalDAVXML.parseMultistatus(answer.body)
    }

    /// Puts an object: `If-None-Match: *` when new, `If-Match` with its tag when replacing.
    public func put(name: String, data: String, replacing etag: String?) async throws(CalDAVError) {
        let url = collection.appendingPathComponent(name)
        var headers = ["Content-Type": "text/calendar; charset=utf-8"]
        if let etag { headers["If-Match"] = etag } else { headers["If-None-Match"] = "*" }
        let answer = try await send("PUT", url, body: Data(data.utf8), headers: headers)
        guard [200, 201, 204].contains(answer.status) else {
            let why = answer.status == 412 ? ": the object changed on the server meanwhile; run publish again" : ""
            throw CalDAVError("PUT \(url.absoluteString) answered HTTP \(answer.status)\(why)")
        }
    }

    /// Deletes an object if it still has the tag.
    public func delete(href: String, etag: String) async throws(CalDAVError) {
        guard let url = URL(string: href, relativeTo: collection)?.absoluteURL else { throw CalDAVError("bad href \(href)") }
        let answer = try await send("DELETE", url, headers: ["If-Match": etag])
        guard [200, 204, 404].contains(answer.status) else {
            throw CalDAVError("DELETE \(url.absoluteString) answered HTTP \(answer.status)")
        }
    }
}
