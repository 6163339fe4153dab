import Autograd
import Foundation

/// Adam and AdamW, as PyTorch's `torch.optim.Adam` / `AdamW`. At step t:
///
///     Adam:  g ← ∇ + λ·θ            AdamW: θ ← θ·(1 − η·λ),  g ← ∇
///     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// t advances once per `step` call.
///
/// ```swift
/// let adamw = Adam(learningRate: 1e-3, weightDecay: 0.01, decoupled: true)
/// adamw.step(model.parameters, grads)
/// ```
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    /// True for AdamW's decoupled weight decay, false for Adam's L2 penalty.
    public let decoupled: Bool
    public private(set) var stepCount = 0
    private let firstMoment = StateBuffers()
    private let secondMoment = StateBuffers()

    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: Float = 0, decoupled: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    public func step(_ parameters: [Parameter], _ gradients: Gradients, pool: WorkerPool) {
        stepCount += 1
        let t = Double(stepCount)
        let correction1 = 1 - pow(Double(beta1), t)
        let correction2 = 1 - pow(Double(beta2), t)
        let rule = Rule(
            beta1: beta1, beta2: beta2, epsilon: epsilon,
            stepSize: Float(Double(learningRate) / correction1),
            inverseRoot2: Float(1 / correction2.squareRoot()),
            decay: decoupled ? 1 - learningRate * weightDecay : 1,
            l2: decoupled ? 0 : weightDecay)
        // State buffers are looked up here, on one thread; the threads then
        // share the concatenated elements of all parameters.
        slices.removeAll(keepingCapacity: true)
        for p in parameters {
            guard let grad = gradients[p] else { continue }
            slices.append(
                Slice(
                    theta: p.value, grad: grad, m: firstMoment.buffer(for: p),
                    v: secondMoment.buffer(for: p), count: p.count))
        }
        let work = slices
        pool.forEachSegment(work.map(\.count)) { i, range in rule.apply(work[i], range) }
    }

    private var slices: [Slice] = []

    private struct Slice {
        let theta, grad, m, v: UnsafeMutablePointer<Float>
        let count: Int
    }

    /// One step's constants; `apply` updates elements `range` of a parameter.
    private struct Rule {
        let beta1, beta2, epsilon, stepSize, inverseRoot2, decay, l2: Float

        func apply(_ s: Slice, _ range: Range<Int>) {
            let (theta, grad, m, v) = (s.theta, s.grad, s.m, s.v)
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            // Eight lanes at a time; the scalar tail repeats the same arithmetic,
            // so an element's update does not depend on where a range starts.
            typealias V = SIMD8<Float>
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let g = V.load(grad + i) + l2 * V.load(theta + i)
                let mi = b1 * V.load(m + i) + (1 - b1) * g
                let vi = b2 * V.load(v + i) + (1 - b2) * g * g
                let denominator = vi.squareRoot() * inverseRoot2 + eps
                let step: V = stepSize * mi / denominator
                (V.load(theta + i) * decay - step).store(theta + i)
                mi.store(m + i)
                vi.store(v + i)
                i += 8
            }
            while i < range.upperBound {
                let g = grad[i] + l2 * theta[i]
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                theta[i] = theta[i] * decay - stepSize * m[i] / (v[i].squareRoot() * inverseRoot2 + eps)
                i += 1
            }
        }
    }
}

extension SIMD8 where Scalar == Float {
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(p).loadUnaligned(as: Self.self)
    }

    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
    }
}
