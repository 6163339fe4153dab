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
}
