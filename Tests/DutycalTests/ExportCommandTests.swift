import Foundation
import Testing

/// `dutycal export` end to end: external exporters, atomic output, errors.
@Suite struct ExportCommandTests {
    /// A ten-line external exporter, as an office would write one for a chat bot.
    static let echoExporter = """
        #!/bin/sh
        # dutycal-export-echo: receives the occurrences as JSON Lines on stdin.
        # Writes them unchanged to stdout (the output file), and a count to stderr.
        set -e
        tmp=$(mktemp)
        cat > "$tmp"
        lines=$(wc -l < "$tmp")
        echo "echo exporter got $lines lines for $DUTYCAL_TITLE" >&2
        cat "$tmp"; rm -f "$tmp"
        """

    func folderWithExporters() throws -> URL {
        let folder = try temporaryFolder(["bin/dutycal-export-echo": Self.echoExporter,
                                          "bin/dutycal-export-broken": "#!/bin/sh\necho 'webhook token missing' >&2\nexit 3\n"])
        for name in ["echo", "broken"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("bin/dutycal-export-\(name)").path)
        }
        return folder
    }

    func export(_ arguments: [String], path: String) throws -> ProcessResult {
        try run(dutycalBinary, ["export"] + arguments, environment: ["PATH": "\(path):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"])
    }

    @Test func anExternalExporterReceivesTheJSONLinesStream() throws {
        let folder = try folderWithExporters()
        let out = folder.appendingPathComponent("out.jsonl").path
        let result = try export(["--format", "echo", "--unit", "county", "--from", "2026-01-01", "--to", "2026-03-31", "--out", out],
                                path: folder.appendingPathComponent("bin").path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("echo exporter got"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["format"] as? String == "dutycal-occurrences-stream")
        #expect(header["version"] as? Int == 1)
        #expect(header["count"] as? Int == lines.count - 1)
        // The records are exactly what `expand --format json` prints for the same selection.
        let expanded = try dutycal("expand", "--unit", "county", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: expanded.stdoutData) as? [String: Any])
        let expected = try #require(document["occurrences"] as? [[String: Any]]).map { $0["id"] as! String }
        let received = try lines.dropFirst().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["id"] as! String }
        #expect(received == expected)
    }

    @Test func aFailingExternalExporterWritesNothingAndSaysWhy() throws {
        let folder = try folderWithExporters()
        let out = folder.appendingPathComponent("feed.txt").path
        try "previous content\n".write(toFile: out, atomically: true, encoding: .utf8)
        let result = try export(["--format", "broken", "--unit", "county", "--out", out], path: folder.appendingPathComponent("bin").path)
        #expect(result.status == 70)
        #expect(result.stderr.contains("dutycal-export-broken exited with status 3: webhook token missing; nothing was written"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous content\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func anUnknownFormatNamesTheChoices() throws {
        let result = try dutycal("export", "--format", "pdf", "--out", "/tmp/never-written.pdf")
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown format 'pdf': built-in formats are csv, digest, ics"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.pdf"))
    }

    @Test func aMissingOutputFolderIsAClearErrorAndWritesNothing() throws {
        let folder = try folderWithExporters()
        let result = try export(["--format", "echo", "--unit", "county", "--out", folder.appendingPathComponent("no/such/dir/x.jsonl").path],
                                path: folder.appendingPathComponent("bin").path)
        #expect(result.status == 73)
        #expect(result.stderr.contains("does not exist; create it first"))
    }

    @Test func aBrokenCatalogueLeavesThePreviousOutputIntact() throws {
        let folder = try folderWithExporters()
        try "document: {id: bad, title: 坏, seed: x.txt}\nduties: [{id: a}]\n".write(
            to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("keep.jsonl").path
        try "old\n".write(toFile: out, atomically: true, encoding: .utf8)
        let result = try export(["--catalogue", folder.appendingPathComponent("bad.yaml").path, "--format", "echo", "--out", out],
                                path: folder.appendingPathComponent("bin").path)
        #expect(result.status == 65)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "old\n")
    }

    @Test func theDigestPreviewIsAStrictlyValidMessage() throws {
        let folder = try temporaryFolder()
        let out = folder.appendingPathComponent("preview.eml").path
        let result = try dutycal("export", "--format", "digest", "--unit", "county", "--body", "anweiban",
                                 "--from", "2026-03-02", "--to", "2026-04-30", "--out", out)
        #expect(result.status == 0, "\(result.stderr)")
        let check = try python("mail_check.py", [out])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("县安委办"))
    }
}
