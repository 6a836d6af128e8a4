import Foundation

extension Ledger {
    /// What is at a ledger path before SQLite is allowed near it.
    enum FileCheck {
        /// Nothing: a new ledger may be created.
        case missing
        /// A file that starts like an SQLite database (it may still be damaged or foreign).
        case sqlite

        /// The 16 bytes every SQLite database file starts with.
        static let magic = Array("SQLite format 3\u{0}".utf8)

        /// Looks at the path with plain file reads, so that garbage is refused before SQLite could touch it.
        static func inspect(_ path: String) throws(LedgerError) -> FileCheck {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
            if isDirectory.boolValue {
                throw LedgerError(.notALedger, path: path, "this is a folder, not a ledger file; give the path of the ledger file itself (e.g. \(path)/ledger.sqlite)")
            }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw LedgerError(.unavailable, path: path, "the ledger cannot be read (permission denied?); check the file's owner and permissions")
            }
            defer { try? handle.close() }
            let head: [UInt8]
            do {
                head = Array(try handle.read(upToCount: 100) ?? Data())
            } catch {
                throw LedgerError(.unavailable, path: path, "the ledger cannot be read (\(LedgerError.reason(error))); check the disk and the file's permissions")
            }
            if head.isEmpty {
                throw LedgerError(.notALedger, path: path, """
                    the file is empty (0 bytes), so it is not a DutyCalendar ledger. dutycal never leaves an empty \
                    ledger (a new one is created complete), so this file was probably truncated or made by another \
                    program. Restore the ledger from a backup; or, to start a new ledger, delete this file (reminders \
                    already sent would then be sent again). The file was left unchanged.
                    """)
            }
            guard head.count == 100, Array(head.prefix(16)) == magic else {
                let shown = head.prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
                throw LedgerError(.notALedger, path: path, """
                    this file is not a DutyCalendar ledger: it is not an SQLite database (it starts with the bytes \
                    \(shown)). Check that the ledger path is right; if this file belongs elsewhere, move it away and \
                    dutycal will create a new ledger. The file was left unchanged.
                    """)
            }
            return .sqlite
        }
    }
}
