import Autograd
import Randomness

/// One hidden layer, plain or residual.
///
/// - plain: `x → act(x·W_in + b_in)`, output width = hidden width;
/// - residual: `x → x + act(x·W_in + b_in)·W_out + b_out`, output width = input width.
///
/// Parameters are named `blocks.{l}.mlp.W_in`, `b_in`, and for residual
/// blocks `W_out`, `b_out`, as in TransformerLens.
public struct MLPBlock {
    public let input: Linear
    public let output: Linear?
    public let activation: Activation

    public init(
        index: Int, width: Int, hidden: Int, residual: Bool, activation: Activation,
        using rng: inout SeededGenerator
    ) {
        let prefix = "blocks.\(index).mlp."
        input = Linear(weight: prefix + "W_in", bias: prefix + "b_in", inputs: width, outputs: hidden, using: &rng)
        output =
            residual
            ? Linear(weight: prefix + "W_out", bias: prefix + "b_out", inputs: hidden, outputs: width, using: &rng)
            : nil
        self.activation = activation
    }

    public var isResidual: Bool { output != nil }
    public var hiddenWidth: Int { input.weight.cols }

    /// The block's pre-activation, post-activation and output (the residual stream after it).
    public func callAsFunction(_ tape: Tape, _ x: Tensor) throws -> (pre: Tensor, post: Tensor, out: Tensor) {
        try finish(tape, x, preactivation: input(tape, x))
    }

    /// The rest of the block when its pre-activation was computed elsewhere
    /// (see `ToyModel`'s factored first layer); `x` is needed only if residual.
    public func finish(_ tape: Tape, _ x: Tensor?, preactivation pre: Tensor) throws
        -> (pre: Tensor, post: Tensor, out: Tensor)
    {
        let post = try activation(tape, pre)
        return (pre, post, try finish(tape, x, activated: post))
    }

    /// The block's output when its post-activation was computed elsewhere
    /// (the factored first layer fuses it into the lookup); `x` is needed
    /// only if residual.
    public func finish(_ tape: Tape, _ x: Tensor?, activated post: Tensor) throws -> Tensor {
        guard let output else { return post }
        guard let x else { preconditionFailure("a residual block needs its input") }
        return try tape.add(x, output(tape, post))
    }

    public var parameters: [Parameter] { input.parameters + (output?.parameters ?? []) }
}
