public import Calendrical
public import Diagnostics
public import DutyCore
import Foundation
import Yams

/// Everything read from catalogue paths: duties, the working-day calendar, deployments,
/// and every problem found on the way.
public struct LoadedCatalogue: Sendable {
    /// The duties of every catalogue file read.
    public let catalogue: Catalogue
    /// The working-day calendar (official years from `workdays.yaml`, others provisional).
    public let workCalendar: WorkCalendar
    /// Deployments by file path.
    public let deployments: [String: Deployment]
    /// Every problem, in file order.
    public let diagnostics: [Diagnostic]
    /// Where each duty is defined.
    public let dutyLocations: [DutyID: SourceLocation]
    /// The files read, in order.
    public let files: [String]

    /// True when any error was found.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// An expander over the duties and the working-day calendar.
    public var expander: Expander { Expander(catalogue: catalogue, workCalendar: workCalendar) }
}

/// Reads the YAML files of `Calendars/`: catalogue files, `workdays.yaml` and deployments.
public enum CatalogueLoader {
    /// Reads every `.yaml`/`.yml` file under the given paths (files or folders, recursively),
    /// telling file kinds apart by their top-level keys, then checks what spans files:
    /// unique ids, relative duties pointing at existing duties without cycles. Never throws:
    /// problems are in `diagnostics`.
    public static func load(paths: [String]) -> LoadedCatalogue {
        var diagnostics = DiagnosticsCollector()
        var documents: [Document] = []
        var documentFiles: [DocumentID: SourceLocation] = [:]
        var duties: [Duty] = []
        var locations: [DutyID: SourceLocation] = [:]
        var seenIDs: [DutyID: SourceLocation] = [:]
        var anchors: [(DutyID, DutyID, SourceLocation)] = []
        var holidayYears: [HolidayYear] = []
        var deployments: [String: Deployment] = [:]

        let files = expand(paths, &diagnostics)
        for path in files {
            var reader = YAMLReader(file: path)
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostics.error("cannot read the file; check it exists and is readable", at: SourceLocation(file: path))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.error("the file is not UTF-8 text; save it as UTF-8", at: SourceLocation(file: path))
                continue
            }
            if let root = reader.parse(text) {
                switch kind(of: root) {
                case .catalogue:
                    let file = CatalogueFile.read(root, reader: &reader)
                    if let document = file.document {
                        if let earlier = documentFiles[document.id] {
                            reader.error("document id '\(document.id)' is already used in \(earlier.file)", at: nil)
                        } else {
                            documentFiles[document.id] = SourceLocation(file: path)
                            documents.append(document)
                        }
                    }
                    for (id, place) in file.seenIDs.sorted(by: { ($0.value.line ?? 0) < ($1.value.line ?? 0) }) {
                        if let earlier = seenIDs[id] {
                            reader.diagnostics.error("duty id '\(id)' is already defined at \(earlier); ids must be unique", at: place)
                        } else {
                            seenIDs[id] = place
                        }
                    }
                    for (id, place) in file.repeatedIDs {
                        reader.diagnostics.error("duty id '\(id)' is already defined at \(file.seenIDs[id]!); ids must be unique", at: place)
                    }
                    for duty in file.duties where locations[duty.id] == nil && seenIDs[duty.id] == file.dutyLocations[duty.id] {
                        locations[duty.id] = file.dutyLocations[duty.id]
                        duties.append(duty)
                    }
                    anchors += file.anchors
                case .workdays:
                    holidayYears += WorkdaysFile.read(root, reader: &reader)
                case .deployment:
                    if let deployment = DeploymentFile.read(root, reader: &reader) { deployments[path] = deployment }
                case .unknown(let keys):
                    reader.error("not a DutyCalendar file: top-level keys \(keys) are none of 'document'/'duties' (catalogue), 'years' (working days) or 'deployment'/'units' (deployment)", at: root)
                }
            }
            diagnostics.append(contentsOf: reader.diagnostics.diagnostics)
        }

        let catalogue = Catalogue(documents: documents, duties: duties)
        checkAnchors(anchors, catalogue, &diagnostics)
        for (path, deployment) in deployments.sorted(by: { $0.key < $1.key }) {
            for id in deployment.documents ?? [] where catalogue.documents[id] == nil && !documents.isEmpty {
                diagnostics.error("deployment names document '\(id)', which no catalogue file defines", at: SourceLocation(file: path))
            }
        }
        return LoadedCatalogue(catalogue: catalogue, workCalendar: WorkCalendar(official: holidayYears),
                               deployments: deployments, diagnostics: diagnostics.diagnostics,
                               dutyLocations: locations, files: files)
    }

    enum FileKind {
        case catalogue, workdays, deployment
        case unknown(String)
    }

    static func kind(of root: Node) -> FileKind {
        guard case .mapping(let mapping) = root else { return .unknown("(none: the file is not a mapping)") }
        let keys = Set(mapping.keys.compactMap(\.string))
        if !keys.isDisjoint(with: ["document", "duties"]) { return .catalogue }
        if keys.contains("years") { return .workdays }
        if !keys.isDisjoint(with: ["deployment", "units"]) { return .deployment }
        return .unknown(keys.sorted().joined(separator: ", "))
    }

    /// Files named directly, and every YAML file below named folders, sorted.
    static func expand(_ paths: [String], _ diagnostics: inout DiagnosticsCollector) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.error("no such file or folder; give a catalogue file or the Calendars folder", at: SourceLocation(file: path))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
                .map { "\(base)/\($0)" }
            if found.isEmpty {
                diagnostics.warning("no .yaml files in this folder", at: SourceLocation(file: path))
            }
            files += found
        }
        return files
    }

    /// Relative duties must point at existing duties and form no cycle.
    static func checkAnchors(_ anchors: [(DutyID, DutyID, SourceLocation)], _ catalogue: Catalogue,
                             _ diagnostics: inout DiagnosticsCollector) {
        var edges: [DutyID: [DutyID]] = [:]
        for (from, to, location) in anchors {
            if catalogue.duty(to) == nil {
                let hint = Suggestion.nearest(to: to.rawValue, in: catalogue.duties.map(\.id.rawValue)).map { " (did you mean '\($0)'?)" } ?? ""
                diagnostics.error("duty '\(from)' follows duty '\(to)', which does not exist\(hint)", at: location)
            } else {
                edges[from, default: []].append(to)
            }
        }
        var reported: Set<DutyID> = []
        for (start, _, location) in anchors where !reported.contains(start) {
            var path = [start]
            var current = start
            var seen: Set<DutyID> = [start]
            while let next = edges[current]?.first {
                path.append(next)
                if next == start {
                    diagnostics.error("relative duties form a cycle: \(path.map(\.rawValue).joined(separator: " → ")); one of them must follow a duty with a schedule of its own",
                                      at: location)
                    reported.formUnion(path)
                    break
                }
                guard seen.insert(next).inserted else { break }
                current = next
            }
        }
    }
}
