import Autograd

/// Sparsity of a hook's activations, streamed over entities:
/// density (fraction of entity × neuron above 0), dead neurons (never above
/// 0), and the mean Hoyer sparsity of the per-entity activation vectors,
/// (√n − ‖v‖₁/‖v‖₂) / (√n − 1): 0 when all n entries are equal in size, 1
/// when one entry holds everything.
///
/// ```swift
/// var s = SparsityAccumulator(width: 256)
/// s.add(values, rows: n)
/// s.density, s.deadNeurons, s.hoyer
/// ```
public struct SparsityAccumulator {
    public let width: Int
    private var positives = 0
    private var positivesPerNeuron: [Int]
    private var everPositive: [Bool]
    private var hoyerSum = 0.0
    private var hoyerCount = 0
    private var rows = 0

    public init(width: Int) {
        self.width = width
        everPositive = [Bool](repeating: false, count: width)
        positivesPerNeuron = [Int](repeating: 0, count: width)
    }

    public mutating func add(_ values: [Float], rows count: Int) {
        values.withUnsafeBufferPointer { add($0, rows: count) }
    }

    private mutating func add(_ values: UnsafeBufferPointer<Float>, rows count: Int) {
        let w = width, root = Double(w).squareRoot()
        for r in 0..<count {
            let row = values.baseAddress! + r * w
            var l1 = 0.0, l2 = 0.0
            for j in 0..<w {
                let v = row[j]
                if v > 0 {
                    positives += 1
                    positivesPerNeuron[j] += 1
                    everPositive[j] = true
                }
                l1 += Double(abs(v))
                l2 += Double(v) * Double(v)
            }
            if l2 > 0, w > 1 {
                hoyerSum += (root - l1 / l2.squareRoot()) / (root - 1)
                hoyerCount += 1
            }
        }
        rows += count
    }

    public var density: Double { Double(positives) / Double(max(1, rows * width)) }
    /// Per neuron, the fraction of entities on which it is above 0.
    public var perNeuronDensity: [Double] { positivesPerNeuron.map { Double($0) / Double(max(1, rows)) } }
    public var deadNeurons: Int { everPositive.filter { !$0 }.count }
    public var isDead: [Bool] { everPositive.map { !$0 } }
    /// Mean over entities whose activation vector is not all zero; nil if every one is.
    public var hoyer: Double? { hoyerCount == 0 ? nil : hoyerSum / Double(hoyerCount) }
}

/// Effective dimensionality tr(C)² / tr(C²) of the activation covariance C:
/// 1 when activity lies on one direction, the width when it is isotropic.
public enum EffectiveDimension {
    /// `values` is [rows, width], row-major. C = XcᵀXc / (rows − 1) by one sgemm.
    public static func of(_ values: [Float], rows: Int, width: Int, threads: Int = 1) throws -> Double? {
        guard rows > 1 else { return nil }
        var mean = [Double](repeating: 0, count: width)
        for r in 0..<rows { for j in 0..<width { mean[j] += Double(values[r * width + j]) } }
        let tape = Tape(recordsGradients: false, threads: threads)
        let centred = tape.constant(rows: rows, cols: width) { out in
            for r in 0..<rows {
                for j in 0..<width {
                    out[r * width + j] = Float(Double(values[r * width + j]) - mean[j] / Double(rows))
                }
            }
        }
        let c = tape.values(of: try tape.matmul(centred, centred, transposeA: true))
        var trace = 0.0, frobenius = 0.0  // C symmetric: tr(C²) = ‖C‖_F²; the 1/(rows − 1) cancels
        for i in 0..<width { trace += Double(c[i * width + i]) }
        for v in c { frobenius += Double(v) * Double(v) }
        return frobenius > 0 ? trace * trace / frobenius : nil
    }
}
