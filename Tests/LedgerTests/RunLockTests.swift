import Foundation
import Ledger
import Testing

/// The run lock: one `dutycal remind` at a time per ledger, freed by release, deinit or death.
@Suite struct RunLockTests {
    @Test func aHeldLockRefusesASecondUntilReleased() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let lock = try Ledger.lockForRun(path: path)
        #expect(lock.isHeld)
        #expect(lock.lockPath == path + ".lock")
        #expect(try String(contentsOfFile: lock.lockPath, encoding: .utf8) == "\(getpid())\n")

        let error = try #require(ledgerError { _ = try Ledger.lockForRun(path: path, wait: 0.2) })
        #expect(error.kind == .runInProgress)
        #expect(error.description.hasPrefix(path))
        #expect(error.message.contains("pid \(getpid())"))
        #expect(error.message.contains("(waited 0.2 seconds)"))

        lock.release()
        lock.release()  // harmless
        #expect(!lock.isHeld)
        let again = try Ledger.lockForRun(path: path)
        #expect(again.isHeld)
    }

    @Test func deinitialisingTheLockReleasesIt() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        do {
            let lock = try Ledger.lockForRun(path: path)
            #expect(lock.isHeld)
        }
        _ = try Ledger.lockForRun(path: path)
    }

    @Test func waitingTakesTheLockOnceTheHolderLetsGo() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        let lock = try Ledger.lockForRun(path: path)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { lock.release() }
        let started = Date()
        let second = try Ledger.lockForRun(path: path, wait: 10)
        #expect(second.isHeld)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test(.enabled(if: flockTool != nil)) func aLockHeldByAKilledProcessIsFreeAgain() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("ledger.sqlite")
        // flock(1) without forking: the process that holds the lock is the one we kill.
        let holder = try Holder(try #require(flockTool), ["--no-fork", Ledger.runLockPath(for: path), "sh", "-c", "echo held; exec sleep 60"])
        let error = try #require(ledgerError { _ = try Ledger.lockForRun(path: path) })
        #expect(error.kind == .runInProgress)
        #expect(error.message.contains("another dutycal run"))
        holder.stop(signal: SIGKILL)
        #expect(holder.process.terminationReason == .uncaughtSignal)
        let lock = try Ledger.lockForRun(path: path)
        #expect(lock.isHeld)
    }

    @Test func aLockInAMissingFolderIsAClearError() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("missing/ledger.sqlite")
        let error = try #require(ledgerError { _ = try Ledger.lockForRun(path: path) })
        #expect(error.kind == .unavailable)
        #expect(error.message.contains("missing/ledger.sqlite.lock"))
    }
}
