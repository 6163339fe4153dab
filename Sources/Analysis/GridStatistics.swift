import NN
import Randomness

/// Everything measured about one hook in the streamed pass over the grid.
public struct HookStatistics: Sendable {
    public let point: HookPoint
    public let width: Int
    /// Per neuron ‖I‖² / ‖T − μ‖² (nil for a constant neuron), and the a-part's share B‖r‖² / ‖T − μ‖².
    public var interactionShares: [Double?] = []
    public var aShares: [Double?] = []
    public var density = 0.0
    public var deadNeurons = 0
    public var hoyer: Double?
    public var neuronDensity: [Double] = []
    public var dead: [Bool] = []
    public var effectiveDimension: Double?
}

/// One streamed pass of the model over the whole A × B grid, in chunks, that
/// accumulates for every hook the interaction decomposition
/// (`InteractionAccumulator`), the sparsity statistics (`SparsityAccumulator`),
/// a seeded sample of cells for the effective dimensionality, and the
/// activation tables [A·B, width] while their total stays within
/// `AnalysisSettings.tableBytes` (hooks in forward order; the rest are omitted).
///
/// ```swift
/// let grid = try GridStatistics(model, settings: AnalysisSettings())
/// grid.hooks.first { $0.point == .pre(0) }!.interactionShares   // all 0 up to rounding
/// ```
public struct GridStatistics: Sendable {
    public var hooks: [HookStatistics]
    /// Activation tables kept within the byte cap, [A·B, width] by hook, and those left out.
    public var tables: [(point: HookPoint, values: [Float], width: Int)] = []
    public var omittedTables: [HookPoint] = []

    public init(_ model: ToyModel, settings: AnalysisSettings) throws {
        let spec = model.spec
        hooks = try HookPass.hooks(of: model).map { HookStatistics(point: $0.point, width: $0.width) }
        let (a, b) = HookPass.grid(spec.vocabularyA, spec.vocabularyB)
        let cells = a.count
        var interaction = hooks.map {
            InteractionAccumulator(vocabularyA: spec.vocabularyA, vocabularyB: spec.vocabularyB, width: $0.width)
        }
        var sparsity = hooks.map { SparsityAccumulator(width: $0.width) }
        var budget = settings.tableBytes
        let keep = hooks.map { hook -> Bool in
            let bytes = cells * hook.width * 4
            guard bytes <= budget else { return false }
            budget -= bytes
            return true
        }
        var tableValues: [[Float]] = hooks.indices.map {
            keep[$0] ? [Float](repeating: 0, count: cells * hooks[$0].width) : []
        }
        var rng = SeededGenerator(seed: settings.seed).split(salt: 51)
        let sampleCells = Set(
            (0..<min(settings.covarianceSample, cells)).map { _ in
                Int.random(in: 0..<cells, using: &rng)
            }
        ).sorted()
        var sampleRows = [[Float]](repeating: [], count: hooks.count)
        var nextSample = 0
        try HookPass.run(model, a: a, b: b, threads: settings.threads) { chunk in
            let range = chunk.offset..<(chunk.offset + chunk.count)
            for (i, hook) in chunk.hooks.enumerated() {
                interaction[i].add(hook.values, a: a[range], b: b[range])
                sparsity[i].add(hook.values, rows: chunk.count)
                if keep[i] {
                    let start = chunk.offset * hook.width
                    tableValues[i].replaceSubrange(start..<(start + hook.values.count), with: hook.values)
                }
            }
            var s = nextSample
            while s < sampleCells.count, sampleCells[s] < range.upperBound {
                let row = sampleCells[s] - chunk.offset
                for (i, hook) in chunk.hooks.enumerated() {
                    sampleRows[i] += hook.values[(row * hook.width)..<((row + 1) * hook.width)]
                }
                s += 1
            }
            nextSample = s
        }
        for i in hooks.indices {
            let parts = interaction[i].parts()
            hooks[i].interactionShares = parts.map(InteractionAccumulator.share)
            hooks[i].aShares = parts.map { $0.total > 0 ? $0.a / $0.total : nil }
            let s = sparsity[i]
            hooks[i].density = s.density
            hooks[i].deadNeurons = s.deadNeurons
            hooks[i].hoyer = s.hoyer
            hooks[i].neuronDensity = s.perNeuronDensity
            hooks[i].dead = s.isDead
            hooks[i].effectiveDimension = try EffectiveDimension.of(
                sampleRows[i], rows: sampleCells.count, width: hooks[i].width, threads: settings.threads)
            if keep[i] {
                tables.append((hooks[i].point, tableValues[i], hooks[i].width))
            } else {
                omittedTables.append(hooks[i].point)
            }
        }
    }

    /// The statistics of `point`, if the model has that hook.
    public func hook(_ point: HookPoint) -> HookStatistics? { hooks.first { $0.point == point } }
}
