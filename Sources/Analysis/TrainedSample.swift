import NN
import Randomness
import Tasks

/// A seeded sample of up to `AnalysisSettings.lookupSample` trained entities,
/// with the activations of every layer that has a direct path to the logits of
/// fact 0 (`DirectPaths`), the embedding (residual models), the logits and the
/// labels. The lookup decomposition and the ablation curves read it.
///
/// ```swift
/// let sample = try TrainedSample(model, data: data, settings: AnalysisSettings())
/// sample.decomposition.reconstructionMaxError   // ≈ 1e-6
/// ```
public struct TrainedSample {
    public let paths: DirectPaths
    /// Layers whose neurons are components, ascending.
    public let layers: [Int]
    public let widths: [Int: Int]
    /// [entities, width] `hook_post` values by layer.
    public let activations: [Int: [Float]]
    public let logits: [Float]
    public let labels: [Int32]
    public let decomposition: LookupDecomposition

    public init(_ model: ToyModel, data: Dataset, settings: AnalysisSettings) throws {
        var rng = SeededGenerator(seed: settings.seed).split(salt: 52)
        var trained = data.trainIndices
        if trained.count > settings.lookupSample {
            trained.shuffle(using: &rng)
            trained = Array(trained[0..<settings.lookupSample]).sorted()
        }
        let paths = DirectPaths(model, fact: 0)
        let layers = Array(Set(paths.components.map(\.layer))).sorted()
        var widths: [Int: Int] = [:], activations: [Int: [Float]] = [:]
        for l in layers {
            widths[l] = model.blocks[l].hiddenWidth
            activations[l] = []
        }
        var embedding: [Float]? = model.spec.residual ? [] : nil
        var logits: [Float] = []
        let a = trained.map { data.a[$0] }, b = trained.map { data.b[$0] }
        try HookPass.run(model, a: a, b: b, threads: settings.threads) { chunk in
            for hook in chunk.hooks {
                if hook.point == .embed, embedding != nil { embedding! += hook.values }
                if case let .post(l) = hook.point, activations[l] != nil { activations[l]! += hook.values }
            }
            logits += chunk.logits[0].values
        }
        let labels = trained.map { data.labels[0][$0] }
        self.paths = paths
        self.layers = layers
        self.widths = widths
        self.activations = activations
        self.logits = logits
        self.labels = labels
        decomposition = LookupDecomposition(
            paths: paths, activations: activations, layerWidths: widths,
            embedding: embedding, logits: logits, labels: labels)
    }

    /// Mean-ablation curves of the last component layer, ordered by the decomposition's importance.
    public func ablation(seed: UInt64) -> (layer: Int, curves: AblationCurves)? {
        guard let last = layers.last, let width = widths[last], let values = activations[last],
            let offset = paths.components.firstIndex(where: { $0.layer == last })
        else { return nil }
        let importance = Array(decomposition.importance[offset..<(offset + width)])
        let curves = AblationCurves(
            paths: paths, layer: last, activations: values, width: width,
            logits: logits, labels: labels, importance: importance, seed: seed)
        return (last, curves)
    }
}
