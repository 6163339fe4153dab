import Autograd

/// The hidden-layer non-linearity of a model.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case relu
    /// GELU, tanh approximation (PyTorch's `GELU(approximate="tanh")`).
    case gelu
    /// GELU, exact erf form (PyTorch's default `GELU()`).
    case gelu_erf

    /// The engine's form of this non-linearity, for ops that fuse it.
    public var nonlinearity: Nonlinearity {
        switch self {
        case .relu: return .relu
        case .gelu: return .gelu(.tanh)
        case .gelu_erf: return .gelu(.erf)
        }
    }

    public func callAsFunction(_ tape: Tape, _ x: Tensor) throws -> Tensor {
        switch self {
        case .relu: return try tape.relu(x)
        case .gelu: return try tape.gelu(x, form: .tanh)
        case .gelu_erf: return try tape.gelu(x, form: .erf)
        }
    }
}
