import Foundation
import GRDB

// SQLite's result codes become LedgerError values here, at the border: nothing above this
// file sees a DatabaseError.
extension LedgerError {
    /// The advice given with every "damaged" error.
    static let restoreAdvice = """
        restore the ledger from a backup; or move this file away and dutycal will start a new \
        ledger (reminders already sent would then be sent again). The file was left unchanged.
        """

    /// A failure met while `doing` something with the ledger at `path`.
    init(_ error: any Error, path: String, doing: String, busyTimeout: TimeInterval) {
        if let error = error as? LedgerError {
            self = error
            return
        }
        if let error = error as? LedgerDataError {
            self.init(.damaged, path: path, "the ledger is damaged: while \(doing), \(error); \(LedgerError.restoreAdvice)")
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(.unavailable, path: path, "\(doing) failed: \(error.localizedDescription)")
            return
        }
        let sqlite = error.message.map { " (SQLite: \($0))" } ?? ""
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.locked, path: path, """
                the ledger is locked by another process (another dutycal, or an sqlite3 shell) and stayed \
                locked for more than \(LedgerError.seconds(busyTimeout)) while \(doing); wait for the other \
                process to finish or close it, then try again\(sqlite)
                """)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self.init(.damaged, path: path, "the ledger is damaged: SQLite reported a malformed database while \(doing)\(sqlite); \(LedgerError.restoreAdvice)")
        case .SQLITE_FULL:
            self.init(.unavailable, path: path, "the disk is full: nothing was stored while \(doing); free some space and run again\(sqlite)")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            self.init(.unavailable, path: path, """
                the ledger cannot be written while \(doing); check that the file and its folder are \
                writable by this user (SQLite needs to create \(URL(fileURLWithPath: path).lastPathComponent)-wal \
                beside it)\(sqlite)
                """)
        case .SQLITE_IOERR:
            self.init(.unavailable, path: path, "an I/O error occurred while \(doing)\(sqlite); check the disk, then run again")
        case .SQLITE_CONSTRAINT:
            self.init(.invalidInput, path: path, "a ledger rule refused the change while \(doing)\(sqlite)")
        default:
            self.init(.database, path: path, "SQLite failed while \(doing)\(sqlite)")
        }
    }

    /// A failure of opening the connection: garbage SQLite sees as "not a database" is reported as such.
    init(opening error: any Error, path: String, busyTimeout: TimeInterval) {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB {
            self.init(.notALedger, path: path, """
                this file is not a DutyCalendar ledger: it starts like an SQLite database but SQLite cannot read \
                it (it may be encrypted, or damaged at its start); \(LedgerError.restoreAdvice)
                """)
        } else if let error = error as? DatabaseError, error.resultCode == .SQLITE_CANTOPEN {
            self.init(.unavailable, path: path, "the ledger cannot be opened; check that its folder exists and is readable and writable by this user")
        } else {
            self.init(error, path: path, doing: "opening the ledger", busyTimeout: busyTimeout)
        }
    }

    /// The operating system's words for an error from Foundation's file APIs ("No such file or directory").
    static func reason(_ error: any Error) -> String {
        var error = error as NSError
        while error.domain != NSPOSIXErrorDomain, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            error = underlying
        }
        return error.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(error.code))) : error.localizedDescription
    }

    /// `5 seconds`, `0.2 seconds`.
    static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) second\(interval == 1 ? "" : "s")" : "\(interval) seconds"
    }
}
