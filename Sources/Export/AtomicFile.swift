public import Foundation

/// Writes files so that readers see either the old file or the complete new one, never a
/// partial file: the bytes go to a temporary file in the same folder, are flushed to disk,
/// and the temporary file is renamed over the target.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`. On failure the previous file is
    /// untouched and the temporary file removed.
    public static func write(_ data: Data, to path: String) throws(ExportError) {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExportError("cannot write \(path): the folder \(folder.path) does not exist; create it first")
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
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
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary.path, target.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw ExportError("cannot write \(path): \(failure); the previous file is unchanged")
        }
    }
}
