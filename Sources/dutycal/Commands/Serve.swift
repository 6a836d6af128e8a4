import ArgumentParser
import DutyCore
import FeedServer
import Foundation
import Ledger
import Logging

extension DutyCal {
    /// `dutycal serve`: the subscription server over the deployment and its ledger.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve live iCalendar feeds, CSV downloads and year pages at the ledger's secret token links.",
            discussion: """
            Routes: /feeds/<token>.ics, /feeds/<token>.csv, /units/<token>/<year> (the year page) and \
            /healthz. Feeds show completions (✓, STATUS:CONFIRMED) and recorded events' deadlines, are \
            cached, and are rebuilt only when the catalogue, the working-day calendar or the ledger \
            changed (or the day did). Listens on the deployment's server: host and port (127.0.0.1:8080 \
            by default); put nginx with TLS in front for the public address. Logs one line per request \
            to standard error, tokens shortened. SIGTERM or SIGINT finish the requests in flight and exit 0.
            Exit status: 0 stopped by a signal, 64 a bad --port, 65 bad catalogue, deployment or ledger data, \
            74 the ledger cannot be read, 78 the server cannot listen on the host and port (in use, or not an \
            address of this machine).
            """)

        @OptionGroup var options: DeploymentOptions

        @Option(help: "The address to listen on (default: the deployment's server host, else 127.0.0.1).")
        var host: String?

        @Option(help: "The port (default: the deployment's server port, else 8080; 0 picks a free one).")
        var port: Int?

        func validate() throws {
            if let port, !(0...65535).contains(port) { throw ValidationError("--port \(port) is not a TCP port: give 1 to 65535 (or 0 for any free one)") }
            if let host, host.isEmpty { throw ValidationError("--host is empty: give an address such as 127.0.0.1") }
        }

        func run() async throws {
            let (loaded, deploymentPath, deployment) = try options.load()
            let settings = deployment.server ?? ServerSettings()
            let host = host ?? settings.host
            let port = port ?? settings.port
            let ledgerPath = try options.ledgerPath(deploymentPath, deployment)
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            let logger = Logger(label: "dutycal.serve")
            let source = try withLedger {
                let ledger = try DeploymentOptions.open(ledgerPath, createIfMissing: true)
                return try DeploymentFeeds(paths: options.catalogue.paths, deploymentPath: deploymentPath, loaded: loaded,
                                           deployment: deployment, ledger: ledger, logger: logger)
            }
            do {
                try await FeedServer(source: source).run(host: host, port: port, logger: logger) { port in
                    logger.notice("listening", metadata: ["address": .string("http://\(host):\(port)"), "deployment": .string(deploymentPath),
                                                          "ledger": .string(ledgerPath)])
                }
            } catch let error as FeedServerError {
                Console.error("error: \(error.description)")
                throw ExitCode(ExitStatus.config)
            }
            logger.notice("stopped")
        }
    }
}
