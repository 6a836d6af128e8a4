import Foundation
import Testing

/// The dutycal binary end to end: exit statuses, messages, and output shapes.
@Suite struct CommandLineTests {
    @Test func validateAcceptsTheShippedCatalogue() throws {
        let result = try dutycal("validate")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no problems found"))
    }

    @Test func expandPrintsAChineseTableInDateOrder() throws {
        let result = try dutycal("expand", "--from", "2026-01-01", "--to", "2026-03-31", "--unit", "county")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("截止日期") == true)
        let dates = lines.dropFirst(2).dropLast().map { String($0.prefix(10)) }
        #expect(dates == dates.sorted())
        #expect(result.stdout.contains("示例县/县安委办"))
    }

    @Test func expandJSONIsStableAndVersioned() throws {
        let first = try dutycal("expand", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json")
        let second = try dutycal("expand", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json")
        #expect(first.status == 0)
        #expect(first.stdoutData == second.stdoutData)
        let object = try #require(try JSONSerialization.jsonObject(with: first.stdoutData) as? [String: Any])
        #expect(object["format"] as? String == "dutycal-occurrences")
        #expect(object["version"] as? Int == 1)
        let occurrences = try #require(object["occurrences"] as? [[String: Any]])
        #expect(occurrences.count > 100)
        let kinds = Set(occurrences.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["periodic", "quota", "window", "relative", "holiday"]))
    }

    @Test(arguments: [
        (["expand", "--from", "2026-05-01", "--to", "2026-04-01"], "--from 2026-05-01 is after --to 2026-04-01"),
        (["expand", "--from", "2026-02-30"], "--from '2026-02-30' is not a date"),
        (["expand", "--body", "负有安全监管职责的部门"], "unknown body '负有安全监管职责的部门' (did you mean '负有安全生产监管职责的部门'?)"),
        (["expand", "--level", "countyy"], "unknown level 'countyy' (did you mean 'county'?)"),
        (["expand", "--duty", "no-such-duty"], "unknown duty 'no-such-duty'"),
        (["expand", "--unit", "chengguann"], "unknown unit 'chengguann' (did you mean 'chengguan'?)"),
    ])
    func badCommandLinesExit64WithAMessage(arguments: [String], message: String) throws {
        let result = try run(dutycalBinary, arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aBrokenCatalogueExits65AndPrintsNothingOnStdout() throws {
        let folder = try temporaryFolder(["bad.yaml": """
            document: {id: bad, title: 坏文件, seed: x.txt}
            duties:
              - id: a
                title: 甲
                body: 安委办
                levels: [县级]
                clause: 一
                quote: 每月10日前报送月报表
                schedule:
                  periodic: {rule: FREQ=MONTHLY;BYMONTHDAY=40, start: 2026-01-01}
            """])
        let expand = try dutycal("expand", "--catalogue", folder.path)
        #expect(expand.status == 65)
        #expect(expand.stdout.isEmpty)
        #expect(expand.stderr.contains("bad.yaml:10:"))
        #expect(expand.stderr.contains("duty 'a'"))
        let validate = try dutycal("validate", folder.path)
        #expect(validate.status == 65)
        #expect(validate.stderr.contains("1 error found in 1 file"))
    }

    @Test func validateReportsFiveMistakesInOneFileWithLocations() throws {
        let folder = try temporaryFolder(["five.yaml": """
            document: {id: five, title: 五处错误, seed: x.txt}
            duties:
              - id: one
                title: 月报
                body: 安委办
                levels: [县级]
                clause: 一
                quote: 每月10日前报送月报表
                schedule:
                  periodic: {rule: FREQ=MONTLY;BYMONTHDAY=10, start: 2016-01-01}
              - id: two
                title: 季度会议
                body: 安委会
                levels: [县级, 乡级]
                clause: 二
                quote: 每季度至少召开一次会议
                schedule:
                  quota: {count: 1, per: quater}
              - id: three
                title: 考核
                body: 安委办
                levels: [县级]
                clause: 三
                quote: 每年12月20日至次年1月10日
                schedule:
                  window: {from: 2026-12-20, to: 2026-01-10}
              - id: one
                title: 重复
                body: 安委办
                levels: [县级]
                clause: 四
                quote: 每月10日前报送月报表
                schedule:
                  milestone: {due: 2026-06-30}
            """])
        let result = try dutycal("validate", folder.path)
        #expect(result.status == 65)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 5, "\(result.stderr)")
        for (line, fragment) in [(10, "FREQ 'MONTLY'"), (14, "level '乡级' is unknown: did you mean '乡镇'?"), (18, "per 'quater' is unknown: did you mean 'quarter'?"),
                                 (26, "the end 2026-01-10 precedes the start 2026-12-20"), (27, "duty id 'one' is already defined")] {
            #expect(errors.contains { $0.contains("five.yaml:\(line):") && $0.contains(fragment) }, "line \(line): \(fragment)\n\(result.stderr)")
        }
    }

    @Test func workdaysPrintsTheOfficialCalendar() throws {
        let result = try dutycal("workdays", "--year", "2026")
        #expect(result.status == 0)
        #expect(result.stdout.contains("国办发明电"))
        #expect(result.stdout.contains("春节：2月15日至2月23日，共9天"))
        #expect(result.stdout.contains("2月14日（星期六）上班（春节）"))
        let provisional = try dutycal("workdays", "--year", "2027")
        #expect(provisional.stdout.contains("暂定"))
    }
}
