import Calendrical
import DutyCore
import Foundation
import Ledger
import Testing

/// `dutycal record-event`: events come back as DutyCore's RecordedEvent with stable ids.
@Suite struct EventTests {
    @Test func eventsRoundTripAsRecordedEvents() throws {
        let folder = try TemporaryFolder()
        let ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
        let first = try ledger.recordEvent("行政处罚决定", forDuty: "punishment-disclosure", on: day("2026-03-04"),
                                           reference: "X应急罚〔2026〕3号", unit: "county", at: monday)
        let second = try ledger.recordEvent("生产安全事故", forDuty: "accident-report", on: day("2026-02-27"), at: monday)
        #expect(first == RecordedEvent(id: "ev-1", name: "行政处罚决定", date: day("2026-03-04"), reference: "X应急罚〔2026〕3号", unit: "county"))
        #expect(second == RecordedEvent(id: "ev-2", name: "生产安全事故", date: day("2026-02-27")))
        #expect(try ledger.recordedEvents() == [second, first])  // by the day they happened

        #expect(try ledger.removeEvent(id: "ev-2") == second)
        #expect(try ledger.removeEvent(id: "ev-2") == nil)
        #expect(try ledger.removeEvent(id: "nonsense") == nil)
        // Ids are never reused.
        let third = try ledger.recordEvent("生产安全事故", forDuty: "accident-report", on: day("2026-03-01"), at: monday)
        #expect(third.id == "ev-3")
        let reopened = try Ledger.open(at: folder.path("ledger.sqlite"))
        #expect(try reopened.recordedEvents() == [third, first])
    }
}
