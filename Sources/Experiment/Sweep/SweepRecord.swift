import Foundation
import RunStore

/// What a sweep directory says about the sweep it holds: `sweep.json` (name, method, and every planned
/// run's id, config hash and swept values) and `spec.json` (the spec with its base config inline, so the
/// directory can be re-planned — by a Slurm collect job, say — without the original files).
public struct SweepRecord {
    public struct Run: Equatable, Sendable {
        public let id: String
        public let configHash: String
        /// The swept values, `path=value`, for messages.
        public let label: String
    }

    public let name: String
    public let parameterPaths: [String]
    public let runs: [Run]

    public static func sweepFile(_ directory: URL) -> URL { directory.appendingPathComponent("sweep.json") }
    public static func specFile(_ directory: URL) -> URL { directory.appendingPathComponent("spec.json") }

    /// Writes `sweep.json` and `spec.json` for these points.
    public static func write(spec: SweepSpec, points: [SweepPoint], to directory: URL) throws {
        let runs: [JSONValue] = points.map { p in
            .object([
                ("id", .string(p.id)), ("config_hash", .string(p.config.hash)),
                ("parameters", .object(p.assignments.map { ($0.path, $0.value) })),
            ])
        }
        let sweep: JSONValue = .object([
            ("name", .string(spec.name)), ("method", .string(spec.method.rawValue)),
            ("parameters", .array(spec.parameters.map { .string($0.path) })), ("runs", .array(runs)),
        ])
        try AtomicFile.write(sweep, to: sweepFile(directory))
        try AtomicFile.write(
            spec.selfContainedJSON.serialized(pretty: true, sortedKeys: false) + "\n", to: specFile(directory))
    }

    /// The record of an existing sweep directory (exit 2 naming the file if it is missing or damaged).
    public static func read(_ directory: URL) throws -> SweepRecord {
        let file = sweepFile(directory)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw InputError("\(directory.path) is not a sweep directory (it has no sweep.json)")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(String(contentsOf: file, encoding: .utf8)) } catch {
            throw InputError("\(file.path): damaged sweep record: \(error)")
        }
        guard let name = json["name"]?.stringValue, let runs = json["runs"]?.arrayValue else {
            throw InputError("\(file.path): damaged sweep record: expected \"name\" and \"runs\"")
        }
        let parsed = try runs.enumerated().map { i, run -> Run in
            guard let id = run["id"]?.stringValue, let hash = run["config_hash"]?.stringValue,
                !id.isEmpty, !id.contains("/"), id != "..", id != "."
            else { throw InputError("\(file.path): damaged sweep record: runs[\(i)] needs an id and a config_hash") }
            let label = (run["parameters"]?.objectPairs ?? []).map { "\($0.key)=\(SweepIndex.label($0.value))" }
            return Run(id: id, configHash: hash, label: label.joined(separator: " "))
        }
        let paths = json["parameters"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return SweepRecord(name: name, parameterPaths: paths, runs: parsed)
    }

    /// Refuses (exit 2) a directory that holds a different sweep, or something that is not a sweep at all:
    /// resuming into it would mix two sweeps' runs in one index.
    public static func checkBelongs(_ directory: URL, to spec: SweepSpec) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: sweepFile(directory).path) else {
            let entries = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
            guard entries.isEmpty else {
                throw OutputError(
                    "\(directory.path) is not empty and holds no sweep (no sweep.json); choose another --out")
            }
            return
        }
        let record = try read(directory)
        let paths = spec.parameters.map(\.path)
        guard record.name == spec.name, record.parameterPaths.isEmpty || record.parameterPaths == paths else {
            let held = "'\(record.name)' over \(record.parameterPaths.joined(separator: ", "))"
            throw OutputError(
                "\(directory.path) holds a different sweep (\(held)); this spec is '\(spec.name)' over "
                    + "\(paths.joined(separator: ", ")); choose another --out")
        }
    }
}

extension SweepSpec {
    /// The spec as one JSON document, its base config inline and named (so every point resolves to the
    /// same config, and the same hash, as from the original files).
    public var selfContainedJSON: JSONValue {
        var basePairs = base.objectPairs ?? []
        if !basePairs.contains(where: { $0.key == "name" }) { basePairs.insert(("name", .string(baseName)), at: 0) }
        let parameterPairs: [(String, JSONValue)] = parameters.map { path, parameter in
            switch parameter {
            case let .values(values): return (path, .object([("values", .array(values))]))
            case let .range(low, high, distribution):
                return (
                    path,
                    .object([
                        ("min", .double(low)), ("max", .double(high)), ("distribution", .string(distribution.rawValue)),
                    ])
                )
            }
        }
        var pairs: [(String, JSONValue)] = [
            ("name", .string(name)), ("base", .object(basePairs.map { ($0.key, $0.value) })),
            ("method", .string(method.rawValue)), ("seed", .int(Int(seed))),
        ]
        if let runCap { pairs.append(("run_cap", .int(runCap))) }
        pairs.append(("parameters", .object(parameterPairs)))
        return .object(pairs)
    }

    /// The spec saved in a sweep directory by `SweepRecord.write`.
    public static func load(directory: URL) throws -> SweepSpec {
        try load(path: SweepRecord.specFile(directory).path)
    }
}
