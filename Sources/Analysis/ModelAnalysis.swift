import NN
import Randomness
import Tasks

/// Which analyses to run and how large their samples may be.
public struct AnalysisOptions: Sendable {
    public var lookup = true, interaction = true, hash = true, sparsity = true, probes = true, ablation = true, capacity = true
    /// Trained entities sampled for the lookup decomposition and ablation.
    public var lookupSample = 20_000
    /// Grid cells sampled for the covariance behind the effective dimensionality.
    public var covarianceSample = 4096
    /// Entities per probe fit and per probe test set.
    public var probeSample = 1500
    public var probeSeeds = 3
    /// Total bytes of activation tables kept for `tables.safetensors`.
    public var tableBytes = 128 << 20
    public var seed: UInt64 = 0
    public var threads = 1

    public init() {}

    /// Options from config names; "all" selects everything.
    public init(names: [String], seed: UInt64, threads: Int) {
        let all = names.contains("all")
        lookup = all || names.contains("lookup")
        interaction = all || names.contains("interaction")
        hash = all || names.contains("hash")
        sparsity = all || names.contains("sparsity")
        probes = all || names.contains("probes")
        ablation = all || names.contains("ablation")
        capacity = all || names.contains("capacity")
        self.seed = seed
        self.threads = threads
    }
}

/// Everything measured about one hook.
public struct HookReport: Sendable {
    public let name: String
    public let width: Int
    public var interactionShares: [Double?] = []
    public var aShares: [Double?] = []
    public var sparsity: SparsityReport?
    public var effectiveDimension: Double?
    public var hashScore: Double?
    public var hashScoreShuffled: Double?
}

/// Sparsity of one hook over the whole grid (see `SparsityAccumulator`).
public struct SparsityReport: Sendable {
    public let density: Double
    public let deadNeurons: Int
    public let hoyer: Double?
    public let neuronDensity: [Double]
    public let dead: [Bool]
}

/// One probe result: mean and spread over seeds, beside its base rate.
public struct ProbeResult: Sendable {
    public let hook: String, feature: String, regime: String
    public let accuracy: Double, accuracyStd: Double, baseRate: Double
}

/// The analysis of one trained model on its task (GUIDE §5).
public struct ModelAnalysis {
    public var hooks: [HookReport] = []
    public var lookup: LookupDecomposition?
    public var lookupLayers: [Int] = []
    public var ablation: AblationCurves?
    public var ablationLayer: Int?
    public var probes: [ProbeResult] = []
    public var capacity: Capacity?
    /// Activation tables kept within the byte cap, [A·B, width] by hook, and those left out.
    public var tables: [(name: String, values: [Float], width: Int)] = []
    public var omittedTables: [String] = []

    public init(model: ToyModel, data: Dataset, options: AnalysisOptions) throws {
        let hookList = try HookPass.hooks(of: model)
        hooks = hookList.map { HookReport(name: $0.name, width: $0.width) }
        if options.interaction || options.sparsity {
            try gridPass(model, options: options)
        }
        if options.hash {
            let trained = try HashScore.scores(model, seed: options.seed, threads: options.threads)
            let baseline = try HashScore.scores(HashScore.shuffled(model, seed: options.seed), seed: options.seed, threads: options.threads)
            for i in hooks.indices {
                hooks[i].hashScore = trained[hooks[i].name]
                hooks[i].hashScoreShuffled = baseline[hooks[i].name]
            }
        }
        if options.lookup || options.ablation {
            try decompose(model, data: data, options: options)
        }
        if options.probes {
            probes = try ProbeSuite.run(model, data: data, options: options)
        }
        if options.capacity {
            capacity = try Capacity(model, data: data, threads: options.threads)
        }
    }

    private mutating func gridPass(_ model: ToyModel, options: AnalysisOptions) throws {
        let spec = model.spec
        let (a, b) = HookPass.grid(spec.vocabularyA, spec.vocabularyB)
        let cells = a.count
        var interaction = hooks.map { InteractionAccumulator(vocabularyA: spec.vocabularyA, vocabularyB: spec.vocabularyB, width: $0.width) }
        var sparsity = hooks.map { SparsityAccumulator(width: $0.width) }
        var budget = options.tableBytes
        let keep = hooks.map { hook -> Bool in
            let bytes = cells * hook.width * 4
            guard bytes <= budget else { return false }
            budget -= bytes
            return true
        }
        var tableValues: [[Float]] = hooks.indices.map { keep[$0] ? [Float](repeating: 0, count: cells * hooks[$0].width) : [] }
        var rng = SeededGenerator(seed: options.seed).split(salt: 51)
        let sampleCells = Set((0..<min(options.covarianceSample, cells)).map { _ in Int.random(in: 0..<cells, using: &rng) }).sorted()
        var sampleRows = [[Float]](repeating: [], count: hooks.count)
        var nextSample = 0
        try HookPass.run(model, a: a, b: b, threads: options.threads) { chunk in
            let range = chunk.offset..<(chunk.offset + chunk.count)
            for (i, hook) in chunk.hooks.enumerated() {
                if options.interaction { interaction[i].add(hook.values, a: a[range], b: b[range]) }
                if options.sparsity { sparsity[i].add(hook.values, rows: chunk.count) }
                if keep[i] {
                    tableValues[i].withUnsafeMutableBufferPointer { t in
                        _ = UnsafeMutableBufferPointer(rebasing: t[(chunk.offset * hook.width)...]).update(fromContentsOf: hook.values)
                    }
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
            if options.interaction {
                let parts = interaction[i].parts()
                hooks[i].interactionShares = parts.map(InteractionAccumulator.share)
                hooks[i].aShares = parts.map { $0.total > 0 ? $0.a / $0.total : nil }
            }
            if options.sparsity {
                let s = sparsity[i]
                hooks[i].sparsity = SparsityReport(density: s.density, deadNeurons: s.deadNeurons, hoyer: s.hoyer,
                                                   neuronDensity: s.perNeuronDensity, dead: s.isDead)
                hooks[i].effectiveDimension = try EffectiveDimension.of(sampleRows[i], rows: sampleCells.count,
                                                                         width: hooks[i].width, threads: options.threads)
            }
            if keep[i] { tables.append((hooks[i].name, tableValues[i], hooks[i].width)) } else { omittedTables.append(hooks[i].name) }
        }
    }

    private mutating func decompose(_ model: ToyModel, data: Dataset, options: AnalysisOptions) throws {
        var rng = SeededGenerator(seed: options.seed).split(salt: 52)
        var trained = data.trainIndices
        if trained.count > options.lookupSample {
            trained.shuffle(using: &rng)
            trained = Array(trained[0..<options.lookupSample]).sorted()
        }
        let paths = DirectPaths(model, fact: 0)
        let layers = Array(Set(paths.components.map(\.layer))).sorted()
        var widths: [Int: Int] = [:], activations: [Int: [Float]] = [:]
        for l in layers { widths[l] = model.blocks[l].hiddenWidth; activations[l] = [] }
        var embedding: [Float]? = model.spec.residual ? [] : nil
        var logits: [Float] = []
        try HookPass.run(model, a: trained.map { data.a[$0] }, b: trained.map { data.b[$0] }, threads: options.threads) { chunk in
            for hook in chunk.hooks {
                if hook.name == "hook_embed", embedding != nil { embedding! += hook.values }
                for l in layers where hook.name == DirectPaths.hookName(layer: l) { activations[l]! += hook.values }
            }
            logits += chunk.logits[0].values
        }
        let labels = trained.map { data.labels[0][$0] }
        let decomposition = LookupDecomposition(paths: paths, activations: activations, layerWidths: widths,
                                                embedding: embedding, logits: logits, labels: labels)
        lookup = decomposition
        lookupLayers = layers
        if options.ablation, let last = layers.last {
            let offset = paths.components.firstIndex { $0.layer == last }!
            let importance = Array(decomposition.importance[offset..<(offset + widths[last]!)])
            ablation = AblationCurves(paths: paths, layer: last, activations: activations[last]!, width: widths[last]!,
                                      logits: logits, labels: labels, importance: importance, seed: options.seed)
            ablationLayer = last
        }
    }
}
