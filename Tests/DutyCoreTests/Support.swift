import Calendrical
import CatalogueLoader
import DutyCore
import Foundation

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Writes `files` (name → text) into a fresh temporary folder and returns its path.
func temporaryFolder(_ files: [String: String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dutycal-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return folder.path
}

/// Loads a catalogue file's text together with the shipped working-day calendar.
func loadCatalogue(_ yaml: String, name: String = "test.yaml") throws -> LoadedCatalogue {
    let folder = try temporaryFolder([name: yaml])
    return CatalogueLoader.load(paths: ["\(folder)/\(name)", repositoryRoot.appendingPathComponent("Calendars/workdays.yaml").path])
}

/// A catalogue file holding `duties` (YAML list items, indented by two spaces).
func catalogueFile(_ duties: String) -> String {
    """
    document:
      id: test
      title: 测试文件
      seed: test.txt
      year: 2026
    duties:
    \(duties)
    """
}

func day(_ text: String) -> CivilDate { CivilDate(text)! }
func range(_ from: String, _ through: String) -> DateRange { DateRange(from: day(from), through: day(through))! }
