import Calendrical
import Foundation
import Ledger
import Testing

/// Runs: the first starts overdue tracking; the last successful one drives catching up.
@Suite struct RunTests {
    @Test func firstAndLastSuccessfulRuns() throws {
        let folder = try TemporaryFolder()
        let ledger = try Ledger.open(at: folder.path("ledger.sqlite"))
        #expect(try ledger.firstRun() == nil)
        #expect(try ledger.lastSuccessfulRun() == nil)

        try ledger.recordRun(asOf: day("2026-03-02"), startedAt: monday, finishedAt: later(4), outcome: .failed)
        #expect(try ledger.firstRun() == day("2026-03-02"))
        #expect(try ledger.lastSuccessfulRun() == nil)

        try ledger.recordRun(asOf: day("2026-03-03"), startedAt: later(86_400), finishedAt: later(86_404), outcome: .succeeded)
        // The machine was off for three days; the next run is begun, then interrupted.
        let interrupted = try ledger.beginRun(asOf: day("2026-03-07"), at: later(5 * 86_400))
        #expect(try ledger.lastSuccessfulRun() == day("2026-03-03"))
        #expect(try ledger.runs().first?.outcome == .running)
        #expect(try ledger.runs().first?.finishedAt == nil)

        let run = try ledger.beginRun(asOf: day("2026-03-08"), at: later(6 * 86_400))
        try ledger.finishRun(run, outcome: .succeeded, at: later(6 * 86_400 + 9))
        #expect(try ledger.lastSuccessfulRun() == day("2026-03-08"))
        #expect(try ledger.firstRun() == day("2026-03-02"))
        #expect(ledgerError { try ledger.finishRun(run, outcome: .failed, at: later(7 * 86_400)) }?.kind == .invalidTransition)
        #expect(try ledger.runs().map(\.id).contains(interrupted))
        #expect(try ledger.runs(limit: 2).map(\.asOf) == [day("2026-03-08"), day("2026-03-07")])
    }
}
