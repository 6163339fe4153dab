/// A handle to a value recorded on a `Tape`: a row-major Float32 matrix.
///
/// toymem's models only need matrices: a batch is `[n, features]`, a bias is
/// `[1, features]` and a loss is `[1, 1]`. A handle is only valid on its
/// tape until the next `reset()`.
///
/// ```swift
/// let tape = Tape()
/// let x = tape.constant([1, 2, 3, 4], rows: 2, cols: 2)
/// let y = try tape.relu(x)
/// print(tape.array(y), y.shape)   // [1, 2, 3, 4] [2, 2]
/// ```
public struct Tensor: Hashable, Sendable {
    let id: Int
    let generation: Int
    public let rows: Int
    public let cols: Int

    public var shape: [Int] { [rows, cols] }
    public var count: Int { rows * cols }
}

/// The tanh approximation or the exact erf form of GELU.
public enum GELUForm: String, Sendable, CaseIterable {
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    case tanh
    /// 0.5·x·(1 + erf(x/√2))
    case erf
}

/// A non-linearity that can run in the same pass as the op producing its
/// input (`gatherSum(_:_:_:_:then:)`).
public enum Nonlinearity: Sendable, Equatable {
    case relu
    case gelu(GELUForm)
}

/// The operation that produced a node. The graph is data: backward rules
/// for every case sit in one exhaustive switch in `Backward.swift`.
enum Op {
    case constant
    case parameter(Parameter)
    case matmul(Int, Int, transposeA: Bool, transposeB: Bool)
    /// x·W + b with the bias fused into the product.
    case linear(Int, weight: Int, bias: Int)
    /// tableA[indicesA[r]] + tableB[indicesB[r]] for each row r.
    case gatherSum(Int, UnsafeMutablePointer<Int32>, Int, UnsafeMutablePointer<Int32>)
    /// nonlinearity(tableA[indicesA[r]] + tableB[indicesB[r]]) for each row r,
    /// the sum never stored; keeps GELU′ (ReLU's backward reads the output).
    case gatherSumActivated(
        Int, UnsafeMutablePointer<Int32>, Int, UnsafeMutablePointer<Int32>,
        Nonlinearity, slope: UnsafeMutablePointer<Float>?)
    case add(Int, Int)
    case addBias(Int, bias: Int)
    case mul(Int, Int)
    case relu(Int)
    /// Keeps GELU′(x) from the forward pass (nil when x needs no gradient).
    case gelu(Int, slope: UnsafeMutablePointer<Float>?)
    case gather(table: Int, indices: UnsafeMutablePointer<Int32>)
    case concat(Int, Int)
    case sum(Int)
    case mean(Int)
    /// Mean over rows of −log softmax(logits)[label]; keeps the softmax for backward.
    case softmaxCrossEntropy(Int, labels: UnsafeMutablePointer<Int32>, probabilities: UnsafeMutablePointer<Float>)
    /// Mean over all entries of (prediction − target)².
    case meanSquaredError(Int, target: Int)
}

struct Node {
    let op: Op
    let rows: Int
    let cols: Int
    let value: UnsafeMutablePointer<Float>
    let needsGradient: Bool

    var isParameter: Bool {
        if case .parameter = op { return true }
        return false
    }
}
