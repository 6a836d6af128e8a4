/// A failure of the ledger: what went wrong, with which file, and what to do about it.
///
/// Every message names the ledger's path. Compare ``kind`` to tell failures apart; the
/// message is for people and may change.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    /// The sort of failure, so callers can choose an exit status or a retry.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case missing, notALedger, damaged, newerSchema, locked, runInProgress, unavailable, invalidTransition,
                 invalidInput, database
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The ledger file does not exist and was not to be created.
        public static let missing = Kind(.missing)
        /// The file is not a DutyCalendar ledger: not SQLite, empty, or another program's database.
        public static let notALedger = Kind(.notALedger)
        /// The file is an SQLite database whose contents are damaged.
        public static let damaged = Kind(.damaged)
        /// The ledger was written by a newer DutyCalendar whose schema this one does not know.
        public static let newerSchema = Kind(.newerSchema)
        /// Another process kept the database locked for longer than the busy timeout.
        public static let locked = Kind(.locked)
        /// Another run holds the run lock.
        public static let runInProgress = Kind(.runInProgress)
        /// The file or its folder cannot be opened, read or written (permissions, disk full, I/O error).
        public static let unavailable = Kind(.unavailable)
        /// A digest was asked to change state in a way the outbox does not allow (e.g. a sent digest marked failed).
        public static let invalidTransition = Kind(.invalidTransition)
        /// A value passed to the ledger breaks one of its rules (e.g. a reminder for another recipient).
        public static let invalidInput = Kind(.invalidInput)
        /// Any other SQLite failure.
        public static let database = Kind(.database)

        /// The kind's name, e.g. `locked`.
        public var description: String { base.rawValue }
    }

    /// The sort of failure.
    public let kind: Kind
    /// The ledger file the failure concerns.
    public let path: String
    /// What failed and what to do, without the path (``description`` adds it).
    public let message: String

    /// An error about the ledger at `path`.
    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// `<path>: <message>`, the form printed to the user.
    public var description: String { "\(path): \(message)" }
}
