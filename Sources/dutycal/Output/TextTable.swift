/// A plain-text table aligned for terminals, counting CJK characters as two columns.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    /// The table with a rule under the header, columns separated by two spaces.
    func render() -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { TextTable.width(of: $0[column]) }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - TextTable.width(of: cell))
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Terminal columns a string takes: East Asian wide and fullwidth characters take two.
    static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            let zero = (0x0300...0x036F).contains(v) || v == 0x200B || (0xFE00...0xFE0F).contains(v)
            return total + (zero ? 0 : wide ? 2 : 1)
        }
    }
}
