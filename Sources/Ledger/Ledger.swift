public import Foundation
import GRDB

/// The ledger: an SQLite file that keeps, across runs, every completion, every recorded
/// event, every digest with the reminders it carries, and every reminder run.
///
/// Open it with ``open(at:createIfMissing:busyTimeout:)``. A value is cheap to copy and safe
/// to share between threads; all access goes through one serial connection. Every method
/// that writes runs in one `BEGIN IMMEDIATE` transaction, so a failure leaves nothing
/// half-stored. Time is never read here: methods that record a moment take it as `at`.
public struct Ledger: Sendable {
    /// The file the ledger lives in, as given to ``open(at:createIfMissing:busyTimeout:)``.
    public let path: String
    /// How long an operation waits for another process's lock before failing with ``LedgerError/Kind/locked``.
    public let busyTimeout: TimeInterval
    let queue: DatabaseQueue

    /// The default busy timeout: long enough for another run's short transactions, short enough for cron.
    public static let defaultBusyTimeout: TimeInterval = 5

    /// SQLite's `application_id` of a ledger ("DCal"), written by the first migration.
    static let applicationID: Int32 = 0x4443_616C

    private init(path: String, busyTimeout: TimeInterval, queue: DatabaseQueue) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.queue = queue
    }

    /// Opens the ledger at `path`, creating it (and its folder) when missing and allowed, and
    /// brings its schema up to date.
    ///
    /// A file that is not a ledger (not SQLite, empty, another program's database), is damaged
    /// or was written by a newer DutyCalendar is refused with a ``LedgerError`` and left
    /// exactly as it was: nothing is written to an existing file before it has been recognised
    /// as a ledger this version understands. A new ledger is built under a temporary name and
    /// linked into place complete, so an interrupted creation never leaves a partial ledger.
    public static func open(at path: String, createIfMissing: Bool = true,
                            busyTimeout: TimeInterval = Ledger.defaultBusyTimeout) throws(LedgerError) -> Ledger {
        switch try FileCheck.inspect(path) {
        case .missing:
            guard createIfMissing else {
                throw LedgerError(.missing, path: path, "there is no ledger at this path; check the path, or let dutycal create a new ledger there")
            }
            try create(at: path, busyTimeout: busyTimeout)
        case .sqlite:
            break
        }
        let queue = try connect(path, busyTimeout: busyTimeout)
        let ledger = Ledger(path: path, busyTimeout: busyTimeout, queue: queue)
        try ledger.prepare()
        return ledger
    }

    /// Builds a new, fully migrated ledger at a temporary name beside `path`, then links it into place.
    private static func create(at path: String, busyTimeout: TimeInterval) throws(LedgerError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LedgerError(.unavailable, path: path,
                              "cannot create the ledger's folder \(folder.path) (\(LedgerError.reason(error))); create it or choose another ledger path")
        }
        let temporary = "\(path).creating-\(getpid())"
        removeDatabaseFiles(temporary)
        defer { removeDatabaseFiles(temporary) }
        let queue = try connect(temporary, busyTimeout: busyTimeout, reportingAs: path)
        let draft = Ledger(path: path, busyTimeout: busyTimeout, queue: queue)
        try draft.prepare()
        do {
            try queue.close()
        } catch {
            throw draft.failure(error, "closing the newly created ledger")
        }
        if link(temporary, path) != 0 {
            // EEXIST: another process created the ledger first; use theirs. Filesystems
            // without hard links: rename instead, but only while the path is still free.
            if errno == EEXIST || FileManager.default.fileExists(atPath: path) { return }
            guard rename(temporary, path) == 0 else {
                throw LedgerError(.unavailable, path: path,
                                  "cannot create the ledger: \(String(cString: strerror(errno))); check that its folder is writable")
            }
        }
    }

    /// Removes an SQLite file with its WAL and shared-memory files, ignoring what is not there.
    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// Opens a connection with the ledger's settings; nothing is written yet.
    private static func connect(_ path: String, busyTimeout: TimeInterval,
                                reportingAs reported: String? = nil) throws(LedgerError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.label = "dutycal.ledger"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Each commit reaches the disk before the mail system is called: a reminder
            // recorded as sent stays recorded through a power cut.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw LedgerError(opening: error, path: reported ?? path, busyTimeout: busyTimeout)
        }
    }
}

extension Ledger {
    /// Runs `body` in a read transaction, turning any failure into a ``LedgerError``.
    func read<T>(_ doing: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw failure(error, doing)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ doing: String, _ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw failure(error, doing)
        }
    }

    /// Any error met while `doing` something, as a ``LedgerError`` about this ledger.
    func failure(_ error: any Error, _ doing: String) -> LedgerError {
        LedgerError(error, path: path, doing: doing, busyTimeout: busyTimeout)
    }
}
