import Calendrical
import CatalogueLoader
import DutyCore
import Foundation
import Testing

/// The catalogue shipped in Calendars/: valid, traced to its sources, expandable, stable.
@Suite struct ShippedCatalogueTests {
    static let loaded = CatalogueLoader.load(paths: [repositoryRoot.appendingPathComponent("Calendars").path])
    static let seeds = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/seeds")
    static let seedsPresent = FileManager.default.fileExists(atPath: seeds.path)
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    @Test func loadsWithoutAnyDiagnostic() {
        #expect(Self.loaded.diagnostics.isEmpty, "\(Self.loaded.diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(Self.loaded.catalogue.documents.count == 13)
        #expect(Self.loaded.catalogue.duties.count >= 100)
        #expect(Self.loaded.workCalendar.officialYears == [2024, 2025, 2026])
    }

    /// Runs wherever the five source texts are (CI always has them, and fails without them);
    /// elsewhere it is skipped with this reason.
    @Test(.enabled(if: seedsPresent || inCI, "the source texts are absent (expected at ../shared/seeds): quotes were not checked"))
    func everyQuoteOccursVerbatimInItsSource() {
        #expect(Self.seedsPresent, "the source texts are missing at \(Self.seeds.path)")
        let problems = QuoteCheck.check(Self.loaded, seedsFolder: Self.seeds.path)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
        let quotes = Self.loaded.catalogue.duties.flatMap(\.entries).count
        #expect(quotes >= Self.loaded.catalogue.duties.count)
    }

    @Test func everyDutyExpands() {
        let catalogue = Self.loaded.catalogue
        // One recorded event per event name, so event-relative duties expand too.
        var names: Set<String> = []
        for duty in catalogue.duties {
            for entry in duty.entries { if case .relative(let r) = entry.schedule, case .event(let name) = r.anchor { names.insert(name) } }
        }
        let events = names.sorted().enumerated().map { RecordedEvent(id: "e\($0)", name: $1, date: CivilDate("2026-03-02")!) }
        let occurrences = Self.loaded.expander.occurrences(in: DateRange(from: CivilDate("2014-01-01")!, through: CivilDate("2030-12-31")!)!,
                                                           events: events)
        let expanded = Set(occurrences.map(\.duty))
        let missing = catalogue.duties.map(\.id).filter { !expanded.contains($0) }
        #expect(missing.isEmpty, "duties with no occurrence 2014–2030: \(missing)")
        // Every entry of every duty expands, not just one of them.
        let entries = Set(occurrences.map { "\($0.duty)#\($0.entry)" })
        for duty in catalogue.duties {
            for index in duty.entries.indices { #expect(entries.contains("\(duty.id)#\(index)"), "\(duty.id) schedule \(index + 1)") }
        }
    }

    @Test func idsAreStable() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/DutyCoreTests/Fixtures/duty-ids.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        let known = Set(lines.map { $0.components(separatedBy: " #").first!.trimmingCharacters(in: .whitespaces) })
        let removed = Set(lines.filter { $0.contains("# removed") }.map { $0.components(separatedBy: " #").first! })
        let current = Set(Self.loaded.catalogue.duties.map(\.id.rawValue))
        #expect(current.subtracting(known).isEmpty, "new ids missing from Fixtures/duty-ids.txt: \(current.subtracting(known).sorted())")
        #expect(known.subtracting(removed).subtracting(current).isEmpty,
                "ids disappeared (renamed?): \(known.subtracting(removed).subtracting(current).sorted()); ids never change")
        #expect(removed.isDisjoint(with: current), "a removed id was reused: \(removed.intersection(current).sorted())")
    }

    @Test func everyDutyIdStartsWithItsDocumentId() {
        for duty in Self.loaded.catalogue.duties {
            #expect(duty.id.rawValue.hasPrefix(duty.document.rawValue + "-"), "\(duty.id) in \(duty.document)")
        }
    }

    /// The catalogue issue's acceptance: the example county's 2026 lists these duties.
    @Test func exampleCounty2026HasTheCoreDuties() throws {
        let (_, deployment) = try #require(Self.loaded.deployments.first)
        let county = try #require(deployment.unit("county"))
        #expect(deployment.units.filter { $0.level == .township }.count == 12)
        let year = DateRange(from: CivilDate("2026-01-01")!, through: CivilDate("2026-12-31")!)!
        let assignments = deployment.assign(Self.loaded.expander.occurrences(in: year), catalogue: Self.loaded.catalogue, units: [county])
        func count(_ duty: String, body: String? = nil) -> Int {
            assignments.filter { $0.occurrence.duty.rawValue == duty && (body == nil || $0.body.id == body) }.count
        }
        #expect(count("shanxi-2014-dzztz-anweihui-quarterly-meeting", body: "anweihui") == 4)  // quarterly committee meetings
        #expect(count("xinzhou-2022-party-committee-quarterly", body: "xianwei-changweihui") == 4)
        #expect(count("xinzhou-2022-leaders-grassroots") == 12)                                 // monthly grassroots visits
        #expect(count("zhifanian-2016-liangyue-xingdong", body: "yingji") == 6)                 // bimonthly enforcement actions
        let summaries = assignments.filter { $0.occurrence.duty == "zhifanian-2016-liangyue-xingdong-zongjie" && $0.body.id == "yingji" }
        #expect(summaries.map(\.occurrence.due.original.day).allSatisfy { $0 == 12 })          // by the 12th of the next month
        #expect(count("zhifanian-2016-yuebao", body: "yingji") == 12)                           // monthly report before the 10th
        #expect(count("xinzhou-2022-cross-enforcement", body: "yingji") == 1)                   // annual cross-region check
        let window = assignments.filter { $0.occurrence.duty == "bingtuan-2014-kaohe-annual-assessment" }
        #expect(window.contains { $0.occurrence.start == CivilDate("2026-12-20") && $0.occurrence.due.original == CivilDate("2027-01-10") })
    }

    @Test func calendarsReadmeCountsMatchTheCatalogue() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("Calendars/README.md"), encoding: .utf8)
        let table = CatalogueSummary.markdownTable(Self.loaded.catalogue)
        #expect(readme.contains(table), "Calendars/README.md's table is out of date; replace it with:\n\(table)")
    }
}
