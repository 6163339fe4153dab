import Foundation

/// `index.csv` of a sweep: one row per planned run — id, the swept values,
/// status, and the headline numbers of its summary and analysis. Rebuilt
/// from the run directories each time, so it always agrees with them.
public enum SweepIndex {
    public static let summaryColumns = [
        "train_accuracy", "heldout_accuracy", "base_rate", "train_loss", "heldout_loss",
        "bits_memorised", "bits_per_param", "bits_per_non_embedding_param", "params", "steps", "wall_seconds",
    ]
    public static let analysisColumns = [
        "k90_median", "k90_fraction_median", "participation_ratio_median", "interaction_share_pre0",
        "interaction_share_post0", "hash_score_post0", "hash_score_shuffled_post0",
        "probe_label_heldout", "probe_label_heldout_base_rate",
    ]

    /// Headline numbers of one run directory (empty where absent).
    public static func headline(_ run: URL) -> [String: JSONValue] {
        var row: [String: JSONValue] = [:]
        if let s = try? JSONParser.parse(String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8)) {
            for key in summaryColumns { row[key] = s[key] }
        }
        guard let a = try? JSONParser.parse(String(contentsOf: run.appendingPathComponent("analysis/summary.json"), encoding: .utf8))
        else { return row }
        row["k90_median"] = a["lookup"]?["k90_median"]
        row["k90_fraction_median"] = a["lookup"]?["k90_fraction_median"]
        row["participation_ratio_median"] = a["lookup"]?["participation_ratio_median"]
        row["interaction_share_pre0"] = a["hooks"]?["blocks.0.mlp.hook_pre"]?["interaction_share_median"]
        row["interaction_share_post0"] = a["hooks"]?["blocks.0.mlp.hook_post"]?["interaction_share_median"]
        row["hash_score_post0"] = a["hooks"]?["blocks.0.mlp.hook_post"]?["hash_score"]
        row["hash_score_shuffled_post0"] = a["hooks"]?["blocks.0.mlp.hook_post"]?["hash_score_shuffled"]
        if case let .array(probes)? = a["probes"] {
            let label = probes.filter { $0["feature"] == .string("label") && $0["regime"] == .string("heldout")
                && ($0["hook"]?.stringValue ?? "").hasSuffix("mlp.hook_post") }
            if let last = label.last {
                row["probe_label_heldout"] = last["accuracy"]
                row["probe_label_heldout_base_rate"] = last["base_rate"]
            }
        }
        return row
    }

    public static func write(_ points: [SweepPoint], spec: SweepSpec, to directory: URL) throws {
        let swept = spec.parameters.map(\.path)
        var lines = [(["id"] + swept + ["task_kind", "status"] + summaryColumns + analysisColumns).map(csvField).joined(separator: ",")]
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
    static func cell(_ value: JSONValue) -> String {
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

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
