import FeedServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A source with one valid token and a version the test can bump.
final class TestSource: FeedSource, @unchecked Sendable {
    let lock = NSLock()
    var stamp = "v1"
    var renders = 0
    /// Opened by the test: the slow feed's rendering waits for it.
    let gate = AsyncStream<Void>.makeStream()
    static let token = "tok_0123456789abcdef"

    func version() async throws -> FeedVersion {
        FeedVersion(stamp: lock.withLock { stamp }, modified: Date(timeIntervalSince1970: 1_790_000_000))
    }

    func bump(_ value: String) { lock.withLock { stamp = value } }
    var renderCount: Int { lock.withLock { renders } }

    func scope(for token: String) async throws -> FeedScope? {
        [Self.token, "slow_0123456789abcdef"].contains(token) ? FeedScope(token: token, unit: "county", body: "anweiban", subscriber: nil) : nil
    }

    func render(_ scope: FeedScope, format: FeedFormat) async throws -> Data {
        if scope.token.hasPrefix("slow") { for await _ in gate.stream { break } }
        let stamp = lock.withLock { renders += 1; return self.stamp }
        return Data("BEGIN:VCALENDAR\r\nX-VERSION:\(stamp)\r\n\(String(repeating: "X-PAD:安全生产\r\n", count: 200))END:VCALENDAR\r\n".utf8)
    }

    func yearPage(_ scope: FeedScope, year: Int) async throws -> String { "<html><body>\(year)年</body></html>" }
}

@Suite struct FeedServerTests {
    func app(_ source: TestSource) -> some ApplicationProtocol {
        Application(router: FeedServer(source: source).router(logger: Logger(label: "test")))
    }

    @Test func healthCheck() async throws {
        try await app(TestSource()).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test func aFeedHasCalendarHeadersAndConditionalGETWorks() async throws {
        try await app(TestSource()).test(.router) { client in
            let etag = try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(response.headers[.cacheControl]?.contains("max-age") == true)
                #expect(response.headers[.lastModified] == "Mon, 21 Sep 2026 14:13:20 GMT")
                #expect(response.headers[.eTag]?.hasPrefix("\"") == true)
                return response.headers[.eTag]!
            }
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get, headers: [.ifModifiedSince: "Mon, 21 Sep 2026 14:13:20 GMT"]) { response in
                #expect(response.status == .notModified)
            }
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get, headers: [.ifModifiedSince: "Sun, 20 Sep 2026 14:13:20 GMT"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == etag)
            }
        }
    }

    @Test func aChangedVersionChangesTheETagAndRendersOnce() async throws {
        let source = TestSource()
        try await app(source).test(.router) { client in
            let first = try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get) { $0.headers[.eTag]! }
            _ = try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get) { $0.headers[.eTag]! }
            #expect(source.renderCount == 1)  // cached while nothing changed
            source.bump("v2")
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get, headers: [.ifNoneMatch: first]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] != first)
            }
            #expect(source.renderCount == 2)
        }
    }

    @Test func gzipWhenAsked() async throws {
        try await app(TestSource()).test(.router) { client in
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get, headers: [.acceptEncoding: "br, gzip;q=0.8"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.vary] == "Accept-Encoding")
                #expect(response.body.readableBytes < 2000)
                #expect(response.headers[.eTag]?.hasSuffix("-gzip\"") == true)
            }
            try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get, headers: [.acceptEncoding: "gzip;q=0"]) { response in
                #expect(response.headers[.contentEncoding] == nil)
            }
        }
    }

    @Test(arguments: ["/feeds/unknown_0123456789abc.ics", "/feeds/\(TestSource.token).pdf", "/feeds/short.ics",
                      "/feeds/..%2F..%2Fetc%2Fpasswd", "/feeds/../Package.swift", "/units/unknown_0123456789abc/2026",
                      "/units/\(TestSource.token)/1800", "/nothing"])
    func unknownTokensAndPathsAreThePlainSame404(path: String) async throws {
        try await app(TestSource()).test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.eTag] == nil)
            }
        }
    }

    @Test func csvDownloadsAndTheYearPage() async throws {
        try await app(TestSource()).test(.router) { client in
            try await client.execute(uri: "/feeds/\(TestSource.token).csv", method: .get) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(response.headers[.contentDisposition]?.contains("dutycal-county-anweiban.csv") == true)
            }
            try await client.execute(uri: "/units/\(TestSource.token)/2026", method: .get) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("2026年"))
            }
        }
    }

    /// The slow feed's rendering waits until the test opens the gate, and the test opens it
    /// only after the other requests were answered: if they waited for the slow one, the
    /// test would never finish (the time limit fails it).
    @Test(.timeLimit(.minutes(1))) func aFeedBeingRenderedDoesNotHoldUpOtherRequests() async throws {
        let source = TestSource()
        try await app(source).test(.router) { client in
            async let slow = client.execute(uri: "/feeds/slow_0123456789abcdef.ics", method: .get) { $0.status }
            try await Task.sleep(for: .milliseconds(100))
            let health = try await client.execute(uri: "/healthz", method: .get) { $0.status }
            let other = try await client.execute(uri: "/feeds/\(TestSource.token).ics", method: .get) { $0.status }
            #expect(health == .ok && other == .ok)
            source.gate.continuation.yield()
            #expect(try await slow == .ok)
        }
    }
}
