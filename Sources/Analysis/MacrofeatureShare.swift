import Foundation
import NN
import Tasks

/// How much of a model's logits over the trained entities a linear function of the task's
/// macrofeatures explains: the rule's one-hot, plus each token's identity as a row effect and a
/// column effect. What is left needs the lookup table.
///
/// Logits are centred per entity first (softmax ignores a common shift):
/// z̃_k(e) = z_k(e) − mean_k z_k(e). For every logit k, least squares fits
/// z̃_k(e) ≈ β_k + R_k[rule(e)] + α_k[a(e)] + γ_k[b(e)], and
///
///     share = 1 − Σ_{e,k} (z̃_k(e) − ẑ_k(e))² / Σ_{e,k} (z̃_k(e) − mean_e z̃_k)²,
///
/// pooled over logits and facts. `ruleShare` fits the rule alone and `tokenShare` the row and
/// column effects alone. Tasks without a rule (pure, correlated) have no rule term.
public struct MacrofeatureShare: Sendable {
    public let share: Double
    /// Nil when the task has no rule.
    public let ruleShare: Double?
    public let tokenShare: Double

    public init(_ model: ToyModel, data: Dataset, threads: Int) throws {
        let entities = data.trainIndices
        var logits: [[Double]] = Array(repeating: [], count: data.factCount)
        var widths = [Int](repeating: 0, count: data.factCount)
        try HookPass.run(
            model, a: entities.map { data.a[$0] }, b: entities.map { data.b[$0] }, threads: threads, hooks: false
        ) { chunk in
            for f in 0..<data.factCount {
                widths[f] = chunk.logits[f].width
                logits[f] += chunk.logits[f].values.map(Double.init)
            }
        }
        let rows = Factor(levels: entities.map { Int(data.a[$0]) })
        let columns = Factor(levels: entities.map { Int(data.b[$0]) })
        let rule = data.ruleFeature.map { r in Factor(levels: entities.map { Int(r[$0]) }) }
        let blocks = (0..<data.factCount).map { f in Self.centredPerRow(logits[f], width: widths[f]) }
        func pooled(_ factors: [Factor]) -> Double {
            var residual = 0.0, total = 0.0
            for (f, values) in blocks.enumerated() {
                let fit = Self.fit(values, width: widths[f], factors: factors)
                residual += fit.residual
                total += fit.total
            }
            return total > 0 ? 1 - residual / total : 1
        }
        share = pooled((rule.map { [$0] } ?? []) + [rows, columns])
        ruleShare = rule.map { pooled([$0]) }
        tokenShare = pooled([rows, columns])
    }

    /// A categorical variable over the fitted entities: each entity's level, 0-based and dense.
    public struct Factor: Sendable {
        public let index: [Int]
        public let count: Int

        public init(levels: [Int]) {
            var dense: [Int: Int] = [:]
            index = levels.map { level in
                if let i = dense[level] { return i }
                dense[level] = dense.count
                return dense.count - 1
            }
            count = dense.count
        }
    }

    /// Row-major [n, width] values with each row's mean removed.
    static func centredPerRow(_ values: [Double], width: Int) -> [Double] {
        guard width > 0 else { return values }
        var out = values
        for r in 0..<(values.count / width) {
            let mean = values[(r * width)..<((r + 1) * width)].reduce(0, +) / Double(width)
            for k in 0..<width { out[r * width + k] -= mean }
        }
        return out
    }

    /// Least squares fit of every column of row-major [n, width] `values` on an intercept plus one
    /// effect per level of each factor, by backfitting (Gauss–Seidel on the normal equations, which
    /// converges to the least-squares fit for any design). Returns the residual and total (about the
    /// column means) sums of squares.
    public static func fit(_ values: [Double], width: Int, factors: [Factor]) -> (residual: Double, total: Double) {
        let n = width > 0 ? values.count / width : 0
        guard n > 0 else { return (0, 0) }
        var residual = values
        var total = 0.0
        for k in 0..<width {
            var mean = 0.0
            for e in 0..<n { mean += values[e * width + k] }
            mean /= Double(n)
            for e in 0..<n {
                residual[e * width + k] -= mean
                total += residual[e * width + k] * residual[e * width + k]
            }
        }
        guard total > 0, !factors.isEmpty else { return (total, total) }
        var effects = factors.map { [Double](repeating: 0, count: $0.count * width) }
        var sizes = factors.map { f in f.index.reduce(into: [Double](repeating: 0, count: f.count)) { $0[$1] += 1 } }
        for i in sizes.indices { sizes[i] = sizes[i].map { max($0, 1) } }
        for _ in 0..<2000 {
            var change = 0.0
            for (i, factor) in factors.enumerated() {
                // Put this factor's effect back, refit it as the group means of the partial residual.
                var sums = [Double](repeating: 0, count: factor.count * width)
                for e in 0..<n {
                    let g = factor.index[e] * width
                    for k in 0..<width { sums[g + k] += residual[e * width + k] + effects[i][g + k] }
                }
                for g in 0..<factor.count {
                    for k in 0..<width { sums[g * width + k] /= sizes[i][g] }
                }
                for e in 0..<n {
                    let g = factor.index[e] * width
                    for k in 0..<width {
                        let delta = sums[g + k] - effects[i][g + k]
                        residual[e * width + k] -= delta
                        change = max(change, abs(delta))
                    }
                }
                effects[i] = sums
            }
            if change * change * Double(n * width) < 1e-14 * total { break }
        }
        return (residual.reduce(0) { $0 + $1 * $1 }, total)
    }
}
