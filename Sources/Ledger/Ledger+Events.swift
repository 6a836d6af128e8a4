public import Calendrical
public import DutyCore
public import Foundation
import GRDB

extension Ledger {
    /// Records that an event a relative duty follows happened (`dutycal record-event`), and returns it with its new id (`ev-1`, `ev-2`…).
    ///
    /// `name` is the event as the duty names it (行政处罚决定); `duty` is the duty the user
    /// named, kept so the record can be traced back.
    @discardableResult
    public func recordEvent(_ name: String, forDuty duty: DutyID, on date: CivilDate, reference: String? = nil,
                            unit: UnitID? = nil, at now: Date) throws(LedgerError) -> RecordedEvent {
        guard !name.isEmpty else {
            throw LedgerError(.invalidInput, path: path, "an event needs a name (the event duty \(duty) follows)")
        }
        let reference = nonEmpty(reference)
        return try write("recording the event \(name)") { db in
            try db.execute(sql: """
                INSERT INTO event (event_name, duty_id, unit_id, happened_on, reference, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [name, duty.rawValue, unit?.rawValue, date.ledgerText, reference, now])
            return RecordedEvent(id: Ledger.eventID(db.lastInsertedRowID), name: name, date: date, reference: reference, unit: unit)
        }
    }

    /// Every recorded event, by the day it happened, then in the order recorded.
    public func recordedEvents() throws(LedgerError) -> [RecordedEvent] {
        try read("reading recorded events") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY happened_on, id").map(Ledger.recordedEvent(row:))
        }
    }

    /// Removes a recorded event (`ev-3`) entered by mistake and returns it; nil when there is no such event.
    ///
    /// Its id is never given to another event.
    @discardableResult
    public func removeEvent(id: String) throws(LedgerError) -> RecordedEvent? {
        guard id.hasPrefix("ev-"), let number = Int64(id.dropFirst(3)) else { return nil }
        return try write("removing the event \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM event WHERE id = ?", arguments: [number]) else { return nil }
            try db.execute(sql: "DELETE FROM event WHERE id = ?", arguments: [number])
            return try Ledger.recordedEvent(row: row)
        }
    }

    /// `ev-<row id>`.
    static func eventID(_ rowID: Int64) -> String { "ev-\(rowID)" }

    static func recordedEvent(row: Row) throws -> RecordedEvent {
        let unit: String? = row["unit_id"]
        return RecordedEvent(id: eventID(row["id"]), name: row["event_name"], date: try row.civilDate("happened_on"),
                             reference: row["reference"], unit: unit.map { UnitID($0) })
    }
}
