import CompressNIO
public import Foundation
import NIOCore

/// A rendered feed with what HTTP needs to serve it conditionally.
public struct Representation: Sendable {
    /// The body, kept as the buffer responses share (no copy per request).
    let buffer: ByteBuffer
    /// The body gzip-compressed.
    let gzippedBuffer: ByteBuffer
    /// Strong entity tags of the two encodings.
    public let etag: String
    public let gzipETag: String
    /// When its inputs last changed.
    public let modified: Date
    /// `modified` as an HTTP date, formatted once.
    let lastModified: String

    /// The body's bytes.
    public var data: Data { Data(buffer.readableBytesView) }
    /// The gzip-compressed body's bytes.
    public var gzipped: Data { Data(gzippedBuffer.readableBytesView) }

    /// A representation of `data`.
    public init(data: Data, modified: Date) throws {
        var buffer = ByteBuffer(bytes: data)
        self.buffer = buffer
        gzippedBuffer = try buffer.compress(with: .gzip())
        let digest = Representation.digest(data)
        etag = "\"\(digest)\""
        gzipETag = "\"\(digest)-gzip\""
        self.modified = modified
        lastModified = HTTPDate.format(modified)
    }

    /// FNV-1a 64 of the bytes, twice with different seeds: a 128-bit tag that changes with any byte.
    static func digest(_ data: Data) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in data {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        func hex(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return hex(a) + hex(b)
    }
}

/// Rendered feeds by token and format, rebuilt only when the inputs' version changed.
///
/// A hit is one dictionary lookup under a lock, with no executor hop; concurrent requests
/// for the same feed and version share one rendering, which runs in a detached task, so
/// requests for other feeds (and health checks) go on while a feed is rebuilt. A failed
/// rendering is not kept: the next request tries again.
final class FeedCache: @unchecked Sendable {
    struct Key: Hashable {
        let token: String
        let format: FeedFormat
    }

    private let lock = NSLock()
    private var entries: [Key: (stamp: String, representation: Representation)] = [:]
    private var building: [Key: (stamp: String, task: Task<Representation, any Error>)] = [:]
    private(set) var renderCount = 0

    /// The representation of `scope` in `format` for `version`, rendering it if needed.
    func representation(_ scope: FeedScope, _ format: FeedFormat, version: FeedVersion, source: some FeedSource) async throws -> Representation {
        let key = Key(token: scope.token, format: format)
        if let hit = lock.withLock({ entries[key].flatMap { $0.stamp == version.stamp ? $0.representation : nil } }) { return hit }
        let task = lock.withLock { () -> Task<Representation, any Error> in
            if let running = building[key], running.stamp == version.stamp { return running.task }
            renderCount += 1
            let task = Task.detached {
                try Representation(data: try await source.render(scope, format: format), modified: version.modified)
            }
            building[key] = (version.stamp, task)
            return task
        }
        defer { lock.withLock { if building[key]?.stamp == version.stamp { building[key] = nil } } }
        let representation = try await task.value
        lock.withLock { entries[key] = (version.stamp, representation) }
        return representation
    }

    /// Forgets everything of a token (after revocation).
    func forget(token: String) {
        lock.withLock { for key in entries.keys where key.token == token { entries[key] = nil } }
    }
}
