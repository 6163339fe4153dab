import Autograd
import Randomness

/// An affine map y = x·W + b, with W stored `[inputs, outputs]` (the `x @ W`
/// layout that `model.safetensors` promises) and b as `[1, outputs]`.
///
/// ```swift
/// var rng = SeededGenerator(seed: 0)
/// let layer = Linear(weight: "unembed.W_U", bias: "unembed.b_U", inputs: 256, outputs: 3, using: &rng)
/// let logits = try layer(tape, hidden)
/// ```
public struct Linear {
    public let weight: Parameter
    public let bias: Parameter

    public init(weight: String, bias: String, inputs: Int, outputs: Int, using rng: inout SeededGenerator) {
        self.weight = Parameter(name: weight, rows: inputs, cols: outputs)
        self.bias = Parameter(name: bias, rows: 1, cols: outputs)
        Initialization.linear(self.weight, fanIn: inputs, using: &rng)
        Initialization.linear(self.bias, fanIn: inputs, using: &rng)
    }

    public func callAsFunction(_ tape: Tape, _ x: Tensor) throws -> Tensor {
        try tape.linear(x, tape.parameter(weight), tape.parameter(bias))
    }

    public var parameters: [Parameter] { [weight, bias] }
}
