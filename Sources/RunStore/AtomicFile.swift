import Foundation

/// Whole-file writes that are never seen half-done: the bytes go to a
/// temporary file in the same directory, which is then renamed over the
/// target (rename is atomic on POSIX file systems).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSLocalizedDescriptionKey: "cannot move \(temporary.path) to \(url.path): \(reason)"])
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    public static func write(_ json: JSONValue, to url: URL) throws {
        try write(json.serialized(pretty: true) + "\n", to: url)
    }

    /// Builds a directory in `<name>.partial` beside `url` with `fill`, then puts it in place of
    /// `url`: whoever looks sees the old directory, none, or the finished new one, never a half-written
    /// one. Leftovers of a writer that was killed are removed first.
    public static func replaceDirectory(_ url: URL, fill: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let staging = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".partial")
        let old = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".old")
        for leftover in [staging, old] where fm.fileExists(atPath: leftover.path) { try fm.removeItem(at: leftover) }
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        try fill(staging)
        if fm.fileExists(atPath: url.path) { try fm.moveItem(at: url, to: old) }
        try fm.moveItem(at: staging, to: url)
        if fm.fileExists(atPath: old.path) { try fm.removeItem(at: old) }
    }
}
