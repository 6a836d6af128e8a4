import CatalogueLoader
import Diagnostics
import DutyCore
import Foundation
import Testing

/// Every kind of bad catalogue input gives a located error naming what is wrong.
@Suite struct BadInputTests {
    let good = """
      - id: ok
        title: 月报
        body: 安委办
        levels: [县级]
        clause: 一
        quote: 每月10日前报送月报表
        schedule:
          periodic: {rule: FREQ=MONTHLY;BYMONTHDAY=10, start: 2016-01-01}
    """

    func problems(_ yaml: String) throws -> [Diagnostic] {
        try loadCatalogue(yaml).diagnostics.filter { $0.severity == .error }
    }

    func expectOne(_ yaml: String, line: Int, _ fragments: String...) throws {
        let errors = try problems(yaml)
        #expect(errors.count == 1, "\(errors)")
        let error = try #require(errors.first)
        #expect(error.location?.line == line, "\(error)")
        #expect(error.location?.file.hasSuffix("test.yaml") == true)
        for fragment in fragments { #expect(error.message.contains(fragment), "\(error.message) lacks \(fragment)") }
    }

    @Test func malformedYAMLGivesLineAndColumn() throws {
        let errors = try problems(catalogueFile(good) + "\n  - id: [unclosed\n")
        let error = try #require(errors.first)
        #expect(error.message.contains("malformed YAML"))
        #expect(error.location?.line != nil && error.location?.column != nil)
        #expect(error.description.contains("test.yaml:"))
    }

    @Test func unknownKeySuggestsTheNearest() throws {
        try expectOne(catalogueFile(good.replacingOccurrences(of: "    clause: 一", with: "    clause: 一\n    levle: 县级")),
                      line: 12, "unknown key 'levle'", "did you mean 'levels'?")
    }

    @Test func unknownScheduleKindSuggestsTheNearest() throws {
        try expectOne(catalogueFile(good.replacingOccurrences(of: "periodic: {", with: "periodical: {")),
                      line: 14, "unknown schedule kind 'periodical'", "did you mean 'periodic'?", "duty 'ok'")
    }

    @Test func unknownLevelSuggestsTheNearest() throws {
        try expectOne(catalogueFile(good.replacingOccurrences(of: "[县级]", with: "[县]")), line: 10, "level '县' is unknown")
    }

    @Test func invalidRuleNamesTheDutyAndTheRule() throws {
        try expectOne(catalogueFile(good.replacingOccurrences(of: "FREQ=MONTHLY;", with: "FREQ=QUATERLY;")),
                      line: 14, "duty 'ok'", "FREQ=QUATERLY", "expected DAILY, WEEKLY, MONTHLY or YEARLY")
    }

    @Test func relativeToAMissingDuty() throws {
        try expectOne(catalogueFile(good + """

          - id: follow
            title: 总结
            body: 安委办
            levels: [县级]
            clause: 二
            quote: 每次行动结束后报送总结材料
            schedule:
              relative: {after: okk, months: 1, day: 12}
        """), line: 22, "duty 'follow' follows duty 'okk', which does not exist", "did you mean 'ok'?")
    }

    @Test func relativeDutiesInACycle() throws {
        let errors = try problems(catalogueFile("""
          - id: a
            title: 甲
            body: 安委办
            levels: [县级]
            clause: 一
            quote: 甲事项于乙事项后报送材料
            schedule:
              relative: {after: b, days: 5}
          - id: b
            title: 乙
            body: 安委办
            levels: [县级]
            clause: 二
            quote: 乙事项于甲事项后报送材料
            schedule:
              relative: {after: a, days: 5}
        """))
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("cycle: a → b → a") == true)
    }

    @Test func duplicateIdsAcrossFiles() throws {
        let folder = try temporaryFolder([
            "one.yaml": catalogueFile(good),
            "two.yaml": catalogueFile(good).replacingOccurrences(of: "id: test", with: "id: test-two"),
        ])
        let loaded = CatalogueLoader.load(paths: [folder])
        #expect(loaded.diagnostics.count == 1)
        let error = try #require(loaded.diagnostics.first)
        #expect(error.message.contains("duty id 'ok' is already defined at \(folder)/one.yaml:7:5"))
        #expect(error.location?.file.hasSuffix("two.yaml") == true)
    }

    @Test func windowWhoseEndPrecedesItsStart() throws {
        try expectOne(catalogueFile(good.replacingOccurrences(of: "periodic: {rule: FREQ=MONTHLY;BYMONTHDAY=10, start: 2016-01-01}",
                                                              with: "window: {from: 2026-03-01, to: 2026-02-01}")),
                      line: 14, "the end 2026-02-01 precedes the start 2026-03-01")
    }

    @Test func aLevelInTwoSchedulesOfOneDuty() throws {
        try expectOne(catalogueFile("""
          - id: twice
            title: 会议
            body: 党委
            levels: [县级]
            clause: 一
            quote: 县党委每半年研究一次安全生产
            schedules:
              - levels: [县级]
                quota: {count: 1, per: half-year}
              - levels: [县级, 乡镇]
                quota: {count: 1, per: quarter}
        """), line: 16, "level 县级 is in schedules 1 and 2")
    }

    @Test func quoteLengthIsChecked() throws {
        try expectOne(catalogueFile(good.replacingOccurrences(of: "每月10日前报送月报表", with: "每月")),
                      line: 12, "the quote has 2 characters")
    }

    /// Several different mistakes in one file are all reported at once, each located.
    @Test func fiveMistakesAreAllReportedWithLocations() throws {
        let yaml = catalogueFile("""
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
            levels: [县级]
            clause: 二
            quote: 每季度至少召开一次会议
            scheduel:
              quota: {count: 1, per: quarter}
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
              milestone: {due: 2026-02-30}
          - id: five
            title: 总结
            body: 安委办
            levels: [县级]
            clause: 五
            quote: 每次行动结束后报送总结材料
            schedule:
              relative: {after: nowhere, days: 15}
        """)
        let errors = try problems(yaml)
        #expect(errors.count == 7, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(errors.allSatisfy { $0.location?.line != nil })
        let text = errors.map(\.description).joined(separator: "\n")
        for fragment in ["FREQ 'MONTLY'", "unknown key 'scheduel'", "has no 'schedule'", "precedes the start",
                         "'2026-02-30' is not a date", "follows duty 'nowhere'",
                         "duty id 'one' is already defined"] {
            #expect(text.contains(fragment), "missing: \(fragment)\n\(text)")
        }
    }
}
