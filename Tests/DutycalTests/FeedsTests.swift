import Foundation
import Testing

/// The feeds shipped in Calendars/feeds and the iCalendar output, checked by independent
/// readers (python icalendar with recurring_ical_events, and khal).
@Suite struct FeedsTests {
    /// Fails when the committed feeds differ from what the catalogue produces now: run
    /// `swift package --allow-writing-to-package-directory generate-calendars` and commit.
    @Test func committedFeedsMatchTheCatalogue() throws {
        let committed = repositoryRoot.appendingPathComponent("Calendars/feeds")
        let scratch = try temporaryFolder()
        for name in try FileManager.default.contentsOfDirectory(atPath: committed.path) {
            try FileManager.default.copyItem(at: committed.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
        }
        let result = try dutycal("feeds", "--out", scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
        let before = try FileManager.default.contentsOfDirectory(atPath: committed.path).sorted()
        let after = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(before == after, "files differ; regenerate with the generate-calendars plugin")
        var stale: [String] = []
        for name in after where name != ".dutycal-state.json" {
            let old = try Data(contentsOf: committed.appendingPathComponent(name))
            let new = try Data(contentsOf: scratch.appendingPathComponent(name))
            if old != new { stale.append(name) }
        }
        #expect(stale.isEmpty, "out of date: \(stale.prefix(10)); run swift package --allow-writing-to-package-directory generate-calendars")
        #expect(after.filter { $0.hasSuffix(".ics") }.count >= 70)
    }

    @Test func aCommittedFeedParsesWithTheSameOccurrencesAsExpand() throws {
        let feed = repositoryRoot.appendingPathComponent("Calendars/feeds/county-anweiban.ics").path
        let expanded = try dutycal("expand", "--unit", "county", "--body", "anweiban", "--from", "2026-01-01", "--to", "2028-12-31", "--format", "json")
        #expect(expanded.status == 0)
        let json = try temporaryFolder(["expand.json": expanded.stdout]).appendingPathComponent("expand.json").path
        let check = try python("ics_check.py", [feed, json])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect((check.stdout + check.stderr).contains(" passed, 0 failed"))
    }

    @Test func exportingTwiceGivesIdenticalBytes() throws {
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("county.ics").path
        let first = try dutycal("export", "--format", "ics", "--unit", "county", "--from", "2026-01-01", "--to", "2026-12-31", "--out", out)
        #expect(first.status == 0, "\(first.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        _ = try dutycal("export", "--format", "ics", "--unit", "county", "--from", "2026-01-01", "--to", "2026-12-31", "--out", out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == bytes)
        let expanded = try dutycal("expand", "--unit", "county", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json")
        let json = try temporaryFolder(["e.json": expanded.stdout]).appendingPathComponent("e.json").path
        let check = try python("ics_check.py", [out, json])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    }

    @Test func khalImportsAFeedAndListsTheExpectedDays() throws {
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("anweiban.ics").path
        let export = try dutycal("export", "--format", "ics", "--unit", "county", "--body", "anweiban", "--from", "2026-01-01", "--to", "2026-06-30", "--out", out)
        #expect(export.status == 0, "\(export.stderr)")
        let expanded = try dutycal("expand", "--unit", "county", "--body", "anweiban", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: expanded.stdoutData) as? [String: Any])
        let count = try #require(object["occurrences"] as? [Any]).count
        let khal = try run(URL(fileURLWithPath: "/bin/bash"), [repositoryRoot.appendingPathComponent("Tests/peers/khal_check.sh").path,
                                                             out, "2026-01-01", "2026-06-30", String(count)])
        #expect(khal.status == 0, "khal: \(khal.stdout)\n\(khal.stderr)")
    }
}

/// CSV exports read back by Python's csv module after a strict decode.
@Suite struct CSVExportTests {
    @Test(arguments: [("utf8", "utf-8-sig"), ("gb18030", "gb18030")])
    func csvOpensWithTheRightTextAndDates(encoding: String, pythonCodec: String) throws {
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("county.csv").path
        let export = try dutycal("export", "--format", "csv", "--encoding", encoding, "--unit", "county", "--from", "2026-01-01", "--to", "2026-12-31", "--out", out)
        #expect(export.status == 0, "\(export.stderr)")
        let expanded = try dutycal("expand", "--unit", "county", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "json")
        let json = try temporaryFolder(["e.json": expanded.stdout]).appendingPathComponent("e.json").path
        let check = try python("csv_check.py", [out, pythonCodec, json])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains(" passed, 0 failed"))
    }
}
