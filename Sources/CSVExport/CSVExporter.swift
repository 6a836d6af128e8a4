import CSV
package import DutyCore
public import Export
import Foundation

/// CSV for Excel and WPS (RFC 4180): one row per occurrence under a Chinese header row,
/// CRLF record ends, UTF-8 with a byte-order mark (zh-CN Excel reads BOM-less UTF-8 as
/// GBK) or GB18030; cells that start like a formula are neutralised.
public struct CSVExporter: Exporter {
    public let name = "csv"
    public let summary = "CSV spreadsheet for Excel and WPS (RFC 4180, UTF-8 with BOM or GB18030)"
    public let fileExtension = "csv"
    public let mediaType = "text/csv; charset=utf-8"

    /// The header row, as offices expect it.
    public static let header = ["编号", "事项", "责任主体", "层级", "周期", "开始日期", "截止日期", "调整说明", "依据文件", "条款", "原文"]

    /// Rows rendered once per shared record (see `SharedRecord`), for every export through
    /// this exporter.
    private let rows = RenderCache<SharedRecord, HoledText?>()

    /// The exporter.
    public init() {}

    /// Renders the sheet. Each distinct shared record's row is written by CSV.swift once per
    /// exporter, with markers for the id and the unit's name; each occurrence then gets a
    /// copy with its own filled in, which is exactly CSV.swift's row for it. Occurrences
    /// whose id or unit name CSV.swift would quote or neutralise are written whole.
    public func export(_ request: ExportRequest) throws(ExportError) -> ExportResult {
        var bytes = try Self.encoded(CSVExporter.header)
        bytes.reserveCapacity(request.items.count * 700)
        for item in request.items {
            bytes += [0x0D, 0x0A]
            let values = SharedRecord.values(of: item)
            if Self.isVerbatim(item.id), item.unitName?.isEmpty != false || Self.isVerbatim(values[SharedRecord.unitNameHole]),
               let row = try row(of: SharedRecord(item)) {
                row.write(values.map { Array($0.utf8) }, into: &bytes)
            } else {
                bytes += try Self.encoded(Self.row(item))
            }
        }
        bytes += [0x0D, 0x0A]
        switch request.options.encoding {
        case .utf8:
            return ExportResult(data: Data([0xEF, 0xBB, 0xBF] + bytes))
        case .gb18030:
            return ExportResult(data: try GB18030.encode(String(decoding: bytes, as: UTF8.self)))
        }
    }

    /// The row of a shared record with its holes, made when the record comes a second
    /// time; nil the first time, and when its text holds marker characters.
    private func row(of shared: SharedRecord) throws(ExportError) -> HoledText? {
        try rows.valueOnRepeat(for: shared) { () throws(ExportError) -> HoledText? in
            guard !shared.holdsMarkers else { return nil }
            let bytes = try Self.encoded(Self.row(shared.shared))
            return HoledText(String(decoding: bytes, as: UTF8.self), markers: (0...SharedRecord.unitNameHole).map(SharedRecord.marker))
        } ?? nil
    }

    /// One row as CSV.swift writes it (cells neutralised, quoted where RFC 4180 needs it),
    /// without a line end.
    package static func encoded(_ cells: [String]) throws(ExportError) -> [UInt8] {
        do {
            let stream = OutputStream(toMemory: ())
            let writer = try CSVWriter(stream: stream, delimiter: ",", newline: .crlf)
            try writer.write(row: cells.map(CSVExporter.neutralised))
            writer.stream.close()
            guard let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
                throw ExportError("the CSV writer produced no data")
            }
            return Array(data)
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError("cannot write the CSV: \(error)")
        }
    }

    /// Whether CSV.swift writes `value` unchanged wherever it stands in a cell: non-empty,
    /// not neutralised, and only characters that neither make CSV.swift quote the cell nor
    /// are changed by it (probed once from CSV.swift itself).
    static func isVerbatim(_ value: String) -> Bool {
        guard !value.isEmpty, neutralised(value) == value else { return false }
        let table = verbatimBytes
        return value.utf8.allSatisfy { table[Int($0)] }
    }

    /// Each printable ASCII character and the space tried between two letters; the bytes of
    /// multi-byte characters count when a sample of Chinese text comes out whole.
    private static let verbatimBytes: [Bool] = {
        func unchanged(_ text: String) -> Bool { (try? encoded([text])) == Array(text.utf8) }
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(0x20)...UInt8(0x7E) {
            table[Int(byte)] = unchanged("a" + String(Unicode.Scalar(byte)) + "b")
        }
        if unchanged("示例县（安委办）【“监管执法年”】、。😀é") {
            for byte in 0x80...0xFF { table[byte] = true }
        }
        return table
    }()

    /// The cells of one occurrence, in header order.
    package static func row(_ item: OccurrenceRecord) -> [String] {
        var title = item.title
        if let count = item.count { title += "（不少于\(count)次）" }
        if item.provisional { title += "【暂定】" }
        let owner = [item.unitName, item.bodyName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return [item.id, title, owner.isEmpty ? item.body : owner, item.levels.joined(separator: "、"), item.periodLabel,
                item.start, item.due, item.adjustment ?? "", item.documentTitle, item.clause, item.quote]
    }

    /// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
    /// so a spreadsheet shows it as text instead of evaluating it (formula injection).
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return cell }
        return "'" + cell
    }
}

/// UTF-8 to GB18030 through the C library's iconv, which covers all of Unicode.
enum GB18030 {
    static func encode(_ text: String) throws(ExportError) -> Data {
        guard let converter = Optional(iconv_open("GB18030", "UTF-8")), converter != iconv_t(bitPattern: -1) else {
            throw ExportError("this system's iconv has no GB18030; install the locales (glibc's gconv modules) or use --encoding utf8")
        }
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let result = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                return iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            }
        }
        guard result != -1 else {
            let offset = input.count - inLeft
            let context = String(decoding: input[offset..<min(input.count, offset + 12)], as: UTF8.self)
            throw ExportError("cannot encode the text at “\(context)” as GB18030; use --encoding utf8")
        }
        return Data(output[0..<(output.count - outLeft)])
    }
}
