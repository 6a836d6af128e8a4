import Calendrical
import DutyCore
import Reminders
import Testing

private func day(_ text: String) -> CivilDate { CivilDate(text)! }

/// The planner on hand-made occurrences: stages, sections, cadences, catch-up.
@Suite struct ReminderPlannerTests {
    let planner = ReminderPlanner(workCalendar: WorkCalendar(official: []))
    let catalogue: Catalogue
    let unit: DutyCore.Unit

    init() {
        let citation = Citation(document: "doc", clause: "一", quote: "每月10日前报送月报表", seed: "x.txt")
        func duty(_ id: String, _ schedule: Schedule) -> Duty {
            Duty(id: DutyID(id), title: id, englishTitle: nil, document: "doc", tags: [], leadDays: [7, 1], rolling: .none,
                 entries: [ScheduleEntry(levels: [.county], body: "安委办", citation: citation, note: nil, schedule: schedule)])
        }
        catalogue = Catalogue(documents: [Document(id: "doc", title: "文件", issuer: nil, region: nil, year: 2026, seed: "x.txt")],
                              duties: [duty("report", .milestone(.init(due: day("2026-03-10")))),
                                       duty("visits", .quota(.init(count: 10, per: .month)))])
        unit = Unit(id: "county", name: "示例县", level: .county, bodies: [
            Body(id: "anweiban", name: "县安委办", roles: ["安委办"], recipients: [
                Recipient(name: "王主任", email: "wang@example.gov.cn", cadence: [.daily, .weekly, .monthly]),
                Recipient(name: "李科长", email: "li@example.gov.cn", cadence: [.weekly]),
            ]),
        ])
    }

    func occurrence(_ duty: String, start: String, due: String, count: Int? = nil) -> Occurrence {
        Occurrence(duty: DutyID(duty), entry: 0, kind: count == nil ? .milestone : .quota, levels: [.county],
                   period: due, periodLabel: due, start: day(start),
                   due: RolledDate(original: day(due), date: day(due), reason: nil, isProvisional: false), count: count)
    }

    func plan(_ asOf: String, _ occurrences: [Occurrence], completions: [String: Int] = [:], lastRun: String? = nil,
              recorded: Set<ReminderKey> = []) -> [DigestPlan] {
        let assignments = occurrences.map { Assignment(unit: unit, body: unit.bodies[0], occurrence: $0) }
        let records = assignments.map { OccurrenceRecord($0.occurrence, catalogue: catalogue, assignment: $0) }
        return planner.plan(asOf: day(asOf), assignments: assignments, records: records, completions: completions,
                            lastRun: lastRun.map(day), trackingStart: day("2026-01-01"), isRecorded: { recorded.contains($0) })
    }

    @Test func reminderStagesFollowLeadTimes() {
        #expect(planner.reminderLead(daysLeft: 9, leads: [7, 1]) == nil)
        #expect(planner.reminderLead(daysLeft: 7, leads: [7, 1]) == 7)
        #expect(planner.reminderLead(daysLeft: 3, leads: [7, 1]) == 7)
        #expect(planner.reminderLead(daysLeft: 1, leads: [7, 1]) == 1)
        #expect(planner.reminderLead(daysLeft: 0, leads: [7, 1]) == 0)
        #expect(planner.reminderLead(daysLeft: -2, leads: [7, 1]) == -2)
    }

    @Test func aDueTodayItemGoesToDailyRecipientsOnly() throws {
        // 2026-03-10 is a Tuesday: no weekly digest.
        let plans = plan("2026-03-10", [occurrence("report", start: "2026-03-10", due: "2026-03-10")])
        #expect(plans.count == 1)
        let wang = try #require(plans.first)
        #expect(wang.recipient.email == "wang@example.gov.cn")
        #expect(wang.kinds == [.daily])
        #expect(wang.dueToday.map(\.record.duty) == ["report"])
        #expect(wang.newReminders.map(\.lead) == [0])
    }

    @Test func nothingNewMeansNoDailyDigest() {
        let key = ReminderKey(recipient: "wang@example.gov.cn", occurrence: "county/anweiban/report@2026-03-10", lead: 7, due: day("2026-03-10"))
        #expect(plan("2026-03-04", [occurrence("report", start: "2026-03-10", due: "2026-03-10")], recorded: [key]).isEmpty)
        // Without the record, the 7-day stage is due (reached on 03-03, still unsent).
        #expect(plan("2026-03-04", [occurrence("report", start: "2026-03-10", due: "2026-03-10")]).first?.newReminders.map(\.lead) == [7])
    }

    @Test func mondaysBringTheWeeklySummaryEvenWithNothingNew() {
        let plans = plan("2026-03-02", [occurrence("report", start: "2026-03-20", due: "2026-03-20")])
        #expect(plans.map(\.recipient.email).sorted() == ["li@example.gov.cn", "wang@example.gov.cn"])
        #expect(plans.allSatisfy { $0.kinds == [.weekly] })
        #expect(plans.first?.next30Days.count == 1)
    }

    @Test func aMissedMondayAndFirstAreCaughtUp() {
        // Off from Saturday 02-28 to Tuesday 03-03: Sunday 03-01 and Monday 03-02 were missed.
        let plans = plan("2026-03-03", [occurrence("report", start: "2026-03-20", due: "2026-03-20")], lastRun: "2026-02-27")
        let wang = plans.first { $0.recipient.email == "wang@example.gov.cn" }
        #expect(wang?.kinds == [.weekly, .monthly])
    }

    @Test func overdueItemsStayUntilDone() {
        let overdue = occurrence("report", start: "2026-03-10", due: "2026-03-10")
        let plans = plan("2026-03-12", [overdue])
        #expect(plans.first?.overdue.count == 1)
        #expect(plans.first?.newReminders.map(\.lead) == [-2])
        #expect(plan("2026-03-12", [overdue], completions: ["county/anweiban/report@2026-03-10": 1]).isEmpty)
    }

    @Test func quotasShowProgressAndShortfall() throws {
        let visits = occurrence("visits", start: "2026-03-01", due: "2026-03-31", count: 10)
        let plans = plan("2026-03-25", [visits], completions: ["county/anweiban/visits@2026-03-31": 8])
        let item = try #require(plans.first?.quotas.first)
        #expect(item.progress?.done == 8)
        #expect(item.progress?.shortfall == 2)
        #expect(item.progress?.workingDaysLeft == 5)  // 25, 26, 27, 30, 31 March (no holidays given)
        #expect(plans.first?.newReminders.map(\.lead) == [7])
    }
}
