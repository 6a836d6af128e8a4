/// Line folding of iCalendar content (RFC 5545 section 3.1), on bytes.
///
/// libical 3.0.16 folds its output itself, but not reliably: when a continuation holds
/// exactly 73 octets it splits the CRLF that ends the property (`…\r` `\r\n` ` \n`, a bare
/// CR and a bare LF), and at 74 octets it leaves an empty continuation line. So the
/// serializer unfolds libical's output (which also repairs those two cases) and folds it
/// again here: every physical line at most 75 octets including the leading space of a
/// continuation, breaks only between UTF-8 characters and never inside a backslash escape,
/// CRLF throughout.
enum ICalendarFolding {
    /// The longest physical line, in octets, without its CRLF.
    static let lineLimit = 75

    private static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, space: UInt8 = 0x20, tab: UInt8 = 0x09
    private static let backslash: UInt8 = 0x5C

    /// Removes every fold: a CRLF followed by one space or tab.
    static func unfold(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == cr, index + 2 < bytes.count, bytes[index + 1] == lf,
               bytes[index + 2] == space || bytes[index + 2] == tab {
                index += 3
                continue
            }
            result.append(bytes[index])
            index += 1
        }
        return result
    }

    /// The logical lines (unfolded, without line ends) of unfolded content; a bare CR or LF
    /// also ends a line, so no line holds one.
    static func lines(_ unfolded: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0, index = 0
        while index < unfolded.count {
            let byte = unfolded[index]
            if byte == cr || byte == lf {
                lines.append(unfolded[start..<index])
                index += (byte == cr && index + 1 < unfolded.count && unfolded[index + 1] == lf) ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        if start < unfolded.count { lines.append(unfolded[start...]) }
        return lines
    }

    /// Content lines folded at `lineLimit` octets, each physical line ended by CRLF; empty
    /// logical lines are dropped.
    static func fold(_ lines: [ArraySlice<UInt8>]) -> [UInt8] {
        var result: [UInt8] = []
        for line in lines { fold(line, into: &result) }
        return result
    }

    /// One logical line folded at `lineLimit` octets and appended to `result`, each
    /// physical line ended by CRLF; nothing for an empty line.
    static func fold(_ line: ArraySlice<UInt8>, into result: inout [UInt8]) {
        line.withUnsafeBufferPointer { fold($0, into: &result) }
    }

    /// `fold(_:into:)` on the line's bytes in memory.
    static func fold(_ line: UnsafeBufferPointer<UInt8>, into result: inout [UInt8]) {
        guard !line.isEmpty else { return }
        var start = 0
        var capacity = lineLimit
        while true {
            if line.count - start <= capacity {
                result.append(contentsOf: UnsafeBufferPointer(rebasing: line[start...]))
                result.append(cr)
                result.append(lf)
                return
            }
            let cut = breakPoint(in: line, from: start, limit: start + capacity)
            result.append(contentsOf: UnsafeBufferPointer(rebasing: line[start..<cut]))
            result.append(cr)
            result.append(lf)
            result.append(space)
            start = cut
            capacity = lineLimit - 1
        }
    }

    /// Where to break a line that goes on past `limit`: at `limit` or before it, not in the
    /// middle of a UTF-8 character and not between a backslash and the character it
    /// escapes.
    private static func breakPoint(in line: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int {
        var cut = limit
        // Step back over continuation bytes (10xxxxxx) to the start of a character.
        while cut > start + 1, line[cut] & 0xC0 == 0x80 { cut -= 1 }
        // An odd run of backslashes before the cut means the last one escapes what follows.
        var run = 0
        while cut - run - 1 >= start, line[cut - run - 1] == backslash { run += 1 }
        if run % 2 == 1, cut - 1 > start { cut -= 1 }
        return cut
    }

    /// Unfolds and folds again: the serializer's repair of libical's output.
    static func refold(_ bytes: [UInt8]) -> [UInt8] {
        fold(lines(unfold(bytes)))
    }
}
