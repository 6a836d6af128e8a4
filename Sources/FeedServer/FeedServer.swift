public import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// The subscription server: feeds at secret-token URLs, CSV downloads, year pages and a
/// health check, over HTTP with conditional GET, gzip and cache headers.
///
/// Routes: `GET /feeds/<token>.ics`, `GET /feeds/<token>.csv`, `GET /units/<token>/<year>`,
/// `GET /healthz` (HEAD too). An unknown or revoked token is a plain 404, the same as any
/// path that does not exist, so a response never tells whether a token ever existed.
public struct FeedServer<Source: FeedSource>: Sendable {
    /// Where feeds come from.
    public let source: Source
    /// `Cache-Control` of feed responses.
    public let cacheControl: String
    let cache = FeedCache()

    /// A server over `source`.
    public init(source: Source, cacheControl: String = "private, max-age=900, must-revalidate") {
        self.source = source
        self.cacheControl = cacheControl
    }

    /// The router, for in-process tests and for `application`.
    public func router(logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AccessLog(logger: logger))
        router.add(middleware: SameNotFound())
        router.on("/healthz", method: .head) { _, _ -> Response in Response(status: .ok, headers: [.cacheControl: "no-store"]) }
        router.get("/healthz") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let feed: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            guard let file = context.parameters.get("file"), let (token, format) = FeedServer.parseFeedFile(file),
                  let scope = try await source.scope(for: token) else { return PlainResponse.notFound }
            let version = try await source.version()
            let representation = try await cache.representation(scope, format, version: version, source: source)
            return respond(request, representation, contentType: format.contentType,
                           filename: format == .csv ? "dutycal-\(scope.unit)\(scope.body.map { "-\($0)" } ?? "").csv" : nil)
        }
        let page: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            guard let token = context.parameters.get("token"), FeedServer.isToken(token),
                  let yearText = context.parameters.get("year"), let year = Int(yearText), (1949...2100).contains(year),
                  let scope = try await source.scope(for: token) else { return PlainResponse.notFound }
            let version = try await source.version()
            let html = try await source.yearPage(scope, year: year)
            let representation = try Representation(data: Data(html.utf8), modified: version.modified)
            return respond(request, representation, contentType: "text/html; charset=utf-8", filename: nil)
        }
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/feeds/:file", method: method) { request, context in
                let response = try await feed(request, context)
                return method == .head ? PlainResponse.headOnly(response) : response
            }
            router.on("/units/:token/:year", method: method) { request, context in
                let response = try await page(request, context)
                return method == .head ? PlainResponse.headOnly(response) : response
            }
        }
        return router
    }

    /// An application listening on `host:port` (127.0.0.1 by default); run it with
    /// `runService()`, which stops gracefully on SIGTERM and SIGINT.
    public func application(host: String, port: Int, logger: Logger,
                            onRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router(logger: logger), configuration: .init(address: .hostname(host, port: port), serverName: "dutycal"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }

    /// Serves on `host:port` until SIGTERM or SIGINT, then finishes the requests in flight
    /// and returns. `onRunning` gets the port listened on (useful with port 0). A failure to
    /// listen (the port in use, an address this machine does not have) throws
    /// ``FeedServerError``.
    public func run(host: String, port: Int, logger: Logger, onRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        let started = Started()
        let app = application(host: host, port: port, logger: logger) { port in
            started.set()
            await onRunning(port)
        }
        do {
            try await app.runService()
        } catch {
            guard !started.isSet else { throw error }
            throw FeedServerError(host: host, port: port, reason: Self.reason(error))
        }
    }

    /// `Address already in use` rather than NIO's type names.
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return String(describing: error)
    }

    func respond(_ request: Request, _ representation: Representation, contentType: String, filename: String?) -> Response {
        let decision = ConditionalGET.decide(ifNoneMatch: request.headers[.ifNoneMatch], ifModifiedSince: request.headers[.ifModifiedSince],
                                             acceptEncoding: request.headers[.acceptEncoding], representation: representation)
        var headers: HTTPFields = [
            .contentType: contentType,
            .eTag: decision.etag,
            .lastModified: representation.lastModified,
            .cacheControl: cacheControl,
            .vary: "Accept-Encoding",
        ]
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        if decision.status == 304 {
            return Response(status: .notModified, headers: headers)
        }
        if decision.gzip { headers[.contentEncoding] = "gzip" }
        // The cached buffers are shared, not copied: ByteBuffer is copy-on-write.
        let body = decision.gzip ? representation.gzippedBuffer : representation.buffer
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// `<token>.ics` or `<token>.csv`.
    static func parseFeedFile(_ file: String) -> (String, FeedFormat)? {
        guard let dot = file.lastIndex(of: "."), let format = FeedFormat(rawValue: String(file[file.index(after: dot)...])) else { return nil }
        let token = String(file[..<dot])
        return isToken(token) ? (token, format) : nil
    }

    /// Tokens are 16–128 characters of `A-Z a-z 0-9 - _`: nothing else reaches a lookup.
    static func isToken(_ text: String) -> Bool {
        (16...128).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// The server could not listen on its address.
public struct FeedServerError: Error, CustomStringConvertible {
    /// The host asked for.
    public let host: String
    /// The port asked for.
    public let port: Int
    /// The system's reason, e.g. `Address already in use`.
    public let reason: String

    /// `cannot listen on 127.0.0.1:8080: Address already in use; …`.
    public var description: String {
        "cannot listen on \(host):\(port): \(reason); choose another port (--port, or port: under server: in the deployment) or stop what uses it"
    }
}

/// Set once the server listens, so a later failure is not reported as a failure to listen.
final class Started: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Responses that do not depend on the source.
enum PlainResponse {
    /// The response without its body, headers kept (HEAD).
    static func headOnly(_ response: Response) -> Response {
        Response(status: response.status, headers: response.headers)
    }

    /// The one 404 of the server: unknown tokens, revoked tokens and wrong paths alike.
    static var notFound: Response {
        Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "Not Found\n")))
    }
}

/// Paths no route matches get the very response an unknown token gets, so nothing tells
/// the two apart.
struct SameNotFound<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return request.method == .head ? PlainResponse.headOnly(PlainResponse.notFound) : PlainResponse.notFound
        }
    }
}

/// One structured log line per request; tokens are shortened so logs do not leak them.
struct AccessLog<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let micro = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            let hundredths = (micro + 5) / 10
            let fraction = hundredths % 100
            logger.info("request", metadata: [
                "method": .string(request.method.rawValue), "path": .string(AccessLog.redact(request.uri.path)),
                "status": .stringConvertible(status), "ms": .string("\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"),
            ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPError {
            status = error.status.code
            throw error
        }
    }

    /// `/feeds/abcd1234….ics` → `/feeds/abcd….ics`.
    static func redact(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            let name = segment.split(separator: ".", maxSplits: 1)
            guard let first = name.first, first.count >= 16 else { return String(segment) }
            return "\(first.prefix(4))…" + (name.count > 1 ? ".\(name[1])" : "")
        }.joined(separator: "/")
    }
}
