import Calendrical
import CatalogueLoader
import DutyCore
import Testing

/// Every schedule kind, expanded over 2026 on the official working-day calendar.
@Suite struct ScheduleKindTests {
    func expand(_ duties: String, _ from: String = "2026-01-01", _ through: String = "2026-12-31",
                events: [RecordedEvent] = []) throws -> [Occurrence] {
        let loaded = try loadCatalogue(catalogueFile(duties))
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        return loaded.expander.occurrences(in: range(from, through), events: events)
    }

    @Test func periodicMonthlyByTheTenthRollsOffWeekendsButNotMakeUpDays() throws {
        let occurrences = try expand("""
          - id: monthly-report
            title: 月报
            body: 安委办
            levels: [县级]
            clause: 一
            quote: 每月10日前报送月报表
            schedule:
              periodic: {rule: FREQ=MONTHLY;BYMONTHDAY=10, start: 2016-01-01}
        """)
        #expect(occurrences.count == 12)
        #expect(occurrences.map(\.period) == (1...12).map { "2026-\($0 < 10 ? "0" : "")\($0)" })
        let january = occurrences[0]
        #expect(january.due.original == day("2026-01-10"))
        #expect(january.due.date == day("2026-01-12"))
        #expect(january.due.reason == "原定2026年1月10日（星期六），顺延至下一个工作日1月12日（星期一）")
        // 2026-10-10 is a Saturday worked to make up for National Day: it stays.
        let october = occurrences[9]
        #expect(october.due.date == day("2026-10-10"))
        #expect(october.due.reason == nil)
    }

    @Test func quotaYieldsOnePerPeriodDueAtItsEndCarryingTheCount() throws {
        let occurrences = try expand("""
          - id: committee
            title: 安委会全体会议
            body: 安委会
            levels: [县级]
            clause: 一(二)
            quote: 每季度至少召开一次会议
            schedule:
              quota: {count: 1, per: quarter, start: 2014-01-01}
          - id: visits
            title: 矿长下井
            body: 煤矿企业
            levels: [企业]
            clause: 十三
            quote: 煤矿矿长每月下井不得低于10次
            schedule:
              quota: {count: 10, per: month}
        """)
        let quarters = occurrences.filter { $0.duty == "committee" }
        #expect(quarters.map(\.period) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(quarters.map(\.start) == [day("2026-01-01"), day("2026-04-01"), day("2026-07-01"), day("2026-10-01")])
        #expect(quarters.map(\.due.date) == [day("2026-03-31"), day("2026-06-30"), day("2026-09-30"), day("2026-12-31")])
        #expect(quarters.allSatisfy { $0.count == 1 && $0.kind == .quota })
        let visits = occurrences.filter { $0.duty == "visits" }
        #expect(visits.count == 12)
        #expect(visits.allSatisfy { $0.count == 10 })
        #expect(visits[1].due.date == day("2026-02-28"))
    }

    @Test func windowCrossingTheYearEndRollsItsEndAndIsProvisionalIn2027() throws {
        let occurrences = try expand("""
          - id: assessment
            title: 年终考核
            body: 安委办
            levels: [县级]
            clause: 第八条
            quote: 每年12月20日至次年1月10日
            schedule:
              window: {from: "12-20", to: "01-10"}
        """, "2026-01-01", "2026-12-31")
        #expect(occurrences.map(\.period) == ["2025", "2026"])
        let last = try #require(occurrences.last)
        #expect(last.start == day("2026-12-20"))
        #expect(last.due.original == day("2027-01-10"))
        #expect(last.due.date == day("2027-01-11"))  // Sunday
        #expect(last.isProvisional)
        let first = try #require(occurrences.first)
        #expect(first.due.date == day("2026-01-12"))
        #expect(!first.isProvisional)
    }

    @Test func relativeToAnotherDutyFollowsEachOccurrence() throws {
        let occurrences = try expand("""
          - id: action
            title: 两月一行动
            body: 政府
            levels: [乡镇]
            clause: 二(四)
            quote: 每2个月组织开展一次专项执法行动
            schedule:
              quota: {count: 1, per: bimonth, start: 2016-01-01}
          - id: summary
            title: 专项行动总结
            body: 政府
            levels: [乡镇]
            clause: 二(四)
            quote: 每次专项行动总结材料于次月12日前报县安委办
            schedule:
              relative: {after: action, months: 1, day: 12}
        """)
        let summaries = occurrences.filter { $0.duty == "summary" }
        // 2025-B6 (Nov–Dec 2025) is due 2026-01-12; then one per bimonth of 2026 in range.
        #expect(summaries.map(\.period) == ["2025-B6", "2026-B1", "2026-B2", "2026-B3", "2026-B4", "2026-B5"])
        #expect(summaries.map(\.due.original) == ["2026-01-12", "2026-03-12", "2026-05-12", "2026-07-12", "2026-09-12", "2026-11-12"].map(day))
        // 2026-07-12 is a Sunday, 2026-09-12 a Saturday.
        #expect(summaries[3].due.date == day("2026-07-13"))
        #expect(summaries[4].due.date == day("2026-09-14"))
    }

    @Test func relativeToARecordedEventCountsDaysAfterItAndRollsPastNationalDay() throws {
        let events = [
            RecordedEvent(id: "cf-1", name: "行政处罚决定", date: day("2026-09-20"), reference: "X县应急罚〔2026〕7号"),
            RecordedEvent(id: "cf-2", name: "行政处罚决定", date: day("2026-11-02")),
            RecordedEvent(id: "other", name: "其他事件", date: day("2026-11-02")),
        ]
        let occurrences = try expand("""
          - id: publish-penalty
            title: 公示行政处罚决定书
            body: 负有安全生产监管职责的部门
            levels: [县级]
            clause: 二(二)
            quote: 行政处罚决定书在决定之日起15日内
            schedule:
              relative: {event: 行政处罚决定, days: 15}
        """, events: events)
        #expect(occurrences.count == 2)
        #expect(occurrences[0].due.original == day("2026-10-05"))
        #expect(occurrences[0].due.date == day("2026-10-08"))
        #expect(occurrences[0].due.reason == "原定2026年10月5日（国庆节假期），顺延至节后第一个工作日10月8日")
        #expect(occurrences[0].event?.reference == "X县应急罚〔2026〕7号")
        #expect(occurrences[1].due.date == day("2026-11-17"))
        #expect(occurrences[1].period == "event-cf-2")
    }

    @Test func phaseAndMilestone() throws {
        let occurrences = try expand("""
          - id: mobilise
            title: 动员部署阶段
            body: 安委办
            levels: [县级]
            clause: 三(一)
            quote: 動員部署階段(2月中旬—3月下旬)
            schedule:
              phase: {campaign: 监管执法年, name: 动员部署阶段, from: 2016-02-11, to: 2016-03-31}
          - id: yearly-phase
            title: 集中攻坚
            body: 安委会
            levels: [县级]
            clause: 四
            quote: 每年4月至10月集中攻坚阶段
            schedule:
              phase: {name: 集中攻坚, from: "04-01", to: "10-31", years: [2024, 2025, 2026]}
          - id: hazards-2024
            title: 重大隐患动态清零
            body: 安委会
            levels: [县级]
            clause: 二(一)
            quote: 2024年6月底前完成重大隐患排查
            schedule:
              milestone: {due: 2024-06-30}
        """, "2016-01-01", "2026-12-31")
        let phase = try #require(occurrences.first { $0.duty == "mobilise" })
        #expect(phase.start == day("2016-02-11") && phase.due.date == day("2016-03-31") && phase.isSpan)
        #expect(occurrences.filter { $0.duty == "yearly-phase" }.map(\.start) == ["2024-04-01", "2025-04-01", "2026-04-01"].map(day))
        let milestone = try #require(occurrences.first { $0.duty == "hazards-2024" })
        #expect(milestone.due.original == day("2024-06-30"))
        #expect(milestone.due.date == day("2024-07-01"))  // Sunday → Monday
    }

    @Test func holidayAnchoredCountsMakeUpWorkdays() throws {
        let occurrences = try expand("""
          - id: pre-holiday
            title: 节前安全检查
            body: 安委会
            levels: [县级]
            clause: 十一(三)
            quote: 重大节假日前开展安全生产检查
            schedule:
              holiday: {before: [春节, 国庆节], workdays: 3}
        """)
        // 春节 2026 starts Sunday 02-15; Saturday 02-14 is worked, so three working days back is 02-12.
        #expect(occurrences.map(\.due.date) == [day("2026-02-12"), day("2026-09-28")])
        #expect(occurrences.map(\.period) == ["2026-chunjie", "2026-guoqing"])
    }

    @Test func nthWorkingDayOfPeriods() throws {
        let occurrences = try expand("""
          - id: month-end
            title: 月末报表
            body: 安委办
            levels: [县级]
            clause: 五
            quote: 每月最后一个工作日报送报表
            schedule:
              workday: {nth: -1, per: month}
        """)
        #expect(occurrences.count == 12)
        #expect(occurrences[1].due.date == day("2026-02-28"))  // a make-up Saturday
        #expect(occurrences[9].due.date == day("2026-10-30"))  // 10-31 is a Saturday
        #expect(occurrences[8].due.date == day("2026-09-30"))
    }

    @Test func levelsGiveOneDutyDifferentSchedules() throws {
        let occurrences = try expand("""
          - id: party-committee
            title: 党委研究安全生产
            body: 党委
            levels: [市级, 县级, 乡镇]
            clause: 第九条
            quote: 州(市)党委每年、县党委每半年、乡镇党委每季度
            schedules:
              - levels: [市级]
                quota: {count: 1, per: year}
              - levels: [县级]
                quota: {count: 1, per: half-year}
              - levels: [乡镇]
                quota: {count: 1, per: quarter}
        """)
        #expect(occurrences.filter { $0.levels == [.prefecture] }.count == 1)
        #expect(occurrences.filter { $0.levels == [.county] }.map(\.period) == ["2026-H1", "2026-H2"])
        #expect(occurrences.filter { $0.levels == [.township] }.count == 4)
    }

    @Test func provisionalYearsAreMarked() throws {
        let occurrences = try expand("""
          - id: monthly-report
            title: 月报
            body: 安委办
            levels: [县级]
            clause: 一
            quote: 每月10日前报送月报表
            schedule:
              periodic: {rule: FREQ=MONTHLY;BYMONTHDAY=10, start: 2016-01-01}
        """, "2026-12-01", "2027-02-28")
        #expect(occurrences.map(\.isProvisional) == [false, true, true])
    }
}
