import Autograd

/// Updates parameters from the gradients of one backward pass. One call to
/// `step` is one optimisation step: step counters (Adam's bias correction)
/// advance once per call, never once per parameter.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// One update of `parameters`, sharing the work over `pool`'s threads.
    func step(_ parameters: [Parameter], _ gradients: Gradients, pool: WorkerPool)
}

extension Optimizer {
    /// One update on the calling thread alone.
    public func step(_ parameters: [Parameter], _ gradients: Gradients) {
        step(parameters, gradients, pool: .serial)
    }
}

/// Per-parameter state buffers (momentum, moments), zero-initialised on first use.
final class StateBuffers {
    private var slots: [ObjectIdentifier: UnsafeMutablePointer<Float>] = [:]

    func buffer(for p: Parameter) -> UnsafeMutablePointer<Float> {
        if let b = slots[ObjectIdentifier(p)] { return b }
        let b = UnsafeMutablePointer<Float>.allocate(capacity: p.count)
        b.initialize(repeating: 0, count: p.count)
        slots[ObjectIdentifier(p)] = b
        return b
    }

    deinit { for b in slots.values { b.deallocate() } }
}
