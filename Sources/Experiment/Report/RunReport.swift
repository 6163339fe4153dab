import Analysis
import Foundation
import NN
import Tasks

/// `report.html` of one run: training curves and, when the run was
/// analysed, probe accuracy per hook, lookup-table heatmaps of the most
/// important neurons, the distribution of interaction shares and the
/// ablation curves.
public enum RunReport {
    public static func write(_ directory: RunDirectory, config: ExperimentConfig, model: ToyModel,
                             analysis: ModelAnalysis?, threads: Int) throws {
        var figures = trainingCurves(directory)
        var intro = "Config <code>\(Chart.escape(config.name))</code> (hash \(config.shortHash)), task \(config.task.kind.rawValue), "
            + "hidden \(config.model.hidden), seed \(config.seed)."
        if let analysis {
            figures += probeFigure(analysis)
            figures += try heatmaps(model, analysis: analysis, threads: threads)
            for hook in analysis.hooks where hook.name.hasSuffix("mlp.hook_post") && !hook.interactionShares.isEmpty {
                figures.append(Chart.histogram(name: "interaction_\(hook.name)", title: "Interaction share, \(hook.name)",
                                               x: "‖I‖² / ‖T − μ‖² per neuron", values: hook.interactionShares.compactMap { $0 },
                                               low: 0, high: 1))
            }
            if let ablation = analysis.ablation {
                let xs = ablation.kept.map(Double.init)
                figures.append(Chart.line(name: "ablation", title: "Mean ablation of block \(analysis.ablationLayer ?? 0)",
                                          x: "neurons kept", y: "accuracy on trained entities", series: [
                                            Series(name: "importance order", points: Array(zip(xs, ablation.importanceOrder)).map { ($0.0, $0.1) }),
                                            Series(name: "random order", points: Array(zip(xs, ablation.randomOrder)).map { ($0.0, $0.1) }),
                                          ], yRange: 0...1))
            }
        } else {
            intro += " This run was not analysed: add <code>\"analyses\": [\"all\"]</code> or run <code>toymem analyze</code> for the rest of the figures."
        }
        try ReportPage.write(title: "toymem run \(config.name)/\(config.shortHash)", intro: intro, figures: figures, to: directory.url)
    }

    static func trainingCurves(_ directory: RunDirectory) -> [Figure] {
        guard let text = try? String(contentsOf: directory.file("metrics.jsonl"), encoding: .utf8) else { return [] }
        let rows = text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        func series(_ key: String, _ name: String) -> Series {
            Series(name: name, points: rows.compactMap { r in
                guard let x = r["step"]?.doubleValue, let y = r[key]?.doubleValue else { return nil }
                return (x, y)
            })
        }
        return [
            Chart.line(name: "loss", title: "Loss", x: "step", y: "cross-entropy (nats)",
                       series: [series("train_loss", "trained"), series("heldout_loss", "held-out")]),
            Chart.line(name: "accuracy", title: "Accuracy", x: "step", y: "accuracy",
                       series: [series("train_accuracy", "trained"), series("heldout_accuracy", "held-out")], yRange: 0...1),
        ]
    }

    static func probeFigure(_ analysis: ModelAnalysis) -> [Figure] {
        let hooks = (analysis.probes.map(\.hook)).uniqued()
        guard !hooks.isEmpty else { return [] }
        var series: [Series] = []
        let keys = (analysis.probes.map { "\($0.feature) (\($0.regime))" }).uniqued()
        for key in keys {
            let points = analysis.probes.filter { "\($0.feature) (\($0.regime))" == key }
                .compactMap { p in hooks.firstIndex(of: p.hook).map { (Double($0), p.accuracy) } }
            series.append(Series(name: key, points: points))
        }
        let base = analysis.probes.filter { $0.feature == "label" && $0.regime == "heldout" }
            .compactMap { p in hooks.firstIndex(of: p.hook).map { (Double($0), p.baseRate) } }
        if !base.isEmpty { series.append(Series(name: "label base rate", points: base, dashed: true)) }
        return [Chart.line(name: "probes", title: "Linear probe accuracy per hook", x: "hook", y: "accuracy",
                           series: series, categories: hooks, yRange: 0...1)]
    }

    /// The four most important neurons' lookup tables over (at most) a 64 × 64 subgrid.
    static func heatmaps(_ model: ToyModel, analysis: ModelAnalysis, threads: Int) throws -> [Figure] {
        guard let lookup = analysis.lookup else { return [] }
        let paths = DirectPaths(model)
        let top = lookup.importance.indices.sorted { lookup.importance[$0] > lookup.importance[$1] }.prefix(4)
            .map { paths.components[$0] }
        let spec = model.spec
        let strideA = max(1, (spec.vocabularyA + 63) / 64), strideB = max(1, (spec.vocabularyB + 63) / 64)
        let rowsA = Array(stride(from: 0, to: spec.vocabularyA, by: strideA)), colsB = Array(stride(from: 0, to: spec.vocabularyB, by: strideB))
        let a = rowsA.flatMap { x in colsB.map { _ in Int32(x) } }, b = rowsA.flatMap { _ in colsB.map { Int32($0) } }
        var tables = [[Double]](repeating: [], count: top.count)
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            for (i, component) in top.enumerated() {
                guard let hook = chunk.hooks.first(where: { $0.name == DirectPaths.hookName(layer: component.layer) }) else { continue }
                for r in 0..<chunk.count { tables[i].append(Double(hook.values[r * hook.width + component.neuron])) }
            }
        }
        let note = strideA > 1 || strideB > 1 ? " (every \(strideA)th a, \(strideB)th b)" : ""
        return top.enumerated().map { i, c in
            Chart.heatmap(name: "lookup_\(c.layer)_\(c.neuron)", title: "Neuron \(c.layer).\(c.neuron) over (a, b)\(note)",
                          table: tables[i], rows: rowsA.count, cols: colsB.count)
        }
    }
}
