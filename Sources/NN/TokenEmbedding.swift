import Autograd
import Randomness

/// How the embeddings of the two tokens a and b are combined.
public enum Combine: String, Sendable, Codable, CaseIterable {
    /// x = W_a[a] + W_b[b], width d.
    case sum
    /// x = [W_a[a] | W_b[b]], width 2d.
    case concat
}

/// One embedding table per token position: `embed.W_a` [A, d] and
/// `embed.W_b` [B, d], initialised N(0, 1) like `nn.Embedding`.
///
/// ```swift
/// let embed = TokenEmbedding(vocabularyA: 100, vocabularyB: 100, dimension: 64, combine: .sum, using: &rng)
/// let x = try embed(tape, a: aIndices, b: bIndices)   // [n, 64]
/// ```
public struct TokenEmbedding {
    public let tableA: Parameter
    public let tableB: Parameter
    public let combine: Combine

    public init(vocabularyA: Int, vocabularyB: Int, dimension: Int, combine: Combine, using rng: inout SeededGenerator)
    {
        tableA = Parameter(name: "embed.W_a", rows: vocabularyA, cols: dimension)
        tableB = Parameter(name: "embed.W_b", rows: vocabularyB, cols: dimension)
        self.combine = combine
        Initialization.normal(tableA, using: &rng)
        Initialization.normal(tableB, using: &rng)
    }

    /// Width of the combined embedding.
    public var width: Int { combine == .sum ? tableA.cols : 2 * tableA.cols }

    func callAsFunction(_ tape: Tape, a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>) throws
        -> Tensor
    {
        switch combine {
        case .sum:
            return try tape.gatherSum(tape.parameter(tableA), a, tape.parameter(tableB), b)
        case .concat:
            return try tape.concat(tape.gather(tape.parameter(tableA), a), tape.gather(tape.parameter(tableB), b))
        }
    }

    public var parameters: [Parameter] { [tableA, tableB] }
}
