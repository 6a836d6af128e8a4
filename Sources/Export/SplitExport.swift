public import DutyCore

/// The files of an export split by unit, or by unit and body, as `dutycal export --split`
/// writes them: made one unit at a time, each occurrence's record built once and copied for
/// every unit and body it falls to.
public enum SplitExport {
    /// How the files are cut.
    public enum Split: String, Sendable, CaseIterable {
        /// One file per unit: `UNIT.EXT`.
        case unit
        /// One file per body of each unit: `UNIT-BODY.EXT`.
        case body
    }

    /// One output file and its records, in the expander's order.
    public struct File: Sendable {
        /// The file's name, e.g. `county-anweiban.ics`.
        public let name: String
        /// The unit.
        public let unit: Unit
        /// The body, for a split by body.
        public let body: Body?
        /// The records.
        public let items: [OccurrenceRecord]
    }

    /// Hands each file with at least one record to `body`, units in the given order and
    /// each unit's bodies in the deployment's order; `bodies` filters bodies as
    /// `Deployment.assign` does.
    public static func forEachFile<E: Error>(_ occurrences: [Occurrence], deployment: Deployment, catalogue: Catalogue,
                                             units: [Unit], bodies: Set<String>? = nil, split: Split, fileExtension: String,
                                             _ body: (File) throws(E) -> Void) throws(E) {
        // By the occurrence's key (plain ASCII, quick to hash), checked against the occurrence.
        var records: [String: (occurrence: Occurrence, record: OccurrenceRecord)] = [:]
        func record(_ assignment: Assignment) -> OccurrenceRecord {
            let occurrence = assignment.occurrence, key = occurrence.key
            if let found = records[key], found.occurrence == occurrence { return found.record.assigned(to: assignment) }
            let made = OccurrenceRecord(occurrence, catalogue: catalogue)
            records[key] = (occurrence, made)
            return made.assigned(to: assignment)
        }
        try deployment.assignments(occurrences, catalogue: catalogue, units: units, bodies: bodies) { (unit, assignments) throws(E) in
            switch split {
            case .unit:
                if !assignments.isEmpty {
                    try body(File(name: "\(unit.id).\(fileExtension)", unit: unit, body: nil, items: assignments.map(record)))
                }
            case .body:
                var byBody: [String: [OccurrenceRecord]] = [:]
                for assignment in assignments { byBody[assignment.body.id, default: []].append(record(assignment)) }
                for part in unit.bodies {
                    if let items = byBody[part.id], !items.isEmpty {
                        try body(File(name: "\(unit.id)-\(part.id).\(fileExtension)", unit: unit, body: part, items: items))
                    }
                }
            }
        }
    }
}
