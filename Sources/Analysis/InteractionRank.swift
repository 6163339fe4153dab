import NN
import Randomness

/// How random a neuron's interaction is, beside the hash score: for each neuron's table T over a
/// sub-grid of tokens, its interaction I = T − μ − r_a − c_b (the two-way decomposition), and
///
///     hash_randomness = 1 − σ₁(I)² / ‖I‖²,
///
/// the share of the interaction its best rank-1 approximation misses. An AND of two token sets
/// (1[a ∈ S]·1[b ∈ T], including one cell) has a rank-1 interaction: 0. A smooth non-linearity of
/// additive inputs, ReLU(f(a) + g(b)), is close to rank 1: small. A hash — a value drawn at random
/// for every (a, b) — spreads its interaction over all ranks: 1 − (√A′ + √B′)² / ((A′ − 1)(B′ − 1))
/// on average, about 0.93 on the 64 × 64 sub-grid. Neurons without interaction (additive ones)
/// have no score (nil). The sub-grid is at most `maximumTokens` a-values by as many b-values,
/// drawn with the analysis seed, so the cost is bounded on any domain.
public enum InteractionRank {
    public static let maximumTokens = 64
    static let iterations = 60

    /// Every hook's per-neuron scores.
    public static func scores(_ model: ToyModel, seed: UInt64, threads: Int) throws -> [HookPoint: [Double?]] {
        var rng = SeededGenerator(seed: seed).split(salt: 47)
        let rowTokens = Array((0..<Int32(model.spec.vocabularyA)).shuffled(using: &rng).prefix(maximumTokens))
        let columnTokens = Array((0..<Int32(model.spec.vocabularyB)).shuffled(using: &rng).prefix(maximumTokens))
        let (rows, columns) = (rowTokens.count, columnTokens.count)
        let a = rowTokens.flatMap { x in [Int32](repeating: x, count: columns) }
        let b = Array([[Int32]](repeating: columnTokens, count: rows).joined())
        var tables: [HookPoint: (values: [Float], width: Int)] = [:]
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            for hook in chunk.hooks {
                tables[hook.point, default: ([], hook.width)].values += hook.values
            }
        }
        var out: [HookPoint: [Double?]] = [:]
        for (point, table) in tables {
            out[point] = (0..<table.width).map { j in
                let column = stride(from: j, to: table.values.count, by: table.width).map { Double(table.values[$0]) }
                return randomness(column, rows: rows, columns: columns, seed: seed)
            }
        }
        return out
    }

    /// 1 − σ₁(I)² / ‖I‖² for a row-major [rows, columns] table; nil when its interaction vanishes.
    public static func randomness(_ table: [Double], rows: Int, columns: Int, seed: UInt64) -> Double? {
        guard rows > 1, columns > 1 else { return nil }
        var rowMeans = [Double](repeating: 0, count: rows), columnMeans = [Double](repeating: 0, count: columns)
        var mean = 0.0
        for r in 0..<rows {
            for c in 0..<columns {
                let x = table[r * columns + c]
                rowMeans[r] += x / Double(columns)
                columnMeans[c] += x / Double(rows)
                mean += x / Double(rows * columns)
            }
        }
        var interaction = table, total = 0.0, energy = 0.0
        for r in 0..<rows {
            for c in 0..<columns {
                let centred = table[r * columns + c] - mean
                let i = centred - (rowMeans[r] - mean) - (columnMeans[c] - mean)
                interaction[r * columns + c] = i
                total += centred * centred
                energy += i * i
            }
        }
        guard energy > 1e-12 * max(total, 1e-300), energy > 0 else { return nil }
        // Power iteration on IᵀI for the top singular value.
        var rng = SeededGenerator(seed: seed).split(salt: 48)
        var v = (0..<columns).map { _ in rng.nextUnitDouble() - 0.5 }
        var sigma2 = 0.0
        for _ in 0..<iterations {
            var u = [Double](repeating: 0, count: rows)
            for r in 0..<rows {
                var s = 0.0
                for c in 0..<columns { s += interaction[r * columns + c] * v[c] }
                u[r] = s
            }
            var w = [Double](repeating: 0, count: columns)
            for r in 0..<rows where u[r] != 0 {
                for c in 0..<columns { w[c] += interaction[r * columns + c] * u[r] }
            }
            let vNorm2 = v.reduce(0) { $0 + $1 * $1 }
            sigma2 = u.reduce(0) { $0 + $1 * $1 } / max(vNorm2, 1e-300)
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { break }
            v = w.map { $0 / norm }
        }
        return max(0, min(1, 1 - sigma2 / energy))
    }
}
