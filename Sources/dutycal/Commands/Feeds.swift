import ArgumentParser
import Calendrical
import CatalogueLoader
import DutyCore

extension DutyCal {
    /// `dutycal feeds`: regenerates a deployment's ready-to-subscribe feeds.
    struct Feeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate the deployment's ready-to-subscribe iCalendar feeds (one per body) and their index.",
            discussion: "The window and folder come from the deployment's `feeds` setting, so the committed feeds are reproducible.")

        @OptionGroup var catalogue: CatalogueOptions

        @Option(help: "The deployment file (default: the only one in the catalogue folders).")
        var deployment: String?

        @Option(help: "Write into this folder instead of the deployment's feeds folder.")
        var out: String?

        func run() throws {
            let loaded = try catalogue.load()
            let filters = try FilterOptions.parse(deployment.map { ["--deployment", $0] } ?? [])
            let (path, chosen) = try filters.deploymentFile(loaded)
            guard let feeds = chosen.feeds else {
                throw ValidationError("\(path) has no feeds setting: add `feeds: {from: 2026-01-01, to: 2028-12-31, folder: Calendars/feeds}` under `deployment:`")
            }
            var arguments = catalogue.paths.flatMap { ["--catalogue", $0] }
            arguments += ["--deployment", path, "--format", "ics", "--unit", "all", "--split", "body",
                          "--from", feeds.from.description, "--to", feeds.through.description, "--out", out ?? feeds.folder]
            var export = try ExportOccurrences.parse(arguments)
            try export.run()
        }
    }
}
