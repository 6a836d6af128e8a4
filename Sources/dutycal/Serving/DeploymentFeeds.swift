import Calendrical
import CatalogueLoader
import CSVExport
import Diagnostics
import DutyCore
import Export
import FeedServer
import Foundation
import ICalendarExport
import Ledger
import Logging

/// The feeds `dutycal serve` serves: a deployment's occurrences over the catalogue, the
/// working-day calendar and the ledger (completions marked, recorded events' deadlines),
/// per unit, per body and per subscriber at the ledger's tokens.
///
/// `version()` is what every request pays for, so it is the ledger's feed change counter
/// (which triggers bump on every completion, event and token change; read again only after
/// a commit, see `Ledger.ChangeWatch`) plus a `stat` of each catalogue file and folder, done
/// at most once per `fileCheckInterval`; the
/// date is part of it too, so the window and overdue marks move at midnight in Asia/Shanghai.
/// A catalogue edited into errors is reported and the last good one is kept.
final class DeploymentFeeds: FeedSource, @unchecked Sendable {
    let paths: [String]
    let deploymentPath: String
    let ledger: Ledger
    /// The ledger's change counter without a query per request.
    let changes: Ledger.ChangeWatch
    let logger: Logger
    /// How long a `stat` of the catalogue files stays trusted.
    let fileCheckInterval: Duration

    private let lock = NSLock()
    private var inputs: Inputs
    private var files: FileStamp
    /// Grows each time `files` differs from the stamp before it.
    private var filesGeneration = 0
    private var filesCheckedAt: ContinuousClock.Instant
    private var lastVersion: (key: VersionKey, version: FeedVersion)?

    /// What a version is made of, compared on every request without building its stamp.
    struct VersionKey: Equatable {
        let files: Int
        let ledger: Int64
        let day: Int
    }
    private var tokens: (counter: Int64, byToken: [String: Ledger.FeedToken])
    private var states: [String: ExportState] = [:]

    /// The catalogue and deployment a rendering uses, with the files' stamp they were read at.
    struct Inputs {
        let loaded: LoadedCatalogue
        let deployment: Deployment
        let stamp: FileStamp
    }

    init(paths: [String], deploymentPath: String, loaded: LoadedCatalogue, deployment: Deployment, ledger: Ledger,
         logger: Logger, fileCheckInterval: Duration = .seconds(1)) throws(LedgerError) {
        self.paths = paths
        self.deploymentPath = deploymentPath
        self.ledger = ledger
        changes = try Ledger.ChangeWatch(ledger)
        self.logger = logger
        self.fileCheckInterval = fileCheckInterval
        let stamp = FileStamp(watching: loaded.files + [deploymentPath], folders: paths)
        inputs = Inputs(loaded: loaded, deployment: deployment, stamp: stamp)
        files = stamp
        filesCheckedAt = .now
        tokens = (-1, [:])
        _ = try currentTokens()
    }

    // MARK: FeedSource

    func version() async throws -> FeedVersion {
        let counter = try changes.feedChangeCounter()
        let (files, generation) = currentFiles()
        // Asia/Shanghai has no daylight saving time: the civil day is the UTC+8 day number.
        let day = Int((Date().timeIntervalSince1970 + 8 * 3600) / 86400)
        let key = VersionKey(files: generation, ledger: counter, day: day)
        if let last = lock.withLock({ lastVersion }), last.key == key { return last.version }
        let midnight = Date(timeIntervalSince1970: TimeInterval(day * 86400 - 8 * 3600))
        let version = FeedVersion(stamp: "\(generation)|\(counter)|\(day)", modified: max(files.newest, ledgerModified(), midnight))
        lock.withLock { lastVersion = (key, version) }
        return version
    }

    func scope(for token: String) async throws -> FeedScope? {
        guard let found = try currentTokens()[token] else { return nil }
        let deployment = lock.withLock { inputs.deployment }
        guard let target = Self.target(of: found, in: deployment) else { return nil }
        return FeedScope(token: token, unit: target.unit.id.rawValue, body: target.body?.id, subscriber: found.subscriber)
    }

    func render(_ scope: FeedScope, format: FeedFormat) async throws -> Data {
        let inputs = try currentInputs()
        guard let unit = inputs.deployment.unit(UnitID(scope.unit)) else { throw ServeError("the unit \(scope.unit) left the deployment") }
        let today = Clock.today()
        let range = Self.window(around: today, inputs.deployment.server ?? ServerSettings())
        let items = try records(inputs, unit: unit, body: scope.body, in: range)
        let body = scope.body.flatMap { id in unit.bodies.first { $0.id == id } }
        let title = DutyCal.ExportOccurrences.title(body.map { "\(unit.name) \($0.name)" } ?? unit.name)
        let key = "\(scope.token).\(format.rawValue)"
        let exporter: any Exporter = format == .ics ? ICalendarExporter() : CSVExporter()
        let previous = lock.withLock { states[key] }
        let result = try exporter.export(ExportRequest(items: items, range: range, title: title, now: Date(), previousState: previous))
        if let state = result.state { lock.withLock { states[key] = state } }
        return result.data
    }

    func yearPage(_ scope: FeedScope, year: Int) async throws -> String {
        let inputs = try currentInputs()
        guard let unit = inputs.deployment.unit(UnitID(scope.unit)) else { throw ServeError("the unit \(scope.unit) left the deployment") }
        let counts = try ledger.completionCounts()
        return try YearPlan.render(loaded: inputs.loaded, deployment: inputs.deployment, unit: unit, body: scope.body, year: year,
                                   asOf: Clock.today(), completions: counts)
    }

    // MARK: Inputs

    /// The unit's (or one body's) records in `range`, with the ledger's events and completions.
    func records(_ inputs: Inputs, unit: DutyCore.Unit, body: String?, in range: DateRange) throws -> [OccurrenceRecord] {
        let occurrences = inputs.loaded.expander.occurrences(in: range, events: try ledger.recordedEvents())
        let done = try ledger.completionSummaries()
        return inputs.deployment.assign(occurrences, catalogue: inputs.loaded.catalogue, units: [unit], bodies: body.map { [$0] })
            .map { assignment in
                var record = OccurrenceRecord(assignment.occurrence, catalogue: inputs.loaded.catalogue, assignment: assignment)
                if let summary = done[record.id] {
                    record.completions = summary.count
                    if summary.count >= (record.count ?? 1) { record.completedOn = summary.latest?.date.description }
                }
                return record
            }
    }

    /// The unit and body a token opens in the deployment as it is now; nil when they left it
    /// (or the subscriber no longer receives that body's digests).
    static func target(of token: Ledger.FeedToken, in deployment: Deployment) -> (unit: DutyCore.Unit, body: Body?)? {
        guard let unit = deployment.unit(UnitID(token.unit)) else { return nil }
        guard let bodyID = token.body else { return (unit, nil) }
        guard let body = unit.bodies.first(where: { $0.id == bodyID }) else { return nil }
        if let subscriber = token.subscriber, !body.recipients.contains(where: { $0.email.lowercased() == subscriber.lowercased() }) {
            return nil
        }
        return (unit, body)
    }

    /// From the first of the month `monthsBack` before today's through the last day of the month `monthsAhead` after.
    static func window(around today: CivilDate, _ settings: ServerSettings) -> DateRange {
        func monthStart(_ offset: Int) -> CivilDate {
            let index = today.year * 12 + (today.month - 1) + offset
            return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)!
        }
        return DateRange(from: monthStart(-settings.monthsBack), through: monthStart(settings.monthsAhead + 1).adding(days: -1))!
    }

    /// The valid tokens, reloaded when the ledger's change counter moved.
    private func currentTokens() throws(LedgerError) -> [String: Ledger.FeedToken] {
        let counter = try changes.feedChangeCounter()
        if let known = lock.withLock({ tokens.counter == counter ? tokens.byToken : nil }) { return known }
        let valid = try ledger.feedTokens().filter(\.isValid)
        let byToken = Dictionary(valid.map { ($0.token, $0) }, uniquingKeysWith: { first, _ in first })
        lock.withLock { if counter > tokens.counter { tokens = (counter, byToken) } }
        return byToken
    }

    /// The files' stamp and its generation, re-read when the last check is older than `fileCheckInterval`.
    private func currentFiles() -> (FileStamp, Int) {
        let now = ContinuousClock.now
        if let recent = lock.withLock({ now - filesCheckedAt < fileCheckInterval ? (files, filesGeneration) : nil }) { return recent }
        let watched = lock.withLock { inputs.loaded.files + [deploymentPath] }
        let stamp = FileStamp(watching: watched, folders: paths)
        return lock.withLock {
            if stamp != files { files = stamp; filesGeneration += 1 }
            filesCheckedAt = now
            return (files, filesGeneration)
        }
    }

    /// The inputs, read again when the files changed since they were read.
    private func currentInputs() throws -> Inputs {
        let (stamp, _) = currentFiles()
        let current = lock.withLock { inputs }
        guard stamp.digest != current.stamp.digest else { return current }
        let loaded = CatalogueLoader.load(paths: paths)
        let reread = FileStamp(watching: loaded.files + [deploymentPath], folders: paths)
        guard !loaded.hasErrors, let deployment = loaded.deployments[deploymentPath] ?? CatalogueLoader.load(paths: [deploymentPath]).deployments.first?.value else {
            for diagnostic in loaded.diagnostics where diagnostic.severity == .error {
                logger.error("catalogue not reloaded", metadata: ["problem": .string(diagnostic.description)])
            }
            // Keep serving the last good catalogue; try again when the files change again.
            let kept = Inputs(loaded: current.loaded, deployment: current.deployment, stamp: reread)
            lock.withLock { inputs = kept }
            return kept
        }
        logger.info("catalogue reloaded", metadata: ["files": .stringConvertible(loaded.files.count)])
        let fresh = Inputs(loaded: loaded, deployment: deployment, stamp: reread)
        lock.withLock {
            inputs = fresh
            if reread != files { files = reread; filesGeneration += 1 }
            filesCheckedAt = .now
        }
        return fresh
    }

    private func ledgerModified() -> Date {
        max(FileStamp.modified(ledger.path) ?? .distantPast, FileStamp.modified(ledger.path + "-wal") ?? .distantPast)
    }
}

/// What the catalogue's files look like on disk: each file's and folder's inode, size and
/// modification time. Editing, adding or removing a file changes it.
struct FileStamp: Equatable {
    let digest: String
    let newest: Date

    init(watching files: [String], folders: [String]) {
        var folderSet = Set(folders)
        for file in files { folderSet.insert((file as NSString).deletingLastPathComponent) }
        var text = ""
        var newest = Date.distantPast
        for path in Set(files).union(folderSet).sorted() {
            var info = stat()
            if stat(path, &info) == 0 {
                text += "\(path):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec);"
                newest = max(newest, Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)))
            } else {
                text += "\(path):-;"
            }
        }
        digest = text
        self.newest = newest
    }

    /// A file's modification time, or nil when it is missing.
    static func modified(_ path: String) -> Date? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
    }
}

/// A failure while serving, logged by the server (the client gets a 500).
struct ServeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
