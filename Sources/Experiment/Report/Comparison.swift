import Foundation

/// Runs gathered for a side-by-side comparison, from run directories or
/// sweep directories (every completed run under `runs/`).
public struct Comparison {
    public struct Run {
        public let label: String
        public let directory: URL
        public let config: JSONValue
        public let summary: JSONValue
        public let analysis: JSONValue?
    }

    public let runs: [Run]

    public init(paths: [String]) throws {
        var runs: [Run] = []
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let sweepRuns = url.appendingPathComponent("runs")
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("meta.json").path) {
                runs.append(try Self.load(url, label: url.lastPathComponent))
            } else if let ids = try? FileManager.default.contentsOfDirectory(atPath: sweepRuns.path) {
                for id in ids.sorted() where RunMeta.peek(sweepRuns.appendingPathComponent(id))?.status == RunStatus.completed.rawValue {
                    runs.append(try Self.load(sweepRuns.appendingPathComponent(id), label: "\(url.lastPathComponent)/\(id)"))
                }
            } else {
                throw ConfigError("", "\(path): neither a run directory (meta.json) nor a sweep directory (runs/)")
            }
        }
        guard !runs.isEmpty else { throw ConfigError("", "no completed runs found in \(paths.joined(separator: ", "))") }
        self.runs = runs
    }

    static func load(_ url: URL, label: String) throws -> Run {
        guard RunMeta.peek(url)?.status == RunStatus.completed.rawValue else {
            throw ConfigError("", "\(url.path): the run is not completed")
        }
        func json(_ name: String) -> JSONValue? {
            (try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)).flatMap { try? JSONParser.parse($0) }
        }
        guard let config = json("config.json"), let summary = json("summary.json") else {
            throw ConfigError("", "\(url.path): config.json or summary.json is missing or damaged")
        }
        return Run(label: label, directory: url, config: config, summary: summary, analysis: json("analysis/summary.json"))
    }

    /// Hooks with a held-out label probe in any run, in first-seen order.
    var probedHooks: [String] {
        var seen: [String] = []
        for run in runs {
            guard case let .array(probes)? = run.analysis?["probes"] else { continue }
            for p in probes where p["feature"] == .string("label") && p["regime"] == .string("heldout") {
                if let h = p["hook"]?.stringValue, !seen.contains(h) { seen.append(h) }
            }
        }
        return seen
    }

    /// Column names and one row of values per run.
    public var table: (columns: [String], rows: [[JSONValue]]) {
        let hooks = probedHooks
        let columns = ["run", "task", "hidden", "seed", "train_accuracy", "heldout_accuracy", "base_rate", "bits_per_param",
                       "k90_median", "interaction_share_pre0", "interaction_share_post0", "hash_score_post0",
                       "hash_score_shuffled_post0"] + hooks.map { "probe_label_heldout@\($0)" }
        let rows: [[JSONValue]] = runs.map { run in
            let headline = SweepIndex.headline(run.directory)
            var row: [JSONValue] = [.string(run.label), run.config["task"]?["kind"] ?? .null, run.config["model"]?["hidden"] ?? .null,
                                    run.config["seed"] ?? .null]
            row += ["train_accuracy", "heldout_accuracy", "base_rate", "bits_per_param"].map { run.summary[$0] ?? .null }
            row += ["k90_median", "interaction_share_pre0", "interaction_share_post0", "hash_score_post0", "hash_score_shuffled_post0"]
                .map { headline[$0] ?? .null }
            for hook in hooks {
                var value = JSONValue.null
                if case let .array(probes)? = run.analysis?["probes"],
                   let p = probes.first(where: { $0["hook"] == .string(hook) && $0["feature"] == .string("label") && $0["regime"] == .string("heldout") }) {
                    value = p["accuracy"] ?? .null
                }
                row.append(value)
            }
            return row
        }
        return (columns, rows)
    }

    public func text() -> String {
        let (columns, rows) = table
        let cells = [columns] + rows.map { $0.map(Self.short) }
        let widths = columns.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        return cells.map { row in row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
            .joined(separator: "\n")
    }

    public func csv() -> String {
        let (columns, rows) = table
        return ([columns.map(SweepIndex.csvField).joined(separator: ",")]
            + rows.map { $0.map { SweepIndex.csvField(SweepIndex.cell($0)) }.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    public func json() -> JSONValue {
        let (columns, rows) = table
        return .array(rows.map { .object(Array(zip(columns, $0)).map { ($0.0, $0.1) }) })
    }

    public func html() -> String {
        let (columns, rows) = table
        let hooks = probedHooks
        var figures: [Figure] = []
        if !hooks.isEmpty {
            let series = runs.enumerated().map { i, _ in
                Series(name: rows[i][0].stringValue ?? "run", points: hooks.indices.compactMap { h in
                    rows[i][columns.count - hooks.count + h].doubleValue.map { (Double(h), $0) }
                })
            }
            figures.append(Chart.line(name: "probes", title: "Held-out label probe accuracy per hook", x: "hook", y: "accuracy",
                                      series: series, categories: hooks, yRange: 0...1))
        }
        let table = ReportPage.table([columns] + rows.map { $0.map(Self.short) })
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>toymem compare</title>"
            + "<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse;font-size:12px}"
            + "td,th{border:1px solid #ccc;padding:3px 6px}</style></head><body data-figures=\"\(figures.count)\"><h1>toymem compare</h1>"
            + table + figures.map { "<figure class=\"figure\">\($0.svg)</figure>" }.joined() + "</body></html>\n"
    }

    static func short(_ v: JSONValue) -> String {
        if case let .number(x, isInteger) = v, !isInteger || x.rounded() != x { return String(format: "%.4g", x) }
        return SweepIndex.cell(v)
    }
}
