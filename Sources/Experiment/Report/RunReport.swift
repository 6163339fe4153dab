import Foundation

/// `report.html` of one run: training curves and, when the run was
/// analysed, probe accuracy per hook, lookup-table heatmaps of the most
/// important neurons, the distribution of interaction shares and the
/// ablation curves.
public enum RunReport {
    /// `analysisFigures` are the analysis's figures (`Analyze.Outcome`), nil for a run that was not analysed.
    public static func write(_ directory: RunDirectory, config: ExperimentConfig, analysisFigures: [Figure]?) throws {
        var figures = trainingCurves(directory)
        var intro =
            "Config <code>\(Chart.escape(config.name))</code> (hash \(config.shortHash)), task "
            + "\(config.task.kind.rawValue), "
            + "hidden \(config.model.hidden), seed \(config.seed)."
        if let analysisFigures {
            figures += analysisFigures
        } else {
            intro +=
                " This run was not analysed: add <code>\"analyses\": [\"all\"]</code> or run <code>toymem "
                + "analyze</code> for the rest of the figures."
        }
        try ReportPage.write(
            title: "toymem run \(config.name)/\(config.shortHash)", intro: intro, figures: figures, to: directory.url)
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
                name: "loss", title: "Loss", x: "step", y: "cross-entropy (nats)",
                series: [series("train_loss", "trained"), series("heldout_loss", "held-out")]),
            Chart.line(
                name: "accuracy", title: "Accuracy", x: "step", y: "accuracy",
                series: [series("train_accuracy", "trained"), series("heldout_accuracy", "held-out")], yRange: 0...1),
        ]
    }
}
