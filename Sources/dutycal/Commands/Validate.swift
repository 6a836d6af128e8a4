import ArgumentParser
import CatalogueLoader
import Diagnostics
import DutyCore

extension DutyCal {
    /// `dutycal validate`: checks catalogue files and reports every problem at once.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check catalogue, working-day and deployment files; report every problem with its location.")

        @Argument(help: "Files or folders to check (default: Calendars).")
        var paths: [String] = []

        @Option(help: "Folder of the source texts: also check that every quote occurs in its source.")
        var seeds: String?

        func run() throws {
            let loaded = CatalogueLoader.load(paths: paths.isEmpty ? ["Calendars"] : paths)
            var diagnostics = loaded.diagnostics
            if let seeds {
                diagnostics += QuoteCheck.check(loaded, seedsFolder: seeds)
            }
            for diagnostic in diagnostics { Console.error(diagnostic.description) }
            let errors = diagnostics.filter { $0.severity == .error }.count
            if errors > 0 {
                Console.error("\(errors) error\(errors == 1 ? "" : "s") found in \(loaded.files.count) file\(loaded.files.count == 1 ? "" : "s").")
                throw ExitCode(ExitStatus.dataError)
            }
            let duties = loaded.catalogue.duties.count
            Console.out("\(loaded.files.count) files, \(loaded.catalogue.documents.count) documents, \(duties) duties: no problems found.\n")
        }
    }
}
