public import Calendrical

/// The occurrences of one schedule entry, expanded once and shared by every unit and body
/// they fall to.
///
/// All occurrences of a shared expansion have the same levels and, for deadlines that
/// follow an event recorded for one unit, the same unit, so whether it applies to a unit is
/// decided once for the whole expansion. A class, so handing one to thousands of units
/// shares it instead of copying its fields.
public final class SharedExpansion: Sendable {
    /// The duty.
    public let duty: Duty
    /// Which of the duty's schedule entries produced it.
    public let entry: Int
    /// The levels every occurrence applies to.
    public let levels: [Level]
    /// The unit of the recorded event the occurrences follow, if any: they are that unit's alone.
    public let eventUnit: UnitID?
    /// The occurrences, in the expander's order.
    public let occurrences: [Occurrence]
    /// Each occurrence's due date after rolling, as days since 1970-01-01
    /// (``CivilDate/dayNumber``), in the order of `occurrences`: a compact column for
    /// consumers that only need the dates, such as counting what falls due when.
    public let dueDays: [Int32]
    /// Each occurrence's due date as scheduled, before rolling, in the same form and order.
    public let originalDueDays: [Int32]

    init(duty: Duty, entry: Int, levels: [Level], eventUnit: UnitID?, occurrences: [Occurrence]) {
        self.duty = duty
        self.entry = entry
        self.levels = levels
        self.eventUnit = eventUnit
        self.occurrences = occurrences
        dueDays = occurrences.map { Int32($0.due.date.dayNumber) }
        originalDueDays = occurrences.map { Int32($0.due.original.dayNumber) }
    }

    /// The duty body (role) responsible.
    public var body: String { duty.entries[entry].body }
}

extension Expander {
    /// Each selected schedule entry expanded once over `range`, split where its occurrences'
    /// levels or event unit differ: the shared input of ``Deployment/forEachUnit(_:units:bodies:_:)``.
    ///
    /// Together the expansions hold exactly the occurrences ``occurrences(in:selection:events:)``
    /// returns, each in that order, grouped by entry instead of merged.
    public func sharedExpansions(in range: DateRange, selection: Selection = .all,
                                 events: [RecordedEvent] = []) -> [SharedExpansion] {
        var result: [SharedExpansion] = []
        for duty in catalogue.duties where selection.matches(duty) {
            for (index, entry) in duty.entries.enumerated() where selection.matches(entry) {
                var groups: [[Level]: [UnitID?: [Occurrence]]] = [:]
                var order: [([Level], UnitID?)] = []
                for occurrence in occurrences(of: duty, entry: index, in: range, events: events, visiting: [])
                    .sorted(by: Expander.order)
                    where selection.levels.map({ !$0.isDisjoint(with: occurrence.levels) }) ?? true {
                    let unit = occurrence.event?.unit
                    if groups[occurrence.levels]?[unit] == nil { order.append((occurrence.levels, unit)) }
                    groups[occurrence.levels, default: [:]][unit, default: []].append(occurrence)
                }
                for (levels, unit) in order {
                    result.append(SharedExpansion(duty: duty, entry: index, levels: levels, eventUnit: unit,
                                                  occurrences: groups[levels]![unit]!))
                }
            }
        }
        return result
    }
}

/// The shared expansions that fall to one body of one unit.
public struct BodyShare: Sendable {
    /// The body.
    public let body: Body
    /// Its expansions, in the order given; every occurrence in them is the body's.
    public let expansions: [SharedExpansion]
}

extension Deployment {
    /// Visits each unit with the shared expansions that fall to each of its bodies, by the
    /// rules of ``assign(_:catalogue:units:bodies:)`` (the unit's level, the deployment's
    /// documents, the bodies' roles, an event's unit), without copying an occurrence.
    ///
    /// This streams a deployment of any size: memory holds one expansion per schedule entry,
    /// not one record per unit and occurrence. The assignments a unit's visit sees are the
    /// ones `assign` makes for it, grouped by body and entry rather than in date order.
    public func forEachUnit(_ expansions: [SharedExpansion], units selected: [Unit]? = nil,
                            bodies bodyFilter: Set<String>? = nil,
                            _ visit: (Unit, [BodyShare]) throws -> Void) rethrows {
        let allowed = documents.map(Set.init)
        // Role → positions of the expansions it answers for, looked up once per body.
        var byRole: [String: [Int]] = [:]
        for (index, expansion) in expansions.enumerated() where allowed?.contains(expansion.duty.document) ?? true {
            byRole[expansion.body, default: []].append(index)
        }
        for unit in selected ?? units {
            var shares: [BodyShare] = []
            for body in unit.bodies where body.isSelected(by: bodyFilter) {
                var positions = body.roles.flatMap { byRole[$0] ?? [] }
                if body.roles.count > 1 { positions = Array(Set(positions)).sorted() }
                let theirs = positions.map { expansions[$0] }.filter { expansion in
                    expansion.levels.contains(unit.level) && (expansion.eventUnit.map { $0 == unit.id } ?? true)
                }
                if !theirs.isEmpty { shares.append(BodyShare(body: body, expansions: theirs)) }
            }
            try visit(unit, shares)
        }
    }
}
