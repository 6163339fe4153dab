import Autograd

/// One optimisation step of a classifier: forward, summed cross-entropy
/// over the facts, backward, update. The tape is reset at the start of every
/// step, so its buffers are reused and memory stays flat.
///
/// ```swift
/// let step = Trainer(model: model, optimizer: Adam(decoupled: true))
/// let loss = try step.step(a: aBatch, b: bBatch, labels: [yBatch])
/// ```
public final class Trainer {
    public let model: ToyModel
    public let optimizer: Optimizer
    public let tape: Tape

    public init(model: ToyModel, optimizer: Optimizer, threads: Int = 1) {
        self.model = model
        self.optimizer = optimizer
        tape = Tape(threads: threads)
    }

    /// Trains on one batch and returns its loss (summed over facts, each
    /// the mean over the batch). Throws `EngineError.nonFinite` on a NaN or
    /// infinite loss before any parameter is touched.
    @discardableResult
    public func step(a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>,
                     labels: [UnsafeBufferPointer<Int32>]) throws -> Float {
        precondition(labels.count == model.readouts.count, "one label array per fact")
        tape.reset()
        let pass = try model.forward(tape, a: a, b: b)
        var loss = try tape.softmaxCrossEntropy(pass.logits[0], labels: labels[0])
        for f in 1..<max(1, labels.count) {
            loss = try tape.add(loss, tape.softmaxCrossEntropy(pass.logits[f], labels: labels[f]))
        }
        let gradients = try tape.backward(loss)
        optimizer.step(model.parameters, gradients, pool: tape.pool)
        return tape.scalar(loss)
    }
}
