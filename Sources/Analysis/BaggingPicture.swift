/// The bagging picture of one block: is the readout a sum of many weak,
/// uncorrelated classifiers, one per neuron?
///
/// Neuron j votes on entity e with the sign of its margin contribution
/// K_j(e) = T_j(e)·(u_j[y] − mean_{k≠y} u_j[k]): for the correct class when
/// K_j(e) > 0, against it when K_j(e) < 0, not at all when it is silent (0).
/// Per neuron: `voteRate` v_j = P[K_j ≠ 0] and `voteAccuracy` p_j = P[K_j > 0 | K_j ≠ 0]
/// (chance is 1/2). Errors are E_j(e) = [K_j(e) < 0]; `errorCorrelations` are the
/// Pearson correlations of E_i and E_j over entities for pairs of the most
/// important neurons. For the top k neurons by importance (mean |K_j|):
/// - `voteCurve[k]`: the fraction of entities whose votes S = Σ sign(K_j) are > 0
///   (a tie counts one half);
/// - `independentCurve[k]`: the same for independent neurons with the same v_j and
///   p_j, computed exactly (the distribution of S is a convolution of three-point laws).
///
/// ```swift
/// let bag = BaggingPicture(margins: k, entities: n, neurons: m, order: byImportance)
/// bag.voteCurve.last!, bag.independentCurve.last!   // close when the neurons are independent
/// ```
public struct BaggingPicture: Sendable {
    public let entities: Int
    public let neurons: Int
    public let voteRate: [Double]
    /// nil for a neuron that never votes.
    public let voteAccuracy: [Double?]
    /// Pairwise error correlations among up to `correlatedNeurons` most important neurons
    /// (pairs where either error indicator is constant are left out).
    public let errorCorrelations: [Double]
    /// Numbers of top neurons at which the curves are evaluated, ascending, ending at `neurons`.
    public let kept: [Int]
    public let voteCurve: [Double]
    public let independentCurve: [Double]

    public static let correlatedNeurons = 128

    /// - Parameters:
    ///   - margins: K as [entities, neurons], row-major.
    ///   - order: the neurons from most to least important.
    public init(margins: [Double], entities n: Int, neurons m: Int, order: [Int]) {
        precondition(margins.count == n * m && order.count == m, "margins must be [entities, neurons]")
        entities = n
        neurons = m
        var votes = [Int](repeating: 0, count: m), right = [Int](repeating: 0, count: m)
        for e in 0..<n {
            for j in 0..<m where margins[e * m + j] != 0 {
                votes[j] += 1
                if margins[e * m + j] > 0 { right[j] += 1 }
            }
        }
        voteRate = votes.map { Double($0) / Double(max(1, n)) }
        voteAccuracy = zip(right, votes).map { $1 > 0 ? Double($0) / Double($1) : nil }
        kept = Self.checkpoints(m)
        errorCorrelations = Self.correlations(margins, n: n, m: m, among: Array(order.prefix(Self.correlatedNeurons)))
        // Votes of the top k, grown one neuron at a time, empirically and for independent neurons.
        var sums = [Int](repeating: 0, count: n)
        var law: [Double] = [1]  // P[S = s − k] for s in 0...2k
        var observed: [Double] = [], independent: [Double] = []
        for (k, j) in order.enumerated() {
            for e in 0..<n { sums[e] += margins[e * m + j] > 0 ? 1 : margins[e * m + j] < 0 ? -1 : 0 }
            let v = voteRate[j], p = voteAccuracy[j] ?? 0
            law = Self.convolve(law, plus: v * p, minus: v * (1 - p))
            guard kept.contains(k + 1) else { continue }
            observed.append(sums.reduce(0.0) { $0 + ($1 > 0 ? 1 : $1 == 0 ? 0.5 : 0) } / Double(max(1, n)))
            let zero = k + 1
            independent.append(law[(zero + 1)...].reduce(0, +) + 0.5 * law[zero])
        }
        voteCurve = observed
        independentCurve = independent
    }

    /// 1, 2, 4, … below m, then m.
    public static func checkpoints(_ m: Int) -> [Int] {
        guard m > 0 else { return [] }
        var points: [Int] = []
        var k = 1
        while k < m {
            points.append(k)
            k *= 2
        }
        return points + [m]
    }

    /// The law of S + X where X is +1, −1 or 0 with the given probabilities.
    static func convolve(_ law: [Double], plus: Double, minus: Double) -> [Double] {
        var next = [Double](repeating: 0, count: law.count + 2)
        let still = max(0, 1 - plus - minus)
        for (s, q) in law.enumerated() where q > 0 {
            next[s] += q * minus
            next[s + 1] += q * still
            next[s + 2] += q * plus
        }
        return next
    }

    static func correlations(_ margins: [Double], n: Int, m: Int, among chosen: [Int]) -> [Double] {
        let errors = chosen.map { j in (0..<n).map { margins[$0 * m + j] < 0 ? 1.0 : 0.0 } }
        let means = errors.map { $0.reduce(0, +) / Double(max(1, n)) }
        let spreads = zip(errors, means).map { column, mean in column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } }
        var result: [Double] = []
        for i in chosen.indices where spreads[i] > 0 {
            for k in (i + 1)..<chosen.count where spreads[k] > 0 {
                var cross = 0.0
                for e in 0..<n { cross += (errors[i][e] - means[i]) * (errors[k][e] - means[k]) }
                result.append(cross / (spreads[i] * spreads[k]).squareRoot())
            }
        }
        return result
    }
}

extension TrainedSample {
    /// The bagging picture of the last component layer (the last block), with its neurons
    /// ordered by importance, and the accuracy of the readout restricted to the top k of them
    /// (the constant plus their direct contributions) at the same k.
    public func bagging() -> (layer: Int, picture: BaggingPicture, sumAccuracy: [Double])? {
        guard let last = layers.last, let width = widths[last], let values = activations[last],
            let offset = paths.components.firstIndex(where: { $0.layer == last })
        else { return nil }
        let n = labels.count, c = paths.classes
        let directions = (0..<width).map { paths.components[offset + $0].direction }
        let importance = Array(decomposition.importance[offset..<(offset + width)])
        let order = importance.indices.sorted { importance[$0] > importance[$1] }
        var margins = [Double](repeating: 0, count: n * width)
        for e in 0..<n {
            let y = Int(labels[e])
            for j in 0..<width {
                margins[e * width + j] = Double(values[e * width + j]) * DirectPaths.margin(directions[j], label: y)
            }
        }
        let picture = BaggingPicture(margins: margins, entities: n, neurons: width, order: order)
        var logits = (0..<n).flatMap { _ in paths.constant }
        var sumAccuracy: [Double] = []
        for (k, j) in order.enumerated() {
            for e in 0..<n {
                let t = Double(values[e * width + j])
                for q in 0..<c { logits[e * c + q] += t * directions[j][q] }
            }
            if picture.kept.contains(k + 1) {
                sumAccuracy.append(classificationAccuracy(logits, classes: c, labels: labels))
            }
        }
        return (last, picture, sumAccuracy)
    }
}
