/// The two-way decomposition of every neuron's lookup table over the grid
///: T = μ + r_a + c_b + I_ab, with r_a and c_b the row and
/// column mean deviations and I the interaction, the "non-linear excess".
///
/// Accumulated in one streaming pass of sums (in Double), using
/// ‖I‖² = ‖T − μ‖² − B·Σ_a r_a² − A·Σ_b c_b².
///
/// ```swift
/// var acc = InteractionAccumulator(vocabularyA: A, vocabularyB: B, width: w)
/// acc.add(values, a: aChunk, b: bChunk)   // any order, each cell once
/// acc.shares()                            // ‖I‖² / ‖T − μ‖² per neuron
/// ```
public struct InteractionAccumulator {
    public let vocabularyA: Int
    public let vocabularyB: Int
    public let width: Int
    private var rowSums: [Double]
    private var columnSums: [Double]
    private var squares: [Double]
    private var cells = 0

    public init(vocabularyA: Int, vocabularyB: Int, width: Int) {
        self.vocabularyA = vocabularyA
        self.vocabularyB = vocabularyB
        self.width = width
        rowSums = [Double](repeating: 0, count: vocabularyA * width)
        columnSums = [Double](repeating: 0, count: vocabularyB * width)
        squares = [Double](repeating: 0, count: width)
    }

    /// Adds rows of a chunk: `values` is [count, width] for the cells (a[i], b[i]).
    public mutating func add(_ values: [Float], a: ArraySlice<Int32>, b: ArraySlice<Int32>) {
        values.withUnsafeBufferPointer { add($0, a: a, b: b) }
    }

    private mutating func add(_ values: UnsafeBufferPointer<Float>, a: ArraySlice<Int32>, b: ArraySlice<Int32>) {
        let w = width
        rowSums.withUnsafeMutableBufferPointer { rows in
            columnSums.withUnsafeMutableBufferPointer { columns in
                squares.withUnsafeMutableBufferPointer { sq in
                    for (i, (x, y)) in zip(a, b).enumerated() {
                        let row = values.baseAddress! + i * w
                        let r = Int(x) * w, c = Int(y) * w
                        for j in 0..<w {
                            let v = Double(row[j])
                            rows[r + j] += v
                            columns[c + j] += v
                            sq[j] += v * v
                        }
                    }
                }
            }
        }
        cells += a.count
    }

    /// Per neuron: total variance ‖T − μ‖², the a-part B·Σ r², the b-part A·Σ c², and ‖I‖².
    public func parts() -> [(total: Double, a: Double, b: Double, interaction: Double)] {
        precondition(
            cells == vocabularyA * vocabularyB,
            "interaction needs every cell of the grid once (\(cells) of \(vocabularyA * vocabularyB))")
        let A = Double(vocabularyA), B = Double(vocabularyB)
        return (0..<width).map { j in
            var sum = 0.0
            for a in 0..<vocabularyA { sum += rowSums[a * width + j] }
            let mu = sum / (A * B)
            var rowPart = 0.0, columnPart = 0.0
            for a in 0..<vocabularyA {
                let r = rowSums[a * width + j] / B - mu
                rowPart += r * r
            }
            for b in 0..<vocabularyB {
                let c = columnSums[b * width + j] / A - mu
                columnPart += c * c
            }
            let total = max(0, squares[j] - A * B * mu * mu)
            let a = B * rowPart, b = A * columnPart
            return (total, a, b, max(0, total - a - b))
        }
    }

    /// ‖I‖² / ‖T − μ‖² per neuron; nil for a constant neuron (no variance to share).
    public func shares() -> [Double?] { parts().map(Self.share) }

    public static func share(_ p: (total: Double, a: Double, b: Double, interaction: Double)) -> Double? {
        p.total > 0 ? min(1, p.interaction / p.total) : nil
    }
}
