public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive hold on a ledger's run lock (`<ledger>.lock`): while it is held no other
/// `dutycal remind` can run against the same ledger.
///
/// The hold is an `flock(2)` lock, so it ends when ``release()`` is called, when the value
/// is deinitialised, or when the process dies in any way (the kernel drops it); a stale lock
/// cannot outlive its process. The lock file itself stays; it holds the holder's pid.
public final class RunLock: @unchecked Sendable {
    /// The lock file, `<ledger path>.lock`.
    public let lockPath: String
    /// The ledger the lock guards.
    public let ledgerPath: String
    private let guardian = NSLock()
    private var descriptor: Int32

    init(ledgerPath: String, lockPath: String, descriptor: Int32) {
        self.ledgerPath = ledgerPath
        self.lockPath = lockPath
        self.descriptor = descriptor
    }

    /// True until the lock is released.
    public var isHeld: Bool {
        guardian.lock()
        defer { guardian.unlock() }
        return descriptor >= 0
    }

    /// Releases the lock; later calls do nothing.
    public func release() {
        guardian.lock()
        defer { guardian.unlock() }
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)  // The pid would be stale.
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

extension Ledger {
    /// The lock file guarding runs against the ledger at `path`.
    public static func runLockPath(for path: String) -> String { path + ".lock" }

    /// Takes the run lock of the ledger at `path`, retrying for up to `wait` seconds while another run holds it.
    ///
    /// Fails with ``LedgerError/Kind/runInProgress`` (naming the holder's pid when known) if the
    /// lock is still held after `wait`, and with ``LedgerError/Kind/unavailable`` if the lock
    /// file cannot be created. `wait: 0` tries once.
    public static func lockForRun(path: String, wait: TimeInterval = 0) throws(LedgerError) -> RunLock {
        let lockPath = runLockPath(for: path)
        let descriptor = openLockFile(lockPath)
        guard descriptor >= 0 else {
            throw LedgerError(.unavailable, path: path, """
                cannot open the run lock \(lockPath): \(String(cString: strerror(errno))); check that the ledger's \
                folder exists and is writable by this user
                """)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int64(max(0, wait) * 1000)))
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { break }
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK || code == EAGAIN else {
                close(descriptor)
                throw LedgerError(.unavailable, path: path, "cannot lock \(lockPath): \(String(cString: strerror(code)))")
            }
            guard clock.now < deadline else {
                close(descriptor)
                let holder = holderPID(lockPath).map { " (pid \($0))" } ?? ""
                let waited = wait > 0 ? " (waited \(LedgerError.seconds(wait)))" : ""
                throw LedgerError(.runInProgress, path: path, """
                    another dutycal run\(holder) is using this ledger: it holds the run lock \(lockPath)\(waited). \
                    This run stopped without sending anything; the other run sends what is due. The lock is freed \
                    as soon as that process ends, even if it crashes, so there is nothing to delete
                    """)
            }
            usleep(50_000)
        }
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return RunLock(ledgerPath: path, lockPath: lockPath, descriptor: descriptor)
    }

    /// The pid the current holder wrote into the lock file, if any.
    private static func holderPID(_ lockPath: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: lockPath),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Opens (creating) a lock file, not inherited by child processes; -1 with `errno` on failure.
private func openLockFile(_ path: String) -> Int32 {
    open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
}
