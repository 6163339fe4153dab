import Charts
import Experiment
import Foundation
import RunStore

/// `report.html` of one run, drawn from its directory alone: training curves
/// and, when the run was analysed, every instrument's figures (probe accuracy
/// per hook, lookup tables of the most important neurons, the distribution of
/// interaction shares, the ablation curves).
///
/// ```swift
/// try RunReport.write(RunDirectory(url: url), threads: 1)
/// ```
public enum RunReport {
    public static func write(_ directory: RunDirectory, threads: Int) throws {
        guard let text = try? String(contentsOf: directory.file("config.json"), encoding: .utf8),
            let config = try? JSONParser.parse(text)
        else { throw InputError("\(directory.url.path)/config.json is missing or damaged") }
        let name = config["name"]?.stringValue ?? "run"
        let hash = String((RunMeta.peek(directory.url)?.hash ?? "").prefix(8))
        var figures = trainingCurves(directory)
        var intro =
            "Config <code>\(Chart.escape(name))</code> (hash \(hash)), task "
            + "\(Chart.escape(config["task"]?["kind"]?.stringValue ?? "?")), "
            + "hidden \(config["model"]?["hidden"]?.serialized() ?? "?"), seed \(config["seed"]?.serialized() ?? "?")."
        if let analysed = try AnalysedRun(directory) {
            figures += try AnalysisRegistry.instruments.flatMap { try $0.figures(analysed, threads: threads) }
        } else {
            intro +=
                " This run was not analysed: add <code>\"analyses\": [\"all\"]</code> or run <code>toymem "
                + "analyze</code> for the rest of the figures."
        }
        try ReportPage.write(
            title: "toymem run \(name)/\(hash)", intro: intro, figures: figures, to: directory.url)
    }

    static func trainingCurves(_ directory: RunDirectory) -> [Figure] {
        guard let text = try? String(contentsOf: directory.file("metrics.jsonl"), encoding: .utf8) else { return [] }
        let rows = text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        func series(_ key: String, _ name: String) -> Series {
            Series(
                name: name,
                points: rows.compactMap { r in
                    guard let x = r["step"]?.doubleValue, let y = r[key]?.doubleValue else { return nil }
                    return (x, y)
                })
        }
        return [
            Chart.line(
                name: "loss", title: "Loss", x: "training step", y: "cross-entropy (nats)",
                series: [series("train_loss", "trained"), series("heldout_loss", "held-out")]),
            Chart.line(
                name: "accuracy", title: "Accuracy", x: "training step", y: "accuracy (fraction of entities)",
                series: [series("train_accuracy", "trained"), series("heldout_accuracy", "held-out")], yBounds: 0...1),
        ]
    }
}
