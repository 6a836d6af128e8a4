public import Foundation

/// Writes files so that readers see either the old file or the complete new one, never a
/// partial file: the bytes go to a temporary file in the same folder, are flushed to disk,
/// and the temporary file is renamed over the target.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`. On failure the previous file is
    /// untouched and the temporary file removed.
    public static func write(_ data: Data, to path: String) throws(ExportError) {
        let temporary = try writeTemporary(data, for: path, flushing: true)
        if rename(temporary, path) != 0 {
            let failure = String(cString: strerror(errno))
            unlink(temporary)
            throw ExportError("cannot write \(path): \(failure); the previous file is unchanged")
        }
    }

    /// Writes `data` with one `write` call (repeated only for what a short write left) into
    /// a new temporary file beside `path`, flushed to disk when `flushing`, and returns the
    /// temporary file's path.
    static func writeTemporary(_ data: Data, for path: String, flushing: Bool) throws(ExportError) -> String {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExportError("cannot write \(path): the folder \(folder.path) does not exist; create it first")
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw ExportError("cannot write \(path): \(String(cString: strerror(errno))) (check the folder's permissions)")
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, flushing, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw ExportError("cannot write \(path): \(failure); the previous file is unchanged")
        }
        return temporary
    }

    /// Flushes the file system holding `folder` to disk: `syncfs` where the C library has
    /// it (Linux), else `sync`.
    static func flush(folder: String) throws(ExportError) {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") {
            let fd = open(folder, O_RDONLY)
            guard fd >= 0 else { throw ExportError("cannot open \(folder) to flush it: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            if unsafeBitCast(symbol, to: SyncFS.self)(fd) != 0 {
                throw ExportError("cannot flush \(folder) to disk: \(String(cString: strerror(errno))); the previous files are unchanged")
            }
        } else {
            sync()
        }
    }
}

/// Many files replaced together, each atomically as with `AtomicFile.write(_:to:)`, with
/// one flush to disk for all of them instead of one per file.
///
/// `write(_:to:)` puts each file's bytes into a temporary file beside it; `commit()`
/// flushes the file system once and then renames every temporary file over its target.
/// Until `commit()` every target keeps its previous content; a batch dropped without
/// committing removes its temporary files.
public final class AtomicFileBatch {
    private var pending: [(temporary: String, target: String)] = []

    /// An empty batch.
    public init() {}

    /// Writes `data` for `path` into a temporary file, replacing `path` at `commit()`.
    public func write(_ data: Data, to path: String) throws(ExportError) {
        pending.append((try AtomicFile.writeTemporary(data, for: path, flushing: false), path))
    }

    /// Flushes every written file to disk, then renames each over its target.
    public func commit() throws(ExportError) {
        defer { discard() }
        var folders: [String] = []
        for (_, target) in pending {
            let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
            if !folders.contains(folder) { folders.append(folder) }
        }
        for folder in folders { try AtomicFile.flush(folder: folder) }
        for (index, file) in pending.enumerated() where rename(file.temporary, file.target) != 0 {
            let failure = String(cString: strerror(errno))
            pending.removeFirst(index)
            throw ExportError("cannot write \(file.target): \(failure); it and \(pending.count - 1) more files are unchanged, the files before it were replaced")
        }
        pending = []
    }

    private func discard() {
        for (temporary, _) in pending { unlink(temporary) }
        pending = []
    }

    deinit { discard() }
}
