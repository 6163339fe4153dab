import Analysis
import NN
import RunStore
import Tasks

/// What a config will need, worked out from its fields before anything is allocated: memory by
/// part, each part charged to the config field that drives it, and floating-point operations.
///
/// The bytes are upper estimates (every copy toymem makes: values, gradients, optimizer moments,
/// the exported files); all arithmetic is in Double, so an absurd config gives a huge estimate,
/// never an overflow.
///
/// ```swift
/// let estimate = ResourceEstimate(training: config)
/// try estimate.check(against: .current)   // ConfigError naming the field, exit 2
/// estimate.seconds(threads: 1)            // for a warning about very long runs
/// ```
public struct ResourceEstimate: Sendable {
    /// One part of the memory: what it is, the field that drives it, its bytes.
    public struct Part: Sendable {
        public let field: String
        public let what: String
        public let bytes: Double
    }

    public var parts: [Part] = []
    public var flops = 0.0

    /// Sustained floating-point operations per second of one thread, for time estimates: runs on
    /// one core of a 2-core cloud machine reached 0.9–1.7 × 10¹⁰ (small models at the low end).
    public static let flopsPerThread = 1e10

    public var bytes: Double { parts.reduce(0) { $0 + $1.bytes } }

    /// Training `config`, plus its analyses if it lists any.
    public init(training config: ExperimentConfig) {
        let spec = config.modelSpec, task = config.task
        let entities = Double(task.entityCount), facts = Double(task.facts)
        let trained = Double(task.trainCount)
        let entityField = task.entities == nil ? "task.domain" : "task.entities"
        // a, b, labels, split, rule, index lists, the sampling's map and the copy in data.safetensors.
        let sampling = task.entities == nil ? 0 : 96 * entities
        let ruleTable = task.rule == .aOnly ? 4 * Double(task.domainA) : 0
        add(entityField, "the dataset of \(Int(entities)) entities", entities * (72 + 8 * facts) + sampling + ruleTable)
        let counts = spec.parameterCounts
        // Values, gradients, two optimizer moments and two exported copies.
        add("model.embedding", "the embedding tables ((A + B) × d parameters)", 24 * counts.embedding)
        add("model.hidden", "the hidden blocks' parameters", 24 * counts.blocks)
        add("task.classes", "the readout parameters", 24 * counts.readouts)
        let batch = Double(config.train.batchSize ?? task.trainCount)
        // Values and gradients of every activation, a batch (training) and a chunk (evaluation) at once.
        let rows = 8 * (batch + 8192)
        add("model.embedding", "the embedded inputs of one batch", rows * Double(spec.embeddingWidth))
        add("model.hidden", "the hidden activations of one batch", rows * 3 * Double(spec.hidden.reduce(0, +)))
        add("task.classes", "the logits of one batch", rows * 3 * Double(spec.classes.reduce(0, +)))
        if spec.usesFactoredFirstLayer(batch: batch), let first = spec.hidden.first {
            let tables = 8 * Double(first) * (Double(task.domainA) + Double(task.domainB))
            add("model.hidden", "the factored first layer's tables", tables)
        }
        let evaluations = Double(config.train.steps) / Double(config.train.evalEvery) + 1
        flops =
            Double(config.train.steps)
            * (6 * spec.forwardMultiplyAdds(batch: batch) + 12 * (counts.embedding + counts.blocks + counts.readouts))
            + evaluations * 2 * spec.forwardMultiplyAdds(batch: entities)
        if !config.analyses.isEmpty { addAnalysis(of: config, trained: trained) }
    }

    /// Analysing a trained run of `config` (`toymem analyze`): the model, the dataset and the passes.
    public init(analysing config: ExperimentConfig) {
        let spec = config.modelSpec, task = config.task
        let entities = Double(task.entityCount)
        add(
            task.entities == nil ? "task.domain" : "task.entities", "the dataset",
            entities * (72 + 8 * Double(task.facts)))
        let counts = spec.parameterCounts
        add("model.embedding", "the model's parameters", 8 * (counts.embedding + counts.blocks + counts.readouts))
        addAnalysis(of: config, trained: Double(task.trainCount))
    }

    private mutating func addAnalysis(of config: ExperimentConfig, trained: Double) {
        let spec = config.modelSpec, task = config.task
        let cells = Double(task.domainA) * Double(task.domainB)
        let hookWidth = Double(2 * spec.embeddingWidth + 3 * spec.hidden.reduce(0, +) + spec.classes.reduce(0, +))
        // The grid's (a, b) lists, the interaction sums per row and column, the capped tables.
        let tableCap = Double(AnalysisSettings().tableBytes)
        add(
            "task.domain", "the analysis pass over the A × B grid",
            8 * cells + 24 * (Double(task.domainA) + Double(task.domainB)) * hookWidth
                + min(tableCap, 4 * cells * hookWidth))
        let lastWidth = Double(spec.hidden.last ?? spec.embeddingWidth)
        add(
            "model.hidden", "the per-entity activations the analyses keep",
            8 * trained * lastWidth + 8 * 8192 * hookWidth)
        flops += 2 * spec.forwardMultiplyAdds(batch: cells) + 4 * spec.forwardMultiplyAdds(batch: trained)
    }

    private mutating func add(_ field: String, _ what: String, _ bytes: Double) {
        parts.append(Part(field: field, what: what, bytes: bytes))
    }

    /// Roughly how long the work takes on `threads` threads.
    public func seconds(threads: Int) -> Double { flops / (Self.flopsPerThread * Double(max(1, threads))) }

    /// Refuses (exit 2) what cannot fit, naming the largest part's field.
    public func check(against limits: MachineLimits) throws {
        guard bytes > limits.memoryBytes, let largest = parts.max(by: { $0.bytes < $1.bytes }) else { return }
        throw ConfigError(
            largest.field,
            "this config needs about \(Readable.bytes(bytes)) of memory, more than \(limits.memorySource) "
                + "(\(Readable.bytes(limits.memoryBytes))); the largest part is \(largest.what), "
                + "about \(Readable.bytes(largest.bytes))")
    }

    /// A sentence for work that will take more than `threshold` seconds, else nil.
    public func longWarning(threads: Int, threshold: Double = 600) -> String? {
        let s = seconds(threads: threads)
        guard s > threshold else { return nil }
        return "this will take roughly \(Readable.duration(s)) on \(threads) thread\(threads == 1 ? "" : "s") "
            + "(about \(String(format: "%.1e", flops)) floating-point operations)"
    }
}
