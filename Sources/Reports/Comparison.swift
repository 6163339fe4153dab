import Charts
import Experiment
import Foundation
import RunStore

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
                for id in ids.sorted()
                where RunMeta.peek(sweepRuns.appendingPathComponent(id))?.status == RunStatus.completed.rawValue {
                    runs.append(
                        try Self.load(sweepRuns.appendingPathComponent(id), label: "\(url.lastPathComponent)/\(id)"))
                }
            } else {
                throw InputError("\(path): neither a run directory (meta.json) nor a sweep directory (runs/)")
            }
        }
        guard !runs.isEmpty else { throw InputError("no completed runs found in \(paths.joined(separator: ", "))") }
        self.runs = runs
    }

    static func load(_ url: URL, label: String) throws -> Run {
        guard RunMeta.peek(url)?.status == RunStatus.completed.rawValue else {
            throw InputError("\(url.path): the run is not completed")
        }
        func json(_ name: String) -> JSONValue? {
            (try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)).flatMap {
                try? JSONParser.parse($0)
            }
        }
        guard let config = json("config.json"), let summary = json("summary.json") else {
            throw InputError("\(url.path): config.json or summary.json is missing or damaged")
        }
        return Run(
            label: label, directory: url, config: config, summary: summary, analysis: json("analysis/summary.json"))
    }

    /// Column names and one row of values per run.
    public var table: (columns: [String], rows: [[JSONValue]]) {
        let analyses = runs.map { $0.analysis ?? .null }
        let headlines = AnalysisRegistry.instruments.flatMap { $0.comparisonColumns(analyses) }
        let summaryColumns = ["train_accuracy", "heldout_accuracy", "base_rate", "bits_per_param"]
        let columns = ["run", "task", "hidden", "seed"] + summaryColumns + headlines.map(\.column)
        let rows: [[JSONValue]] = runs.map { run in
            var row: [JSONValue] = [
                .string(run.label), run.config["task"]?["kind"] ?? .null, run.config["model"]?["hidden"] ?? .null,
                run.config["seed"] ?? .null,
            ]
            row += summaryColumns.map { run.summary[$0] ?? .null }
            row += headlines.map { run.analysis.flatMap($0.read) ?? .null }
            return row
        }
        return (columns, rows)
    }

    public func text() -> String {
        let (columns, rows) = table
        let cells = [columns] + rows.map { $0.map(Self.short) }
        let widths = columns.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                separator: "  ")
        }
        .joined(separator: "\n")
    }

    public func csv() -> String {
        let (columns, rows) = table
        return
            ([columns.map(SweepIndex.csvField).joined(separator: ",")]
            + rows.map { $0.map { SweepIndex.csvField(SweepIndex.cell($0)) }.joined(separator: ",") }).joined(
                separator: "\n") + "\n"
    }

    public func json() -> JSONValue {
        let (columns, rows) = table
        return .array(rows.map { .object(Array(zip(columns, $0)).map { ($0.0, $0.1) }) })
    }

    public func html() -> String {
        let (columns, rows) = table
        let probeColumns = columns.indices.filter { columns[$0].hasPrefix("probe_label_heldout@") }
        let hooks = probeColumns.map { String(columns[$0].dropFirst("probe_label_heldout@".count)) }
        var figures: [Figure] = []
        if !hooks.isEmpty {
            let series = runs.enumerated().map { i, _ in
                Series(
                    // Numbered, with the seed: runs of one config differ only there.
                    name: "\(i + 1). \(runs[i].label), seed \(runs[i].config["seed"]?.serialized() ?? "?")",
                    points: probeColumns.enumerated().compactMap { h, column in
                        rows[i][column].doubleValue.map { (Double(h), $0) }
                    })
            }
            figures.append(
                Chart.points(
                    name: "probes", title: "Held-out label probe accuracy per hook", x: "hook",
                    y: "accuracy (fraction of held-out entities)", series: series, categories: hooks, yBounds: 0...1))
        }
        let table = ReportPage.table([columns] + rows.map { $0.map(Self.short) })
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>toymem compare</title>"
            + "<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse;font-size:12px}"
            + "td,th{border:1px solid #ccc;padding:3px 6px}</style></head><body "
            + "data-figures=\"\(figures.count)\"><h1>toymem compare</h1>"
            + table + figures.map { "<figure class=\"figure\">\($0.svg)</figure>" }.joined() + "</body></html>\n"
    }

    static func short(_ v: JSONValue) -> String {
        if case let .number(x, isInteger) = v, !isInteger || x.rounded() != x { return String(format: "%.4g", x) }
        return SweepIndex.cell(v)
    }
}
