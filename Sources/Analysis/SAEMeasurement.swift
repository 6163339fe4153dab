import Autograd
import Foundation
import NN
import Tasks

/// A sparse autoencoder trained on one hook's activations and measured:
///
/// - L0: mean number of active features (f > 0) per entity;
/// - explained variance: 1 − Σ‖x − x̂‖² / (Σ‖x‖² − N‖x̄‖²), pooled over entities (relative to the mean);
/// - dead features (never active) and dense ones (active on more than 10% of entities);
/// - accuracy recovered: (acc_SAE − acc_ablated) / (acc_clean − acc_ablated) on trained entities
///   (fact 0), with x̂ spliced in at the hook, or the hook mean-ablated;
/// - the feature census over the grid (`FeatureCensus`), when the grid has at most 65,536 cells.
///
/// ```swift
/// let m = try SAEMeasurement(model, data: data, settings: AnalysisSettings())
/// m.explainedVariance
/// ```
public struct SAEMeasurement {
    public static let denseThreshold = 0.1
    public let point: HookPoint
    public let sae: SparseAutoencoder
    /// The factor the activations were multiplied by before training (1 without normalisation).
    public let scale: Float
    public let entities: Int
    public let l0: Double, explainedVariance: Double
    public let density: [Double]
    public let accuracyClean: Double, accuracySAE: Double, accuracyAblated: Double
    public let census: [FeatureCensus.Kind?]?

    public var dead: Int { density.filter { $0 == 0 }.count }
    public var dense: Int { density.filter { $0 > Self.denseThreshold }.count }
    public var accuracyRecovered: Double? {
        accuracyClean == accuracyAblated ? nil : (accuracySAE - accuracyAblated) / (accuracyClean - accuracyAblated)
    }

    public init(_ model: ToyModel, data: Dataset, settings: AnalysisSettings) throws {
        let s = settings.sae, spec = model.spec
        guard let point = HookPoint(name: s.hook), spec.hookPoints.contains(point) else {
            throw SAEError(
                "sae.hook: no hook '\(s.hook)' in this model; its hooks are "
                    + spec.hookPoints.map(\.name).joined(separator: ", "))
        }
        self.point = point
        let dIn = spec.width(of: point)
        let (a, b): ([Int32], [Int32]) =
            s.entities == .trained
            ? (data.trainIndices.map { data.a[$0] }, data.trainIndices.map { data.b[$0] })
            : HookPass.grid(spec.vocabularyA, spec.vocabularyB)
        let x = try Self.activations(model, at: point, a: a, b: b, threads: settings.threads)
        entities = a.count
        var meanNorm = 0.0
        for r in 0..<a.count {
            meanNorm += Double((0..<dIn).reduce(Float(0)) { $0 + x[r * dIn + $1] * x[r * dIn + $1] }.squareRoot())
        }
        meanNorm /= Double(max(1, a.count))
        let scale =
            s.normalization == .expected_average_only_in && meanNorm > 0
            ? Float(Double(dIn).squareRoot() / meanNorm) : 1
        let scaled = scale == 1 ? x : x.map { $0 * scale }
        let sae = try SparseAutoencoder.train(rows: scaled, dIn: dIn, settings: s.training)
        (self.scale, self.sae) = (scale, sae)
        // Metrics over every row, in chunks.
        var active = [Int](repeating: 0, count: sae.dSAE), l0Sum = 0, residual = 0.0, squares = 0.0
        var sums = [Double](repeating: 0, count: dIn)
        for start in stride(from: 0, to: a.count, by: HookPass.chunkRows) {
            let end = min(start + HookPass.chunkRows, a.count)
            let chunk = Array(scaled[(start * dIn)..<(end * dIn)])
            let (f, xHat) = try sae.apply(chunk)
            for (i, v) in f.enumerated() where v > 0 {
                active[i % sae.dSAE] += 1
                l0Sum += 1
            }
            for i in chunk.indices {
                residual += Double((chunk[i] - xHat[i]) * (chunk[i] - xHat[i]))
                squares += Double(chunk[i] * chunk[i])
                sums[i % dIn] += Double(chunk[i])
            }
        }
        let n = Double(a.count)
        l0 = Double(l0Sum) / n
        explainedVariance = 1 - residual / (squares - sums.reduce(0) { $0 + $1 * $1 } / n)
        density = active.map { Double($0) / n }
        // The activations already in hand are reused: the trained entities' for the ablation mean, the grid's
        // (scaled) for the census.
        let trained = s.entities == .trained ? x : nil, grid = s.entities == .all ? scaled : nil
        (accuracyClean, accuracySAE, accuracyAblated) = try Self.accuracies(
            model, data: data, point: point, sae: sae, scale: scale, activations: trained, threads: settings.threads)
        census = try Self.census(
            model, data: data, point: point, sae: sae, scale: scale, scaledGrid: grid, threads: settings.threads)
    }

    /// The hook's activations at (a[i], b[i]), row-major [n, width].
    static func activations(_ model: ToyModel, at point: HookPoint, a: [Int32], b: [Int32], threads: Int) throws
        -> [Float]
    {
        var x: [Float] = []
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            x += chunk.hooks.first { $0.point == point }!.values
        }
        return x
    }

    /// Accuracy (fact 0) on trained entities: clean, with x̂ spliced in, with the hook mean-ablated.
    /// `activations` are the hook's at the trained entities, if already computed.
    static func accuracies(
        _ model: ToyModel, data: Dataset, point: HookPoint, sae: SparseAutoencoder, scale: Float,
        activations known: [Float]?, threads: Int
    ) throws -> (Double, Double, Double) {
        let entities = data.trainIndices
        let a = entities.map { data.a[$0] }, b = entities.map { data.b[$0] }
        let x = try known ?? activations(model, at: point, a: a, b: b, threads: threads)
        let width = sae.dIn, n = entities.count
        var mean = [Float](repeating: 0, count: width)
        for r in 0..<n { for j in 0..<width { mean[j] += x[r * width + j] / Float(n) } }
        var correct = [0, 0, 0]
        let tape = Tape(recordsGradients: false, threads: threads)
        for start in stride(from: 0, to: n, by: HookPass.chunkRows) {
            let end = min(start + HookPass.chunkRows, n)
            for mode in 0..<3 {
                tape.reset()
                let pass = try model.forward(tape, a: a[start..<end], b: b[start..<end]) { p, t in
                    guard p == point, mode > 0 else { return t }
                    if mode == 2 {
                        return tape.constant((0..<t.rows).flatMap { _ in mean }, rows: t.rows, cols: t.cols)
                    }
                    let xHat = try sae.apply(Array(tape.values(of: t)).map { $0 * scale }).reconstruction
                    return tape.constant(xHat.map { $0 / scale }, rows: t.rows, cols: t.cols)
                }
                let predicted = Evaluation.predictions(tape.values(of: pass.logits[0]), width: pass.logits[0].cols)
                for (r, p) in predicted.enumerated() where p == Int(data.labels[0][entities[start + r]]) {
                    correct[mode] += 1
                }
            }
        }
        return (Double(correct[0]) / Double(n), Double(correct[1]) / Double(n), Double(correct[2]) / Double(n))
    }

    /// The census of the features over the grid, or nil when the grid is larger than 65,536 cells.
    /// `scaledGrid` are the hook's scaled activations over the grid, if already computed.
    static func census(
        _ model: ToyModel, data: Dataset, point: HookPoint, sae: SparseAutoencoder, scale: Float,
        scaledGrid: [Float]?, threads: Int
    ) throws -> [FeatureCensus.Kind?]? {
        let spec = model.spec, cells = spec.vocabularyA * spec.vocabularyB
        guard cells <= 65_536 else { return nil }
        let (a, b) = HookPass.grid(spec.vocabularyA, spec.vocabularyB)
        let x = try scaledGrid ?? activations(model, at: point, a: a, b: b, threads: threads).map { $0 * scale }
        let features = try sae.apply(x).features
        var labels = [Int32?](repeating: nil, count: cells), rule: [Int32?]? = data.ruleFeature == nil ? nil : labels
        for e in 0..<data.count {
            let cell = Int(data.a[e]) * spec.vocabularyB + Int(data.b[e])
            labels[cell] = data.labels[0][e]
            rule?[cell] = data.ruleFeature?[e]
        }
        var block: Int?
        if case let .checkerboard(size)? = data.spec.rule { block = size }
        return FeatureCensus.classify(
            features, width: sae.dSAE, vocabularyA: spec.vocabularyA, vocabularyB: spec.vocabularyB, labels: labels,
            rule: rule, block: block)
    }
}

/// An `sae` setting that does not fit the model (exit code 2 through the CLI).
public struct SAEError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
