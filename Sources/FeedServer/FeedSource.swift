public import Foundation

/// What a secret token opens: a unit's feed, one body's, or one subscriber's.
public struct FeedScope: Hashable, Sendable {
    /// The token (the secret part of the URL).
    public let token: String
    /// The unit.
    public let unit: String
    /// The body, or nil for the whole unit.
    public let body: String?
    /// The subscriber it was issued to, if any.
    public let subscriber: String?

    /// A scope.
    public init(token: String, unit: String, body: String?, subscriber: String?) {
        self.token = token
        self.unit = unit
        self.body = body
        self.subscriber = subscriber
    }
}

/// The formats feeds are served in.
public enum FeedFormat: String, CaseIterable, Sendable {
    case ics, csv

    /// The `Content-Type` header.
    public var contentType: String {
        switch self {
        case .ics: "text/calendar; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        }
    }
}

/// A stamp of everything feeds are made from (catalogue, working-day calendar, ledger):
/// equal stamps mean equal feeds.
public struct FeedVersion: Hashable, Sendable {
    /// Changes whenever any input changes.
    public let stamp: String
    /// When the newest input changed (for `Last-Modified`).
    public let modified: Date

    /// A version.
    public init(stamp: String, modified: Date) {
        self.stamp = stamp
        self.modified = modified
    }
}

/// Where the server gets feeds from; the executable implements it over the catalogue and
/// the ledger.
///
/// Conforming types must be safe to call from many requests at once; `render` may take long
/// and runs off the request path of other feeds.
public protocol FeedSource: Sendable {
    /// The current version of the inputs; called on every request, so it must be cheap.
    func version() async throws -> FeedVersion
    /// What `token` opens; nil for an unknown or revoked token.
    func scope(for token: String) async throws -> FeedScope?
    /// The feed of a scope in a format.
    func render(_ scope: FeedScope, format: FeedFormat) async throws -> Data
    /// The year-at-a-glance page (HTML) of a scope.
    func yearPage(_ scope: FeedScope, year: Int) async throws -> String
}
