import Foundation

/// The lifecycle of a run, as recorded in `meta.json`.
public enum RunStatus: String, Sendable {
    case running, completed, failed, diverged
}

/// `meta.json`: written when a run starts (status running) and rewritten,
/// atomically and last, when it ends. A run that dies keeps "running", so
/// it never looks completed.
public struct RunMeta: Sendable {
    public var status: RunStatus
    public var configHash: String
    public var seed: UInt64
    public var threads: Int
    public var startedAt: Date
    public var endedAt: Date?
    public var wallSeconds: Double?
    public var error: String?

    public static let version = "0.1.0"

    public init(
        status: RunStatus, configHash: String, seed: UInt64, threads: Int, startedAt: Date, endedAt: Date? = nil,
        wallSeconds: Double? = nil, error: String? = nil
    ) {
        self.status = status
        self.configHash = configHash
        self.seed = seed
        self.threads = threads
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.wallSeconds = wallSeconds
        self.error = error
    }

    public var json: JSONValue {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return .object([
            ("status", .string(status.rawValue)),
            ("toymem_version", .string(Self.version)),
            ("config_hash", .string(configHash)),
            ("seed", .int(Int(seed))),
            ("threads", .int(threads)),
            ("started_at", .string(iso.string(from: startedAt))),
            ("ended_at", endedAt.map { .string(iso.string(from: $0)) } ?? .null),
            ("wall_seconds", wallSeconds.map(JSONValue.double) ?? .null),
            ("error", error.map(JSONValue.string) ?? .null),
        ])
    }

    /// Status and config hash of an existing run directory, if it has a readable meta.json.
    public static func peek(_ directory: URL) -> (status: String, hash: String)? {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("meta.json"), encoding: .utf8),
            let json = try? JSONParser.parse(text),
            let status = json["status"]?.stringValue, let hash = json["config_hash"]?.stringValue
        else { return nil }
        return (status, hash)
    }
}
