import Calendrical
import CSVExport
import DutyCore
import Export
import Foundation
import Testing

/// The CSV exporter's bytes: BOM, CRLF, quoting, formula neutralisation, GB18030.
@Suite struct CSVExporterTests {
    func record(title: String = "月报", quote: String = "每月10日前报送监管执法工作情况月报表", adjustment: String? = nil) -> OccurrenceRecord {
        let citation = Citation(document: "doc", clause: "三(三)", quote: quote, seed: "x.txt")
        let duty = Duty(id: "doc-report", title: title, englishTitle: nil, document: "doc", tags: [], leadDays: [7], rolling: .next,
                        entries: [ScheduleEntry(levels: [.county], body: "安委办", citation: citation, note: nil,
                                                schedule: .milestone(.init(due: CivilDate("2026-03-10")!)))])
        let catalogue = Catalogue(documents: [Document(id: "doc", title: "监管执法年实施方案", issuer: nil, region: nil, year: 2016, seed: "x.txt")],
                                  duties: [duty])
        let date = CivilDate("2026-03-10")!
        var record = OccurrenceRecord(Occurrence(duty: "doc-report", entry: 0, kind: .milestone, levels: [.county], period: "2026-03-10",
                                                 periodLabel: "2026年3月10日", start: date,
                                                 due: RolledDate(original: date, date: date, reason: adjustment, isProvisional: false)),
                                      catalogue: catalogue)
        record.adjustment = adjustment
        return record
    }

    func export(_ items: [OccurrenceRecord], encoding: ExportOptions.TextEncoding = .utf8) throws -> Data {
        try CSVExporter().export(ExportRequest(items: items, range: DateRange(from: CivilDate("2026-01-01")!, through: CivilDate("2026-12-31")!)!,
                                               title: "t", now: Date(), options: ExportOptions(encoding: encoding))).data
    }

    @Test func utf8WithBOMAndCRLF() throws {
        let data = try export([record()])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("编号,事项,责任主体,层级,周期,开始日期,截止日期,调整说明,依据文件,条款,原文\r\n"))
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.contains("doc-report@2026-03-10,月报,安委办,县级,2026年3月10日,2026-03-10,2026-03-10,,监管执法年实施方案,三(三),每月10日前报送监管执法工作情况月报表\r\n"))
    }

    @Test func quotingFollowsRFC4180() throws {
        let text = String(decoding: try export([record(title: "会议, \"专题\"\n研究")]).dropFirst(3), as: UTF8.self)
        #expect(text.contains(",\"会议, \"\"专题\"\"\n研究\","))
    }

    @Test(arguments: ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"])
    func formulasAreNeutralised(title: String) throws {
        let text = String(decoding: try export([record(title: title)]).dropFirst(3), as: UTF8.self)
        #expect(text.contains(",'\(title.hasPrefix("=") ? "=HYPERLINK(\"\"http://x\"\")" : title)") || text.contains(",\"'\(title.replacingOccurrences(of: "\"", with: "\"\""))"))
        #expect(!text.contains(",\(title),"))
    }

    @Test func gb18030RoundTrips() throws {
        let items = [record(adjustment: "原定2026年2月15日（春节假期），顺延至节后第一个工作日2月24日")]
        let gb = try export(items, encoding: .gb18030)
        let utf8 = try export(items)
        #expect(gb != utf8.dropFirst(3))
        #expect(Array(gb.prefix(3)) != [0xEF, 0xBB, 0xBF])
        let decoded = try decodeWithPython(gb)
        #expect(decoded == String(decoding: utf8.dropFirst(3), as: UTF8.self))
    }

    /// GB18030 → UTF-8 with python (an independent decoder).
    func decodeWithPython(_ data: Data) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gb-\(UUID().uuidString)")
        try data.write(to: folder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; sys.stdout.buffer.write(open(sys.argv[1],'rb').read().decode('gb18030', errors='strict').encode())", folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }
}
