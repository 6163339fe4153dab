import Autograd

/// One optimisation step of a classifier: forward, summed cross-entropy
/// over the facts, backward, update. Tapes are reset at the start of every
/// step, so their buffers are reused and memory stays flat.
///
/// With several threads a step runs one of two ways:
/// - **operations**: one tape, each matrix product and elementwise pass
///   shared across the threads (`WorkerPool`);
/// - **batch**: the batch is cut into one contiguous shard per thread, and
///   each thread runs forward and backward of its shard on its own tape,
///   with no synchronisation in between. Shard gradients are weighted by
///   n_shard / n, so their sum, taken before the update, is the gradient of
///   the batch mean.
///
/// The batch is split unless that adds more arithmetic than the barriers
/// it saves (`splitBudget`): the factored first layer costs (A + B) rows
/// whatever the batch, so shards large enough to use it repeat it on every
/// thread, while shards below A + B rows compute the layer directly.
/// A given batch size and thread count always take the same path and the
/// same split, so runs are bit-identical.
///
/// ```swift
/// let step = Trainer(model: model, optimizer: Adam(decoupled: true), threads: 2)
/// let loss = try step.step(a: aBatch, b: bBatch, labels: [yBatch])
/// ```
public final class Trainer {
    public let model: ToyModel
    public let optimizer: Optimizer
    /// The tape of operation-split steps; its pool also runs batch-split steps and the update.
    public let tape: Tape
    /// One single-threaded tape per thread, for batch-split steps.
    private let shardTapes: [Tape]

    public init(model: ToyModel, optimizer: Optimizer, threads: Int = 1) {
        self.model = model
        self.optimizer = optimizer
        tape = Tape(threads: threads)
        shardTapes = threads > 1 ? (0..<threads).map { _ in Tape(threads: 1) } : []
    }

    /// Floating-point operations of the matrix products of all steps so far.
    public var matmulFlops: Double { shardTapes.reduce(tape.matmulFlops) { $0 + $1.matmulFlops } }

    /// Shards smaller than this are not worth a thread: the batch then runs on one tape.
    public static let minimumShard = 32

    /// Whether a batch of `size` pairs is split across the threads (see above).
    public func splitsBatch(_ size: Int) -> Bool {
        let threads = shardTapes.count
        guard threads > 1, size >= threads * Self.minimumShard else { return false }
        let whole = model.forwardMultiplyAdds(batch: size)
        let split = (0..<threads).reduce(0) { total, part in
            total
                + model.forwardMultiplyAdds(batch: WorkerPool.slice(size, part: part, of: threads, alignment: 1).count)
        }
        return (split - whole) * 3 / threads <= Self.splitBudget
    }

    /// Extra multiply-adds per thread (forward and backward, about three
    /// forwards) that a batch split may add: about 50 µs of one core, what
    /// the barriers of an operation-split step (some twenty) cost.
    public static let splitBudget = 2_000_000

    /// Trains on one batch and returns its loss (summed over facts, each
    /// the mean over the batch). Throws `EngineError.nonFinite` on a NaN or
    /// infinite loss before any parameter is touched.
    @discardableResult
    public func step(a: ArraySlice<Int32>, b: ArraySlice<Int32>, labels: [ArraySlice<Int32>]) throws -> Float {
        try a.withUnsafeBufferPointer { pa in
            try b.withUnsafeBufferPointer { pb in
                try Self.withBuffers(labels[...], []) { try step(a: pa, b: pb, labels: $0) }
            }
        }
    }

    /// Every slice's buffer, valid while `body` runs.
    private static func withBuffers<R>(
        _ slices: ArraySlice<ArraySlice<Int32>>, _ gathered: [UnsafeBufferPointer<Int32>],
        _ body: ([UnsafeBufferPointer<Int32>]) throws -> R
    ) rethrows -> R {
        guard let first = slices.first else { return try body(gathered) }
        return try first.withUnsafeBufferPointer { try withBuffers(slices.dropFirst(), gathered + [$0], body) }
    }

    private func step(
        a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>,
        labels: [UnsafeBufferPointer<Int32>]
    ) throws -> Float {
        precondition(labels.count == model.readouts.count, "one label array per fact")
        guard splitsBatch(a.count) else {
            let (loss, gradients) = try lossAndGradients(on: tape, a: a, b: b, labels: labels, weight: 1)
            optimizer.step(model.parameters, gradients, pool: tape.pool)
            return loss
        }
        let pool = tape.pool, threads = pool.threads
        var results = [Result<(loss: Float, gradients: Gradients), Error>?](repeating: nil, count: threads)
        results.withUnsafeMutableBufferPointer { out in
            pool.run { part in
                let rows = WorkerPool.slice(a.count, part: part, of: threads, alignment: 1)
                let shard = { (p: UnsafeBufferPointer<Int32>) in UnsafeBufferPointer(rebasing: p[rows]) }
                out[part] = Result {
                    do {
                        return try lossAndGradients(
                            on: shardTapes[part], a: shard(a), b: shard(b),
                            labels: labels.map(shard), weight: Float(rows.count) / Float(a.count))
                    } catch let error as EngineError {
                        throw error.shifted(by: rows.lowerBound)  // positions count from the whole batch
                    }
                }
            }
        }
        let shards = try results.map { try $0!.get() }
        let gradients = shards[0].gradients
        for other in shards.dropFirst() { gradients.add(other.gradients, for: model.parameters, pool: pool) }
        optimizer.step(model.parameters, gradients, pool: pool)
        return shards.reduce(0) { $0 + $1.loss }
    }

    /// weight × (the loss of the batch) on `tape`, and its gradients.
    private func lossAndGradients(
        on tape: Tape, a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>,
        labels: [UnsafeBufferPointer<Int32>], weight: Float
    ) throws
        -> (loss: Float, gradients: Gradients)
    {
        tape.reset()
        let pass = try model.forward(tape, a: a, b: b)
        var loss = try tape.softmaxCrossEntropy(pass.logits[0], labels: labels[0])
        for f in 1..<max(1, labels.count) {
            loss = try tape.add(loss, tape.softmaxCrossEntropy(pass.logits[f], labels: labels[f]))
        }
        return (weight * tape.scalar(loss), try tape.backward(loss, seed: [weight]))
    }
}
