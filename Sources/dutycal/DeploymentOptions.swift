import ArgumentParser
import CatalogueLoader
import DutyCore
import Foundation
import Ledger

/// The deployment and its ledger: shared by the commands that track and remind.
struct DeploymentOptions: ParsableArguments {
    @OptionGroup var catalogue: CatalogueOptions

    @Option(help: "The deployment file (default: the only one in the catalogue folders).")
    var deployment: String?

    @Option(help: "The ledger file (default: the deployment's `ledger` setting).")
    var ledger: String?

    /// The catalogue, the deployment file's path and the deployment; exits 65 on bad data.
    func load() throws -> (LoadedCatalogue, String, Deployment) {
        let loaded = try catalogue.load()
        let filters = try FilterOptions.parse(deployment.map { ["--deployment", $0] } ?? [])
        let (path, chosen) = try filters.deploymentFile(loaded)
        return (loaded, path, chosen)
    }

    /// Where the ledger is: `--ledger`, or the deployment's setting.
    func ledgerPath(_ deploymentPath: String, _ deployment: Deployment) throws -> String {
        if let ledger { return ledger }
        guard let path = deployment.ledger else {
            Console.error("\(deploymentPath): the deployment has no ledger setting; add `ledger: ../../.dutycal/ledger.sqlite` under `deployment:` or give --ledger FILE")
            throw ExitCode(ExitStatus.config)
        }
        return path
    }

    /// Opens the ledger, reporting a failure with its exit status.
    static func open(_ path: String, createIfMissing: Bool) throws -> Ledger {
        do {
            return try Ledger.open(at: path, createIfMissing: createIfMissing)
        } catch {
            throw LedgerFailure(error)
        }
    }
}

/// A ledger error as the command line reports it: the message, and a sysexits status.
struct LedgerFailure: Error {
    let error: LedgerError

    init(_ error: LedgerError) { self.error = error }

    /// The exit status cron and monitoring see.
    var status: Int32 {
        switch error.kind {
        case .missing: ExitStatus.noInput
        case .notALedger, .damaged, .newerSchema: ExitStatus.dataError
        case .locked, .runInProgress: ExitStatus.tempFail
        case .unavailable: ExitStatus.ioError
        case .invalidInput: ExitStatus.usage
        default: ExitStatus.software
        }
    }

    /// Prints the message and turns into the exit status.
    func exit() -> ExitCode {
        Console.error("error: \(error.description)")
        return ExitCode(status)
    }
}

extension ParsableCommand {
    /// Runs `body`, turning ledger failures into their message and exit status.
    func withLedger<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as LedgerFailure {
            throw failure.exit()
        } catch let error as LedgerError {
            throw LedgerFailure(error).exit()
        }
    }
}
