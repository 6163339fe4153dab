import Analysis
import Charts
import RunStore

/// The last block's neurons mean-ablated least important first and in a seeded
/// random order; accuracy on the sampled trained entities at each count kept.
struct AblationInstrument: Instrument {
    let name = "ablation"
    let doc = "Accuracy as the last block's neurons are mean-ablated, by importance and at random."
    let needs: Set<InstrumentInput> = [.trainedSample]
    let summaryKey: String? = "ablation"

    func measure(_ context: AnalysisContext) throws -> Measurement {
        guard let (layer, c) = context.sample.ablation(seed: context.settings.seed) else { return Measurement() }
        return Measurement(
            summary: .object([
                ("layer", .int(layer)), ("kept", .array(c.kept.map(JSONValue.int))),
                ("importance_order", .array(c.importanceOrder.map(JSONValue.double))),
                ("random_order", .array(c.randomOrder.map(JSONValue.double))),
            ]))
    }

    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let a = run.summary["ablation"]
        guard let layer = a?["layer"]?.intValue, let kept = a?["kept"]?.arrayValue?.compactMap(\.doubleValue),
            let important = a?["importance_order"]?.arrayValue?.compactMap(\.doubleValue),
            let random = a?["random_order"]?.arrayValue?.compactMap(\.doubleValue)
        else { return [] }
        return [
            Chart.line(
                name: "ablation", title: "Mean ablation of block \(layer)", x: "neurons kept (count)",
                y: "accuracy on trained entities",
                series: [
                    Series(name: "importance order", points: zip(kept, important).map { ($0, $1) }),
                    Series(name: "random order", points: zip(kept, random).map { ($0, $1) }),
                ], yBounds: 0...1)
        ]
    }
}
