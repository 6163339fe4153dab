import Analysis
import NN
import Randomness
import Tasks

/// The training loop every trainer in toymem runs: `settings.steps` optimizer steps on batches of
/// `entities` (reshuffled with `batches` at every epoch, or the whole set for full-batch
/// training), calling `evaluate` every `eval_every` steps and at the last step; `evaluate`
/// returns true to stop early. Returns the number of steps taken.
///
/// ```swift
/// var batches = SeededGenerator(seed: config.seed).split(salt: 11)
/// let steps = try TrainingLoop.run(trainer, data: data, entities: data.trainIndices,
///                                  settings: config.train, batches: &batches) { step in false }
/// ```
enum TrainingLoop {
    static func run(
        _ trainer: Trainer, data: Dataset, entities: [Int], settings: TrainConfig, batches: inout SeededGenerator,
        evaluate: (Int) throws -> Bool
    ) throws -> Int {
        let batchSize = min(settings.batchSize ?? entities.count, entities.count)
        var batch = Batch(capacity: batchSize, facts: data.factCount)
        var order = entities, cursor = order.count
        if settings.batchSize == nil { batch.fill(order[...], from: data) }
        for step in 1...settings.steps {
            if settings.batchSize != nil {
                if cursor >= order.count { order.shuffle(using: &batches); cursor = 0 }
                let end = min(cursor + batchSize, order.count)
                batch.fill(order[cursor..<end], from: data)
                cursor = end
            }
            let slices = batch.slices
            try trainer.step(a: slices.a, b: slices.b, labels: slices.labels)
            guard step % settings.evalEvery == 0 || step == settings.steps else { continue }
            if try evaluate(step) { return step }
        }
        return settings.steps
    }
}

/// Reusable index buffers for one training batch; labels are fact-major in one array.
struct Batch {
    private var a: [Int32], b: [Int32], labels: [Int32]
    private let capacity: Int, facts: Int
    private var size = 0

    init(capacity: Int, facts: Int) {
        self.capacity = capacity
        self.facts = facts
        a = [Int32](repeating: 0, count: capacity)
        b = a
        labels = [Int32](repeating: 0, count: capacity * facts)
    }

    mutating func fill(_ entities: ArraySlice<Int>, from data: Dataset) {
        size = entities.count
        for (i, e) in entities.enumerated() {
            a[i] = data.a[e]
            b[i] = data.b[e]
            for f in 0..<facts { labels[f * capacity + i] = data.labels[f][e] }
        }
    }

    /// The batch as slices of the reused buffers: a, b and one label slice per fact.
    var slices: (a: ArraySlice<Int32>, b: ArraySlice<Int32>, labels: [ArraySlice<Int32>]) {
        (a[0..<size], b[0..<size], (0..<facts).map { f in labels[(f * capacity)..<(f * capacity + size)] })
    }
}
