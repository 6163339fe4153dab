import Analysis
import Charts
import NN
import RunStore
import Tasks

extension LookupInstrument {
    /// The label, prediction and top neuron over the grid side by side, then the four most
    /// important neurons' lookup tables, each over the whole [A, B] grid (the image averages blocks
    /// of cells beyond 256 per side; grids beyond 1024 per side are sampled every k-th token).
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let importance = run.neuronColumn("importance")
        guard !importance.isEmpty else { return [] }
        let top = importance.indices.sorted { importance[$0].value > importance[$1].value }.prefix(4)
            .map { importance[$0].id }
        let model = try run.model(), data = try run.dataset()
        let spec = model.spec
        let strideA = max(1, (spec.vocabularyA + 1023) / 1024), strideB = max(1, (spec.vocabularyB + 1023) / 1024)
        let rowsA = Array(stride(from: 0, to: spec.vocabularyA, by: strideA))
        let colsB = Array(stride(from: 0, to: spec.vocabularyB, by: strideB))
        let a = rowsA.flatMap { x in colsB.map { _ in Int32(x) } }, b = rowsA.flatMap { _ in colsB.map { Int32($0) } }
        var tables = [[Double]](repeating: [], count: top.count)
        var predicted: [Double] = []
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            for (i, component) in top.enumerated() {
                guard let hook = chunk.hooks.first(where: { $0.point == .post(component.layer) }) else { continue }
                for r in 0..<chunk.count { tables[i].append(Double(hook.values[r * hook.width + component.neuron])) }
            }
            predicted += Evaluation.predictions(chunk.logits[0].values, width: chunk.logits[0].width).map(Double.init)
        }
        // Labels and the held-out mark of the entities on the drawn grid; other cells have no label.
        var labels = [Double](repeating: .nan, count: a.count), heldout = [Bool](repeating: false, count: a.count)
        let rowIndex = Dictionary(uniqueKeysWithValues: rowsA.enumerated().map { ($1, $0) })
        let colIndex = Dictionary(uniqueKeysWithValues: colsB.enumerated().map { ($1, $0) })
        for e in 0..<data.count {
            guard let r = rowIndex[Int(data.a[e])], let c = colIndex[Int(data.b[e])] else { continue }
            labels[r * colsB.count + c] = Double(data.labels[0][e])
            heldout[r * colsB.count + c] = data.isHeldout(e)
        }
        let note = strideA > 1 || strideB > 1 ? " (every \(strideA)th a, \(strideB)th b)" : ""
        let classes = spec.classes[0]
        let first = top[0]
        func panel(_ i: Int, _ title: String) -> HeatmapPanel {
            HeatmapPanel(
                title: title, values: tables[i], rows: rowsA.count, cols: colsB.count, scale: .diverging, pale: heldout,
                unit: "activation (post-\(spec.activation.rawValue))")
        }
        let overview = Chart.panels(
            name: "label_prediction_neuron",
            title: "Labels, predictions and neuron \(first.layer).\(first.neuron)\(note)",
            panels: [
                HeatmapPanel(
                    title: "label (fact 0)", values: labels, rows: rowsA.count, cols: colsB.count,
                    scale: .classes(classes), pale: heldout, unit: "class"),
                HeatmapPanel(
                    title: "prediction (argmax)", values: predicted, rows: rowsA.count, cols: colsB.count,
                    scale: .classes(classes), pale: heldout, unit: "class"),
                panel(0, "neuron \(first.layer).\(first.neuron)"),
            ],
            paleMeaning: "Pale cells: held-out entities (never trained on). Grey in the label panel: pairs that are "
                + "not entities of the task.")
        return [overview]
            + top.enumerated().map { i, c in
                Chart.heatmap(
                    name: "lookup_\(c.layer)_\(c.neuron)", title: "Neuron \(c.layer).\(c.neuron) over (a, b)\(note)",
                    panel: panel(i, "blocks.\(c.layer).mlp.hook_post, neuron \(c.neuron)"))
            }
    }
}
