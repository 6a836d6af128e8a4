import Calendrical
import CatalogueLoader
import DutyCore
import Foundation
import Testing

/// Streaming a deployment from shared expansions sees exactly what `assign` makes.
@Suite struct StreamingTests {
    static let loaded = CatalogueLoader.load(paths: [repositoryRoot.appendingPathComponent("Calendars").path])

    /// Every event name a relative duty follows, recorded once for the county.
    static func events() -> [RecordedEvent] {
        var names: Set<String> = []
        for duty in loaded.catalogue.duties {
            for entry in duty.entries { if case .relative(let r) = entry.schedule, case .event(let name) = r.anchor { names.insert(name) } }
        }
        return names.sorted().enumerated().map { RecordedEvent(id: "e\($0)", name: $1, date: day("2026-03-02"), unit: UnitID("county")) }
    }

    func streamed(_ deployment: Deployment, _ expansions: [SharedExpansion], bodies: Set<String>? = nil) -> [String] {
        var ids: [String] = []
        deployment.forEachUnit(expansions, bodies: bodies) { unit, shares in
            for share in shares {
                for expansion in share.expansions {
                    #expect(expansion.levels.contains(unit.level))
                    #expect(share.body.roles.contains(expansion.body))
                    for occurrence in expansion.occurrences { ids.append("\(unit.id)/\(share.body.id)/\(occurrence.key)") }
                }
            }
        }
        return ids
    }

    @Test func theExampleCountyStreamsWhatAssignMakes() throws {
        let deployment = try #require(Self.loaded.deployments.values.first)
        let window = range("2026-01-01", "2027-12-31")
        let events = Self.events()
        let expander = Self.loaded.expander
        let assigned = deployment.assign(expander.occurrences(in: window, events: events), catalogue: expander.catalogue).map(\.id)
        let expansions = expander.sharedExpansions(in: window, events: events)
        let ids = streamed(deployment, expansions)
        #expect(ids.count == assigned.count)
        #expect(ids.sorted() == assigned.sorted())
        #expect(Set(ids).count == ids.count)
        // The event deadlines recorded for the county reach the county only.
        #expect(expansions.contains { $0.eventUnit == UnitID("county") })
        #expect(ids.contains { $0.hasPrefix("county/") && $0.contains("@event-") })
        #expect(ids.allSatisfy { $0.hasPrefix("county/") || !$0.contains("@event-") })
        // Expanded once: the expansions hold each catalogue occurrence once.
        #expect(expansions.reduce(0) { $0 + $1.occurrences.count } == expander.occurrences(in: window, events: events).count)
    }

    @Test func aBodyFilterAndASelectionNarrowTheSameWay() throws {
        let deployment = try #require(Self.loaded.deployments.values.first)
        let window = range("2026-01-01", "2026-06-30")
        let selection = Selection(levels: [.township])
        let expander = Self.loaded.expander
        let bodies: Set<String> = ["anweiban"]
        let assigned = deployment.assign(expander.occurrences(in: window, selection: selection), catalogue: expander.catalogue,
                                         bodies: bodies).map(\.id)
        let ids = streamed(deployment, expander.sharedExpansions(in: window, selection: selection), bodies: bodies)
        #expect(!ids.isEmpty)
        #expect(ids.sorted() == assigned.sorted())
        #expect(ids.allSatisfy { $0.split(separator: "/")[1] == "anweiban" })
        #expect(ids.contains { $0.hasPrefix("chengguan/anweiban/") })
    }

    @Test func eachExpansionKeepsTheExpandersOrder() {
        let window = range("2026-01-01", "2026-12-31")
        for expansion in Self.loaded.expander.sharedExpansions(in: window) {
            let occurrences = expansion.occurrences
            #expect(zip(occurrences, occurrences.dropFirst()).allSatisfy { !Expander.order($1, $0) }, "\(expansion.duty.id)")
        }
    }
}
