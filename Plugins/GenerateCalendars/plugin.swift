import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory generate-calendars`: regenerates the
/// ready-to-subscribe feeds in Calendars/feeds by running `dutycal feeds`. The plugin only
/// finds the tool and runs it; the window and folder live in the deployment file.
@main
struct GenerateCalendars: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "dutycal")
        let process = Process()
        process.executableURL = tool.url
        process.currentDirectoryURL = context.package.directoryURL
        process.arguments = ["feeds"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GenerateCalendarsError(
                "`dutycal feeds` failed with status \(process.terminationStatus) in \(context.package.directoryURL.path): "
                + "fix the problems it printed above (`swift run dutycal validate` lists catalogue errors), then run "
                + "`swift package --allow-writing-to-package-directory generate-calendars` again")
        }
    }
}

struct GenerateCalendarsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
