/// Where in a file a problem is: a path and a 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// 1-based line, or nil when the whole file is meant.
    public let line: Int?
    /// 1-based column, or nil.
    public let column: Int?

    /// A location in a file.
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, as compilers print it.
    public var description: String {
        switch (line, column) {
        case let (line?, column?): "\(file):\(line):\(column)"
        case let (line?, nil): "\(file):\(line)"
        default: file
        }
    }
}

/// One problem found in user input: where, what, and what to do about it.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    /// Error or warning.
    public let severity: Severity
    /// Where the problem is, when it has a place in a file.
    public let location: SourceLocation?
    /// What is wrong, naming the duty, key or value; ends with what to do when that is not obvious.
    public let message: String

    /// A diagnostic.
    public init(_ severity: Severity, at location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// Collects every problem of a validation run so they can be reported all at once.
public struct DiagnosticsCollector: Sendable {
    /// What has been found so far, in the order found.
    public private(set) var diagnostics: [Diagnostic] = []

    /// An empty collector.
    public init() {}

    /// Records an error.
    public mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    /// Records a warning.
    public mutating func warning(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.warning, at: location, message))
    }

    /// Adds diagnostics found elsewhere.
    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    /// True when at least one error was recorded.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The errors only.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Input that failed validation: every problem found, each located.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    /// All the problems, errors and warnings.
    public let diagnostics: [Diagnostic]

    /// A failure carrying `diagnostics`.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return (diagnostics.map(\.description) + ["\(errors) error\(errors == 1 ? "" : "s") found"]).joined(separator: "\n")
    }
}
