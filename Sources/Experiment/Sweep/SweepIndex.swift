import Foundation
import RunStore

/// `index.csv` of a sweep: one row per planned run — id, the swept values,
/// status, and the headline numbers of its summary and analysis. Rebuilt
/// from the run directories each time, so it always agrees with them.
public enum SweepIndex {
    public static let summaryColumns = [
        "train_accuracy", "heldout_accuracy", "base_rate", "train_loss", "heldout_loss",
        "bits_memorised", "bits_per_param", "bits_per_non_embedding_param", "params", "steps", "wall_seconds",
    ]
    /// Every instrument's headline columns, in registry order.
    public static var analysisColumns: [String] { AnalysisRegistry.instruments.flatMap(\.headlines).map(\.column) }

    /// Headline numbers of one run directory (empty where absent).
    public static func headline(_ run: URL) -> [String: JSONValue] {
        var row: [String: JSONValue] = [:]
        if let s = try? JSONParser.parse(
            String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8))
        {
            for key in summaryColumns { row[key] = s[key] }
        }
        guard
            let a = try? JSONParser.parse(
                String(contentsOf: run.appendingPathComponent("analysis/summary.json"), encoding: .utf8))
        else { return row }
        for headline in AnalysisRegistry.instruments.flatMap(\.headlines) {
            row[headline.column] = headline.read(a)
        }
        return row
    }

    public static func write(_ points: [SweepPoint], spec: SweepSpec, to directory: URL) throws {
        let swept = spec.parameters.map(\.path)
        var lines = [
            (["id"] + swept + ["task_kind", "status"] + summaryColumns + analysisColumns).map(csvField).joined(
                separator: ",")
        ]
        for point in points {
            let run = directory.appendingPathComponent("runs").appendingPathComponent(point.id)
            let meta = RunMeta.peek(run)
            let status = meta.map { $0.hash == point.config.hash ? $0.status : "stale" } ?? "pending"
            let numbers = status == "completed" ? headline(run) : [:]
            var fields = [point.id]
            fields += point.assignments.map { cell($0.value) }
            fields += [point.config.task.kind.rawValue, status]
            fields += (summaryColumns + analysisColumns).map { numbers[$0].map(cell) ?? "" }
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: directory.appendingPathComponent("index.csv"))
    }

    /// Scalars as plain text (null as empty); arrays and objects as compact JSON.
    public static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case let .string(s): return s
        default: return value.serialized()
        }
    }

    /// A short human label: objects with a "kind" show it (and their rule's), others as `cell`.
    public static func label(_ value: JSONValue) -> String {
        if let kind = value["kind"]?.stringValue {
            return value["rule"]?["kind"]?.stringValue.map { "\(kind)/\($0)" } ?? kind
        }
        return cell(value)
    }

    public static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
