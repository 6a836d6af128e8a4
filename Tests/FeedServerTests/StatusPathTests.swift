import FeedServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A source whose rendering fails until told otherwise, for the 500 path.
final class FlakySource: FeedSource, @unchecked Sendable {
    let lock = NSLock()
    var failing = true

    func version() async throws -> FeedVersion { FeedVersion(stamp: "v1", modified: Date(timeIntervalSince1970: 1_790_000_000)) }
    func scope(for token: String) async throws -> FeedScope? { FeedScope(token: token, unit: "county", body: nil, subscriber: nil) }
    func render(_ scope: FeedScope, format: FeedFormat) async throws -> Data {
        if lock.withLock({ failing }) { throw CocoaError(.fileReadCorruptFile) }
        return Data("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8)
    }
    func yearPage(_ scope: FeedScope, year: Int) async throws -> String { throw CocoaError(.fileReadCorruptFile) }
}

/// Log lines kept in memory, to check what the access log says.
final class LogRecorder: @unchecked Sendable {
    let lock = NSLock()
    var lines: [String] = []

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let fields = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            recorder.lock.withLock { recorder.lines.append("\(message) \(fields)") }
        }
    }

    var logger: Logger { Logger(label: "test") { _ in Handler(recorder: self) } }
}

/// The status-code paths the main suite does not reach: 304 by `*`, weak and gzip tags,
/// If-None-Match over If-Modified-Since, bad dates, HEAD of every kind, 405, 500 (and that
/// a failure is not cached), year-page revalidation, and tokens kept out of the log.
@Suite struct StatusPathTests {
    let feed = "/feeds/\(TestSource.token).ics"

    func app(_ source: some FeedSource, logger: Logger = Logger(label: "test")) -> some ApplicationProtocol {
        Application(router: FeedServer(source: source).router(logger: logger))
    }

    @Test func ifNoneMatchVariantsAnswer304() async throws {
        try await app(TestSource()).test(.router) { client in
            let (etag, gzipETag) = try await client.execute(uri: feed, method: .get, headers: [.acceptEncoding: "gzip"]) { response in
                (response.headers[.eTag]!.replacingOccurrences(of: "-gzip", with: ""), response.headers[.eTag]!)
            }
            for tag in ["*", "W/\(etag)", "\"other\", \(gzipETag)", etag] {
                try await client.execute(uri: feed, method: .get, headers: [.ifNoneMatch: tag]) { response in
                    #expect(response.status == .notModified, "If-None-Match: \(tag)")
                    #expect(response.headers[.eTag] == etag)
                    #expect(response.headers[.contentEncoding] == nil)
                }
            }
            // 304 to HEAD as well.
            try await client.execute(uri: feed, method: .head, headers: [.ifNoneMatch: etag]) { #expect($0.status == .notModified) }
        }
    }

    @Test func ifNoneMatchWinsOverIfModifiedSinceAndBadDatesAreIgnored() async throws {
        try await app(TestSource()).test(.router) { client in
            let fresh = "Mon, 21 Sep 2026 14:13:20 GMT"
            try await client.execute(uri: feed, method: .get, headers: [.ifNoneMatch: "\"stale\"", .ifModifiedSince: fresh]) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes > 0)
            }
            for date in ["yesterday", "2026-09-21T14:13:20Z", "Mon, 21 Sep 2026 14:13 GMT"] {
                try await client.execute(uri: feed, method: .get, headers: [.ifModifiedSince: date]) { response in
                    #expect(response.status == .ok, "If-Modified-Since: \(date)")
                }
            }
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await app(TestSource()).test(.router) { client in
            let getLength = try await client.execute(uri: feed, method: .get, headers: [.acceptEncoding: "gzip"]) { $0.headers[.contentLength] }
            try await client.execute(uri: feed, method: .head, headers: [.acceptEncoding: "gzip"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.contentLength] == getLength)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/healthz", method: .head) { #expect($0.status == .ok && $0.body.readableBytes == 0) }
            try await client.execute(uri: "/units/\(TestSource.token)/2026", method: .head) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.body.readableBytes == 0)
            }
            for path in ["/feeds/unknown_0123456789abc.ics", "/nothing"] {
                try await client.execute(uri: path, method: .head) { #expect($0.status == .notFound && $0.body.readableBytes == 0) }
            }
        }
    }

    @Test func theYearPageRevalidates() async throws {
        try await app(TestSource()).test(.router) { client in
            let page = "/units/\(TestSource.token)/2026"
            let etag = try await client.execute(uri: page, method: .get) { $0.headers[.eTag]! }
            try await client.execute(uri: page, method: .get, headers: [.ifNoneMatch: etag]) { #expect($0.status == .notModified) }
            try await client.execute(uri: "/units/\(TestSource.token)/2027", method: .get, headers: [.ifNoneMatch: etag]) { #expect($0.status == .ok) }
        }
    }

    /// A path no route matches answers byte for byte what an unknown token gets.
    @Test func wrongPathsAndUnknownTokensGetTheSameBytes() async throws {
        try await app(TestSource()).test(.router) { client in
            let unknown = try await client.execute(uri: "/feeds/unknown_0123456789abc.ics", method: .get) { ($0.status, $0.headers[.contentType], String(buffer: $0.body)) }
            #expect(unknown.0 == .notFound && !unknown.2.isEmpty)
            for path in ["/nothing", "/feeds", "/feeds/a/b/c", "/units/x", "/healthz/x"] {
                let answer = try await client.execute(uri: path, method: .get) { ($0.status, $0.headers[.contentType], String(buffer: $0.body)) }
                #expect(answer == unknown, "\(path)")
            }
        }
    }

    /// Writing methods are not routes: the answer never depends on whether the token exists.
    @Test func otherMethodsGetTheSameAnswerForKnownAndUnknownTokens() async throws {
        try await app(TestSource()).test(.router) { client in
            let known = try await client.execute(uri: feed, method: .post) { $0.status }
            let unknown = try await client.execute(uri: "/feeds/unknown_0123456789abc.ics", method: .post) { $0.status }
            #expect(known == unknown)
            #expect(known.code >= 400 && known.code < 500)
            try await client.execute(uri: feed, method: .delete) { #expect($0.status.code >= 400 && $0.status.code < 500) }
        }
    }

    @Test func aFailingRenderIs500AndIsNotCached() async throws {
        let source = FlakySource()
        try await app(source).test(.router) { client in
            try await client.execute(uri: feed, method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.eTag] == nil)
            }
            try await client.execute(uri: "/units/\(TestSource.token)/2026", method: .get) { #expect($0.status == .internalServerError) }
            source.lock.withLock { source.failing = false }
            try await client.execute(uri: feed, method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).hasPrefix("BEGIN:VCALENDAR"))
            }
        }
    }

    @Test func theAccessLogHasStatusAndShortenedTokens() async throws {
        let recorder = LogRecorder()
        try await app(TestSource(), logger: recorder.logger).test(.router) { client in
            _ = try await client.execute(uri: feed, method: .get) { $0.status }
            _ = try await client.execute(uri: "/feeds/unknown_0123456789abc.csv", method: .get) { $0.status }
        }
        let lines = recorder.lock.withLock { recorder.lines }
        #expect(lines.count == 2)
        #expect(lines[0].contains("status=200") && lines[0].contains("method=GET") && lines[0].contains("path=/feeds/tok_….ics"), "\(lines)")
        #expect(lines[1].contains("status=404") && lines[1].contains("path=/feeds/unkn….csv"), "\(lines)")
        #expect(!lines.joined().contains("0123456789"))
    }
}
