import Autograd

/// Stochastic gradient descent with momentum and L2 weight decay, as
/// PyTorch's `torch.optim.SGD` (dampening 0, not Nesterov):
///
///     g ← ∇ + λ·θ;   v ← μ·v + g (v = g on the first step);   θ ← θ − η·v
///
/// ```swift
/// let sgd = SGD(learningRate: 0.1, momentum: 0.9)
/// sgd.step(model.parameters, grads)
/// ```
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    private let velocity = StateBuffers()
    private var steps = 0

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// Serial: SGD's update is too light to be worth sharing out.
    public func step(_ parameters: [Parameter], _ gradients: Gradients, pool: WorkerPool) {
        let first = steps == 0
        steps += 1
        for p in parameters {
            guard let grad = gradients[p] else { continue }
            let theta = p.value
            let v = momentum != 0 ? velocity.buffer(for: p) : nil
            for i in 0..<p.count {
                var g = grad[i] + weightDecay * theta[i]
                if let v {
                    v[i] = first ? g : momentum * v[i] + g
                    g = v[i]
                }
                theta[i] -= learningRate * g
            }
        }
    }
}
