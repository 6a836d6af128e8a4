import Foundation

/// Byte-level checks of an iCalendar file, independent of libical: what calendar clients
/// and servers are known to reject or garble.
///
/// - CRLF line ends only (no bare CR or LF), and the file ends with one;
/// - every physical line at most 75 octets and valid UTF-8 on its own (a fold inside a
///   character fails);
/// - BEGIN/END balanced, one VCALENDAR;
/// - every VEVENT has one non-empty UID (unique in the file), a DTSTAMP in UTC (ending in
///   `Z`), a DTSTART, and a DTEND of the same value type after the DTSTART;
/// - every `TZID=` parameter names a VTIMEZONE in the file, and no TZID keeps libical's
///   `/freeassociation.sourceforge.net/` prefix.
enum ICalendarLint {
    /// One content line, unfolded.
    struct ContentLine {
        let number: Int
        let name: String
        let parameters: [String: String]
        let value: String
    }

    /// Every problem found, in file order; empty for a clean file.
    static func problems(_ data: Data) -> [String] {
        let bytes = [UInt8](data)
        var problems: [String] = []
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0D, index + 1 >= bytes.count || bytes[index + 1] != 0x0A {
                problems.append("bare CR at byte \(index)")
            }
            if byte == 0x0A, index == 0 || bytes[index - 1] != 0x0D {
                problems.append("bare LF at byte \(index)")
            }
        }
        if !bytes.isEmpty, !(bytes.count >= 2 && bytes[bytes.count - 2] == 0x0D && bytes[bytes.count - 1] == 0x0A) {
            problems.append("the last line does not end with CRLF")
        }
        let physical = physicalLines(bytes)
        for (number, line) in physical.enumerated() {
            if line.count > 75 { problems.append("line \(number + 1) has \(line.count) octets (more than 75)") }
            if Array(String(decoding: line, as: UTF8.self).utf8) != line {
                problems.append("line \(number + 1) is not valid UTF-8 on its own (folded inside a character?)")
            }
            if line.first == 0x20, line.count == 1 { problems.append("line \(number + 1) is an empty continuation") }
        }

        let lines = contentLines(physical, problems: &problems)
        var stack: [String] = []
        var calendars = 0
        var event: [ContentLine]?
        var uids: Set<String> = []
        var zones: Set<String> = []
        var tzidParameters: [(Int, String)] = []
        for line in lines {
            if let tzid = line.parameters["TZID"] { tzidParameters.append((line.number, tzid)) }
            switch line.name {
            case "BEGIN":
                stack.append(line.value)
                if line.value == "VCALENDAR" { calendars += 1 }
                if line.value == "VEVENT" { event = [] }
            case "END":
                if stack.last != line.value {
                    problems.append("line \(line.number): END:\(line.value) closes \(stack.last ?? "nothing")")
                } else {
                    stack.removeLast()
                }
                if line.value == "VEVENT", let properties = event {
                    problems += eventProblems(properties, at: line.number, uids: &uids)
                    event = nil
                }
            default:
                if stack.last == "VEVENT" { event?.append(line) }
                if stack.last == "VTIMEZONE", line.name == "TZID" { zones.insert(line.value) }
                if line.name == "TZID" || line.parameters["TZID"] != nil,
                   (line.parameters["TZID"] ?? line.value).contains("freeassociation.sourceforge.net") {
                    problems.append("line \(line.number): TZID keeps libical's prefix: \(line.parameters["TZID"] ?? line.value)")
                }
            }
        }
        if !stack.isEmpty { problems.append("unclosed: \(stack.joined(separator: ", "))") }
        if calendars != 1 { problems.append("\(calendars) VCALENDARs (expected 1)") }
        for (number, tzid) in tzidParameters where !zones.contains(tzid) {
            problems.append("line \(number): TZID=\(tzid) has no VTIMEZONE")
        }
        return problems
    }

    static func eventProblems(_ properties: [ContentLine], at number: Int, uids: inout Set<String>) -> [String] {
        var problems: [String] = []
        func all(_ name: String) -> [ContentLine] { properties.filter { $0.name == name } }
        let uid = all("UID")
        let label = uid.first?.value ?? "the VEVENT ending on line \(number)"
        if uid.count != 1 || uid[0].value.isEmpty {
            problems.append("\(label): \(uid.count) UIDs (expected one, not empty)")
        } else if !uids.insert(uid[0].value).inserted {
            problems.append("\(label): the UID is used twice")
        }
        let stamp = all("DTSTAMP")
        if stamp.count != 1 || !stamp[0].value.hasSuffix("Z") {
            problems.append("\(label): DTSTAMP missing or not UTC (\(stamp.first?.value ?? "none"))")
        }
        guard let start = all("DTSTART").first else {
            problems.append("\(label): no DTSTART")
            return problems
        }
        guard let end = all("DTEND").first else {
            problems.append("\(label): no DTEND")
            return problems
        }
        let startIsDate = start.parameters["VALUE"] == "DATE", endIsDate = end.parameters["VALUE"] == "DATE"
        if startIsDate != endIsDate {
            problems.append("\(label): DTSTART and DTEND have different value types")
        } else if startIsDate, !(start.value.count == 8 && end.value.count == 8) {
            problems.append("\(label): a DATE is not YYYYMMDD (\(start.value), \(end.value))")
        } else if end.value <= start.value {
            problems.append("\(label): DTEND \(end.value) is not after DTSTART \(start.value)")
        }
        return problems
    }

    /// Physical lines without their CRLF (the final empty piece dropped).
    static func physicalLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
            } else {
                current.append(bytes[index])
                index += 1
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Logical content lines: continuations joined, then split into name, parameters (a
    /// quoted value may hold `:` and `;`) and value.
    static func contentLines(_ physical: [[UInt8]], problems: inout [String]) -> [ContentLine] {
        var logical: [(Int, [UInt8])] = []
        for (number, line) in physical.enumerated() {
            if let first = line.first, first == 0x20 || first == 0x09, !logical.isEmpty {
                logical[logical.count - 1].1 += line.dropFirst()
            } else {
                logical.append((number + 1, line))
            }
        }
        var result: [ContentLine] = []
        for (number, bytes) in logical {
            let text = String(decoding: bytes, as: UTF8.self)
            var head = "", value = "", quoted = false, inValue = false
            for character in text {
                if inValue { value.append(character); continue }
                if character == "\"" { quoted.toggle() }
                if character == ":" && !quoted { inValue = true; continue }
                head.append(character)
            }
            guard inValue else {
                problems.append("line \(number): no ':' in '\(text.prefix(40))'")
                continue
            }
            var parts: [String] = []
            var part = ""
            quoted = false
            for character in head {
                if character == "\"" { quoted.toggle() }
                if character == ";" && !quoted { parts.append(part); part = ""; continue }
                part.append(character)
            }
            parts.append(part)
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let pieces = parameter.split(separator: "=", maxSplits: 1)
                guard pieces.count == 2 else {
                    problems.append("line \(number): parameter '\(parameter)' is not NAME=VALUE")
                    continue
                }
                parameters[pieces[0].uppercased()] = String(pieces[1])
            }
            result.append(ContentLine(number: number, name: parts[0].uppercased(), parameters: parameters, value: value))
        }
        return result
    }
}
