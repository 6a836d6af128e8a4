/// A typed identifier: the phantom `Subject` keeps a duty id from being passed where a
/// document or unit id belongs.
public struct Identifier<Subject>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The identifier's text, e.g. `zhifanian-2016-monthly-report`.
    public let rawValue: String

    /// An identifier with the given text.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// True when the text is a valid id: ASCII lower-case letters, digits and '-', starting
    /// with a letter or digit.
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.first, first != "-" else { return false }
        return text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// Marker for duty ids.
public enum DutyTag {}
/// Marker for document ids.
public enum DocumentTag {}
/// Marker for unit ids.
public enum UnitTag {}

/// A duty's stable id.
public typealias DutyID = Identifier<DutyTag>
/// A source document's id.
public typealias DocumentID = Identifier<DocumentTag>
/// A deployment unit's id (a county, a township…).
public typealias UnitID = Identifier<UnitTag>
