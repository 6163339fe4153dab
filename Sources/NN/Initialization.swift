import Autograd
import Randomness

/// Seeded parameter initialisation, following PyTorch's defaults so that
/// toymem and the PyTorch reference start from the same distributions:
/// embeddings ~ N(0, 1); a linear layer's weight and bias ~ U(−1/√fan_in, 1/√fan_in).
public enum Initialization {
    public static func normal(_ p: Parameter, std: Double = 1, using rng: inout SeededGenerator) {
        for i in 0..<p.count { p.value[i] = Float(std * rng.nextNormal()) }
    }

    public static func uniform(_ p: Parameter, bound: Float, using rng: inout SeededGenerator) {
        for i in 0..<p.count { p.value[i] = (2 * rng.nextUniform() - 1) * bound }
    }

    /// U(−1/√fanIn, 1/√fanIn), PyTorch's `nn.Linear` default for weight and bias.
    public static func linear(_ p: Parameter, fanIn: Int, using rng: inout SeededGenerator) {
        uniform(p, bound: 1 / Float(fanIn).squareRoot(), using: &rng)
    }
}
