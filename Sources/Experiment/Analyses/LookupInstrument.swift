import Analysis
import Charts
import NN
import RunStore

/// The logits as the bias plus one direct contribution per component
/// (`LookupDecomposition`), on a sample of trained entities: the
/// reconstruction error, k90 and the participation ratio of the margin
/// contributions, and each neuron's importance. The report shows the lookup
/// tables of the four most important neurons.
struct LookupInstrument: Instrument {
    let name = "lookup"
    let doc = "Logits as a sum of neuron lookup tables: reconstruction error, k90, participation ratio."
    let needs: Set<InstrumentInput> = [.trainedSample]
    let summaryKey: String? = "lookup"
    let neuronColumns = ["importance", "k90_membership"]
    let headlines = [
        Headline("k90_median", inComparison: true) { $0["lookup"]?["k90_median"] },
        Headline("k90_fraction_median") { $0["lookup"]?["k90_fraction_median"] },
        Headline("participation_ratio_median") { $0["lookup"]?["participation_ratio_median"] },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        let sample = context.sample
        let l = sample.decomposition, width = Double(l.components)
        var result = Measurement(
            summary: .object([
                ("fact", .int(0)),
                ("entities", .int(l.entities)),
                ("components", .int(l.components)),
                ("layers", .array(sample.layers.map(JSONValue.int))),
                ("reconstruction_max_error", .double(l.reconstructionMaxError)),
                ("k90_median", jsonNumber(median(l.k90))),
                ("k90_fraction_median", jsonNumber(median(l.k90.map { Double($0) / width }))),
                ("participation_ratio_median", jsonNumber(median(l.participationRatio))),
                ("participation_ratio_fraction_median", jsonNumber(median(l.participationRatio.map { $0 / width }))),
            ]))
        for (i, component) in sample.paths.components.enumerated() {
            result.neuronCells[NeuronID(layer: component.layer, neuron: component.neuron)] = [
                csvCell(l.importance[i]), csvCell(l.k90Membership[i]),
            ]
        }
        return result
    }

    /// The four most important neurons' lookup tables over (at most) a 64 × 64 subgrid.
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let importance = run.neuronColumn("importance")
        guard !importance.isEmpty else { return [] }
        let top = importance.indices.sorted { importance[$0].value > importance[$1].value }.prefix(4)
            .map { importance[$0].id }
        let model = try run.model()
        let spec = model.spec
        let strideA = max(1, (spec.vocabularyA + 63) / 64), strideB = max(1, (spec.vocabularyB + 63) / 64)
        let rowsA = Array(stride(from: 0, to: spec.vocabularyA, by: strideA))
        let colsB = Array(stride(from: 0, to: spec.vocabularyB, by: strideB))
        let a = rowsA.flatMap { x in colsB.map { _ in Int32(x) } }, b = rowsA.flatMap { _ in colsB.map { Int32($0) } }
        var tables = [[Double]](repeating: [], count: top.count)
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            for (i, component) in top.enumerated() {
                guard let hook = chunk.hooks.first(where: { $0.point == .post(component.layer) }) else { continue }
                for r in 0..<chunk.count { tables[i].append(Double(hook.values[r * hook.width + component.neuron])) }
            }
        }
        let note = strideA > 1 || strideB > 1 ? " (every \(strideA)th a, \(strideB)th b)" : ""
        return top.enumerated().map { i, c in
            Chart.heatmap(
                name: "lookup_\(c.layer)_\(c.neuron)", title: "Neuron \(c.layer).\(c.neuron) over (a, b)\(note)",
                table: tables[i], rows: rowsA.count, cols: colsB.count)
        }
    }
}
