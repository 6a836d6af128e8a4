import CatalogueLoader
import DutyCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// export-province: iCalendar and CSV feeds for 100 county-level and 1,500 township-level
/// units (the example county's bodies), the full catalogue, 3 years, one file per unit and
/// body written through the exporters (as `dutycal export --split body` writes them); next
/// to the same bytes written by a plain write loop (the I/O floor) and python icalendar
/// building the same events.
struct ProvinceExport {
    let context: Context

    init(_ context: Context) { self.context = context }

    static let from = "2026-01-01", through = "2028-12-31"

    /// A deployment file of `counties` county-level and `townships` township-level units with
    /// the bodies of the example county and of its first township.
    func generateDeployment(counties: Int, townships: Int) throws -> String {
        let example = CatalogueLoader.load(paths: ["\(context.package)/Calendars/deployments/example-county.yaml"])
        guard let deployment = example.deployments.values.first,
              let county = deployment.units.first(where: { $0.level == .county }),
              let township = deployment.units.first(where: { $0.level == .township }) else {
            throw BenchError("the example deployment has no county-level and township-level unit to copy bodies from")
        }
        func bodies(_ unit: DutyCore.Unit) -> [(id: String, name: String, roles: [String])] { unit.bodies.map { (id: $0.id, name: $0.name, roles: $0.roles) } }
        let path = "\(try context.folder("province"))/province.yaml"
        try NationExpansion.deploymentYAML(name: "示例省", groups: [(counties, "x", "示例县", "县级", bodies(county)),
                                                                   (townships, "t", "示例乡镇", "乡镇", bodies(township))])
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func measure() throws -> [Row] {
        // --quick: one county and three townships, enough to run every step.
        let counties = context.scaled(100), townships = context.quick ? 3 : context.scaled(1500)
        let deployment = try generateDeployment(counties: counties, townships: townships)
        let paths = ["\(context.package)/Calendars/duties", "\(context.package)/Calendars/workdays.yaml", deployment]
        // Each export writes hundreds of megabytes and takes minutes: it runs --export-runs
        // times; the floors, quick to run, up to three times.
        let runs = min(context.runs, 3)
        var rows: [Row] = []
        let dutycal = try context.sibling("dutycal")
        for format in ["ics", "csv"] {
            let out = try context.folder("province/\(format)")
            // The product's own path, as an office runs it: load, expand, render every unit's
            // body feeds, write them with one flush, the change-tracking state and the index.
            // Each run starts from an empty folder, so every run does the same work.
            let arguments = ["export", "--format", format, "--split", "body", "--unit", "all", "--from", Self.from, "--to", Self.through,
                             "--catalogue", "\(context.package)/Calendars", "--deployment", deployment, "--out", out]
            var samples: [ChildRun] = []
            for _ in 0..<context.exportRuns {
                try? FileManager.default.removeItem(atPath: out)
                samples += try context.measure("dutycal export --format \(format) --split body", dutycal, arguments, runs: 1).samples
            }
            let export = Measured(samples: samples)
            let (files, bytes, events) = try Self.census(out, format: format)
            var floors: [(seconds: Double, measured: Measured)] = []
            for flush in [false, true] {
                let floorOut = try context.folder("province/\(format)-floor\(flush ? "-fsync" : "")")
                let floor = try context.measure("write-floor \(format)\(flush ? " --fsync" : "")", context.executable,
                                                ["child", "write-floor", out, floorOut] + (flush ? ["--fsync"] : []), runs: runs)
                guard floor.int("files") == files, floor.int("bytes") == bytes else {
                    throw BenchError("export-province: the floor wrote \(floor.int("files") ?? 0) files, \(floor.int("bytes") ?? 0) bytes; the export \(files), \(bytes)")
                }
                floors.append((floor.samples.map { Double(($0.result["write_us"] as? NSNumber)?.intValue ?? 0) / 1e6 }.sorted()[floor.samples.count / 2], floor))
            }
            let (floorSeconds, floor) = floors[0]
            rows.append(Row(workload: "export-province", figure: "\(format == "ics" ? "iCalendar" : "CSV") feeds through \(format == "ics" ? "ICalendarExporter" : "CSVExporter")",
                            seconds: export.median, maxRSSKB: export.maxRSSKB, ratio: export.median / floorSeconds,
                            note: "dutycal export --split body --unit all: \(counties)+\(townships) units, \(files) files, median of \(export.samples.count) run\(export.samples.count == 1 ? "" : "s"), \(Row.number(Double(bytes) / 1_048_576)) MB\(format == "ics" ? ", \(events) events" : ""), plus the hidden change-tracking state; whole process; ratio to the I/O floor",
                            target: .withinTimes(3), checked: export.median / floorSeconds))
            rows.append(Row(workload: "export-province", figure: "baseline: the same bytes by a plain write loop (\(format))", seconds: floorSeconds,
                            maxRSSKB: floor.maxRSSKB, note: "open/write/close per file, bytes read into memory first (not timed): the I/O floor"))
            rows.append(Row(workload: "export-province", figure: "for comparison: the same loop with fsync per file (\(format))", seconds: floors[1].seconds,
                            maxRSSKB: floors[1].measured.maxRSSKB, ratio: export.median / floors[1].seconds,
                            note: "what a durable write per file costs (dutycal export flushes once for the whole folder instead); ratio of the export to it"))
            if format == "ics" { rows.append(try python(out: out, export: export, events: events)) }
        }
        return rows
    }

    /// python icalendar building and writing the same events as a fraction of the files.
    func python(out: String, export: Measured, events total: Int) throws -> Row {
        let all = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".ics") }.sorted()
        // Every 50th file: counties' and townships' bodies in proportion.
        let step = context.quick ? 4 : 50
        let chosen = stride(from: 0, to: all.count, by: step).map { all[$0] }
        let pyOut = try context.folder("province/python")
        let python = try context.measure("python icalendar (\(chosen.count) files)", try context.which("python3"),
                                         [context.peer("icalendar_build.py"), out, pyOut] + chosen, runs: min(context.runs, 3))
        let events = python.int("events") ?? 0
        let built = python.samples.map { Double(($0.result["build_us"] as? NSNumber)?.intValue ?? 0) / 1e6 }.sorted()[python.samples.count / 2]
        let factor = Double(total) / Double(max(1, events))
        let scaled = built * factor
        return Row(workload: "export-province", figure: "baseline: python icalendar, same events", seconds: scaled, maxRSSKB: python.maxRSSKB,
                   ratio: export.median / scaled,
                   note: "built and written for \(chosen.count) of \(all.count) files (\(events) events, read from our files first, not timed) in \(Row.duration(built)), scaled by events ×\(Row.number(factor))",
                   target: .fasterTimes(20), checked: export.median / scaled)
    }
}

extension ProvinceExport {
    /// The files an export wrote (its visible files, as the floor copies them), their bytes,
    /// and for iCalendar the events in them.
    static func census(_ folder: String, format: String) throws -> (files: Int, bytes: Int, events: Int) {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
        let marker = Data("BEGIN:VEVENT\r\n".utf8)
        var bytes = 0, events = 0
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)"))
            bytes += data.count
            guard format == "ics" else { continue }
            var rest = data.startIndex..<data.endIndex
            while let found = data.range(of: marker, in: rest) {
                events += 1
                rest = found.upperBound..<data.endIndex
            }
        }
        return (names.count, bytes, events)
    }
}

extension Child {
    /// The I/O floor: the files of `source` read into memory, then written into `out` with
    /// open, write and close (and fsync before close when `flush`), timed.
    static func writeFloor(source: String, out: String, flush: Bool) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: source).filter { !$0.hasPrefix(".") }.sorted()
        let contents = try names.map { try Data(contentsOf: URL(fileURLWithPath: "\(source)/\($0)")) }
        let started = ChildProcess.monotonicSeconds()
        var bytes = 0
        for (name, data) in zip(names, contents) {
            let fd = open("\(out)/\(name)", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw BenchError("cannot create \(out)/\(name): \(String(cString: strerror(errno)))") }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    guard written > 0 else { throw BenchError("write to \(out)/\(name) failed: \(String(cString: strerror(errno)))") }
                    offset += written
                }
            }
            if flush, fsync(fd) != 0 { throw BenchError("fsync of \(out)/\(name) failed: \(String(cString: strerror(errno)))") }
            close(fd)
            bytes += data.count
        }
        emit(["files": names.count, "bytes": bytes, "write_us": micros(ChildProcess.monotonicSeconds() - started)])
    }
}
