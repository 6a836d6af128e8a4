import Calendrical
import Foundation
import Ledger
import Testing

/// `dutycal done`: completions are rows, counted for quotas; undo removes the latest.
@Suite struct CompletionTests {
    let folder: TemporaryFolder
    let ledger: Ledger
    let quota = "county/leaders/xiaceng-jiceng@2026-03"

    init() throws {
        folder = try TemporaryFolder()
        ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
    }

    @Test func aQuotaCountsEveryCompletionAndUndoRemovesTheLatest() throws {
        #expect(try ledger.completionSummary(of: quota) == Ledger.CompletionSummary(count: 0, latest: nil))
        let first = try ledger.recordCompletion(of: quota, on: day("2026-03-05"), note: "深入某镇检查", at: monday)
        let second = try ledger.recordCompletion(of: quota, on: day("2026-03-03"), note: "", at: later(60))
        try ledger.recordCompletion(of: "county/yingji/zhifanian-2016-yuebao@2026-03", on: day("2026-03-09"), at: later(120))
        #expect(second.note == nil)
        #expect(try ledger.completions(of: quota) == [first, second])
        #expect(try ledger.completionSummary(of: quota) == Ledger.CompletionSummary(count: 2, latest: second))
        #expect(try ledger.completionCounts() == [quota: 2, "county/yingji/zhifanian-2016-yuebao@2026-03": 1])

        #expect(try ledger.undoLatestCompletion(of: quota) == second)
        #expect(try ledger.completionSummary(of: quota) == Ledger.CompletionSummary(count: 1, latest: first))
        #expect(try ledger.undoLatestCompletion(of: quota) == first)
        #expect(try ledger.undoLatestCompletion(of: quota) == nil)
        #expect(try ledger.completionCounts() == ["county/yingji/zhifanian-2016-yuebao@2026-03": 1])
    }

    @Test(arguments: ["", "zhifanian-2016-yuebao", "@2026-01", "county/yingji/x@", "county/yingji/x @2026-01"])
    func aMalformedOccurrenceIDIsRefused(id: String) throws {
        let error = try #require(ledgerError { try ledger.recordCompletion(of: id, on: day("2026-03-05"), at: monday) })
        #expect(error.kind == .invalidInput)
        #expect(error.message.contains("not an occurrence id"))
        #expect(try ledger.completionCounts().isEmpty)
    }

    @Test func anOccurrenceWithoutAUnitIsAccepted() throws {
        try ledger.recordCompletion(of: "zhifanian-2016-yuebao@2026-03", on: day("2026-03-05"), at: monday)
        #expect(try ledger.completionSummary(of: "zhifanian-2016-yuebao@2026-03").count == 1)
    }
}
