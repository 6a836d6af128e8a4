public import Diagnostics
import Calendrical
import Foundation
import Yams

/// Reads hand-edited YAML with every problem located (file:line:column) and collected.
///
/// The reader walks Yams' node tree instead of decoding, so that unknown keys, wrong types
/// and bad values are all reported at once with their positions and a hint.
struct YAMLReader {
    let file: String
    var diagnostics = DiagnosticsCollector()

    init(file: String) { self.file = file }

    /// Parses the text; nil (with a located error) when it is not well-formed YAML.
    mutating func parse(_ text: String) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                diagnostics.error("the file is empty", at: SourceLocation(file: file))
                return nil
            }
            return node
        } catch let error as YamlError {
            let (mark, problem) = YAMLReader.describe(error)
            diagnostics.error("malformed YAML: \(problem); fix the syntax (indentation, quoting, ':' after keys)",
                              at: SourceLocation(file: file, line: mark?.line, column: mark?.column))
            return nil
        } catch {
            diagnostics.error("cannot read YAML: \(error)", at: SourceLocation(file: file))
            return nil
        }
    }

    static func describe(_ error: YamlError) -> (Mark?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return (mark, [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "))
        case .reader(let problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, "\(error)")
        }
    }

    func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: file, line: node?.mark?.line, column: node?.mark?.column)
    }

    mutating func error(_ message: String, at node: Node?) {
        diagnostics.error(message, at: location(node))
    }

    // MARK: - Structure

    /// The mapping's entries, reporting keys outside `allowed` with the nearest valid one.
    mutating func mapping(_ node: Node?, _ what: String, allowed: [String]) -> [String: Node]? {
        guard let node else { return nil }
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping of key: value lines", at: node)
            return nil
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                error("\(what) has a key that is not text", at: key)
                continue
            }
            guard allowed.contains(name) else {
                let hint = Suggestion.nearest(to: name, in: allowed).map { "did you mean '\($0)'?" }
                    ?? "expected one of: \(allowed.joined(separator: ", "))"
                error("unknown key '\(name)' in \(what): \(hint)", at: key)
                continue
            }
            result[name] = value
        }
        return result
    }

    /// The items of a sequence (a lone scalar counts as a one-item list).
    mutating func sequence(_ node: Node?, _ what: String) -> [Node]? {
        guard let node else { return nil }
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case .scalar: return [node]
        default:
            error("\(what) must be a list", at: node)
            return nil
        }
    }

    /// A required value: reports its absence inside `parent`.
    mutating func required(_ map: [String: Node], _ key: String, in what: String, at parent: Node?) -> Node? {
        if let value = map[key] { return value }
        error("\(what) is missing '\(key)'", at: parent)
        return nil
    }

    // MARK: - Scalars

    mutating func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            error("\(what) must be text, not a list or mapping", at: node)
            return nil
        }
        let text = YAMLReader.trimmingWhitespace(scalar.string)
        if text.isEmpty {
            error("\(what) is empty", at: node)
            return nil
        }
        return text
    }

    /// `text` without leading and trailing spaces and tabs: what
    /// `trimmingCharacters(in: .whitespaces)` removes (tab and Unicode's space separators,
    /// the ideographic space among them), in native Swift, since Foundation's version costs
    /// a tenth of loading the catalogue. Text with nothing to trim is returned as it is.
    static func trimmingWhitespace(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[start...end])
    }

    mutating func int(_ node: Node?, _ what: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let value = Int(text) else {
            error("\(what) must be a whole number, not '\(text)'", at: node)
            return nil
        }
        if let range, !range.contains(value) {
            error("\(what) is \(value): expected \(range.lowerBound) to \(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    mutating func date(_ node: Node?, _ what: String) -> CivilDate? {
        guard let text = string(node, what) else { return nil }
        guard let date = CivilDate(text) else {
            error("\(what) '\(text)' is not a date: write YYYY-MM-DD with a day that exists", at: node)
            return nil
        }
        return date
    }

    mutating func strings(_ node: Node?, _ what: String) -> [String]? {
        guard let items = sequence(node, what) else { return nil }
        return items.compactMap { string($0, "an item of \(what)") }
    }

    mutating func dates(_ node: Node?, _ what: String) -> [CivilDate] {
        (sequence(node, what) ?? []).compactMap { date($0, "an item of \(what)") }
    }

    /// A value from a fixed vocabulary, with the nearest valid name on a typo.
    mutating func choice<T>(_ node: Node?, _ what: String, _ options: [String], _ make: (String) -> T?) -> T? {
        guard let text = string(node, what) else { return nil }
        if let value = make(text) { return value }
        let hint = Suggestion.nearest(to: text, in: options).map { "did you mean '\($0)'?" }
            ?? "expected one of: \(options.joined(separator: ", "))"
        error("\(what) '\(text)' is unknown: \(hint)", at: node)
        return nil
    }
}

extension Node {
    /// The node's own text when it is a scalar.
    var string: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }
}
