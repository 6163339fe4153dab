import Foundation

/// Where a run lives and what may be done with what is already there.
public struct RunDirectory: Sendable {
    public let url: URL

    /// The files toymem writes in a run directory; `--force` removes only these.
    public static let ownedFiles = [
        "config.json", "meta.json", "metrics.jsonl", "summary.json", "model.safetensors", "data.safetensors",
        "report.html", "figures", "analysis",
    ]

    public init(url: URL) { self.url = url.standardizedFileURL }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    public enum State: Equatable {
        case empty
        case completed
        case completedDifferentConfig(hash: String)
        case incomplete(status: String)
        case foreign
    }

    /// What is at the location now, judged against `hash`.
    public func state(forHash hash: String) -> State {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if contents.isEmpty { return .empty }
        guard let meta = RunMeta.peek(url) else {
            return contents.allSatisfy({ Self.ownedFiles.contains($0) || $0.hasPrefix(".") })
                ? .incomplete(status: "unknown") : .foreign
        }
        if meta.status == RunStatus.completed.rawValue {
            return meta.hash == hash ? .completed : .completedDifferentConfig(hash: meta.hash)
        }
        return .incomplete(status: meta.status)
    }

    /// Removes toymem's own files (never anything else) and makes sure the directory exists.
    public func prepare() throws {
        let fm = FileManager.default
        for name in Self.ownedFiles where fm.fileExists(atPath: file(name).path) {
            try fm.removeItem(at: file(name))
        }
        try fm.createDirectory(at: url, withIntermediateDirectories: true)
    }
}
