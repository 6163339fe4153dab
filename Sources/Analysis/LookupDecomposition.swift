/// Neurons as lookup tables and the logits as their sum, on a
/// sample of trained entities.
///
/// Per entity e with label y, component c has margin contribution
/// K_c(e) = T_c(e)·(u_c[y] − mean_{k≠y} u_c[k]). `k90(e)` is the fewest
/// components holding 90% of Σ_c |K_c(e)| (largest first); the
/// participation ratio is PR(e) = (Σ|K|)² / ΣK².
public struct LookupDecomposition {
    public let components: Int
    public let entities: Int
    /// max |reconstructed logit − model logit| over the sample and classes.
    public let reconstructionMaxError: Double
    public let k90: [Int]
    public let participationRatio: [Double]
    /// Mean |K_c| over the sample: each component's importance.
    public let importance: [Double]
    /// Fraction of sampled entities whose k90 set contains the component.
    public let k90Membership: [Double]

    /// - Parameters:
    ///   - activations: per component layer, [entities, width] hook_post values.
    ///   - embedding: [entities, d] hook_embed values (residual models), else nil.
    ///   - logits: [entities, classes] model logits for the fact.
    public init(
        paths: DirectPaths, activations: [Int: [Float]], layerWidths: [Int: Int], embedding: [Float]?,
        logits: [Float], labels: [Int32]
    ) {
        let n = labels.count, c = paths.classes, m = paths.components.count
        components = m
        entities = n
        var maxError = 0.0
        var k90s = [Int](repeating: 0, count: n), prs = [Double](repeating: 0, count: n)
        var importance = [Double](repeating: 0, count: m), membership = [Int](repeating: 0, count: m)
        let margins: [[Double]] = paths.components.map { comp in
            (0..<c).map { DirectPaths.margin(comp.direction, label: $0) }
        }
        var contributions = [Double](repeating: 0, count: m + 1)
        var order = [Int](repeating: 0, count: m + 1)
        for e in 0..<n {
            let y = Int(labels[e])
            var reconstructed = paths.constant
            var count = 0
            for (index, comp) in paths.components.enumerated() {
                let w = layerWidths[comp.layer]!
                let t = Double(activations[comp.layer]![e * w + comp.neuron])
                for k in 0..<c { reconstructed[k] += t * comp.direction[k] }
                contributions[index] = t * margins[index][y]
                count = index + 1
            }
            if let embedding, let wU = paths.embeddingReadout {
                let d = paths.embeddingWidth
                var u = [Double](repeating: 0, count: c)
                for i in 0..<d {
                    let x = Double(embedding[e * d + i])
                    for k in 0..<c { u[k] += x * wU[i * c + k] }
                }
                for k in 0..<c { reconstructed[k] += u[k] }
                contributions[m] = DirectPaths.margin(u, label: y)
                count = m + 1
            }
            for k in 0..<c { maxError = max(maxError, abs(reconstructed[k] - Double(logits[e * c + k]))) }
            var total = 0.0, squares = 0.0
            for i in 0..<count {
                total += abs(contributions[i])
                squares += contributions[i] * contributions[i]
            }
            for i in 0..<m { importance[i] += abs(contributions[i]) }
            prs[e] = squares > 0 ? total * total / squares : 0
            for i in 0..<count { order[i] = i }
            order[0..<count].sort { abs(contributions[$0]) > abs(contributions[$1]) }
            var held = 0.0, k = 0
            while k < count, held < 0.9 * total {
                held += abs(contributions[order[k]])
                if order[k] < m { membership[order[k]] += 1 }
                k += 1
            }
            k90s[e] = k
        }
        reconstructionMaxError = maxError
        k90 = k90s
        participationRatio = prs
        self.importance = importance.map { $0 / Double(max(1, n)) }
        k90Membership = membership.map { Double($0) / Double(max(1, n)) }
    }
}

/// The median of a list (mean of the middle two for even counts); nil if empty.
public func median<T: BinaryFloatingPoint>(_ xs: [T]) -> Double? {
    guard !xs.isEmpty else { return nil }
    let s = xs.sorted(), mid = s.count / 2
    return s.count % 2 == 1 ? Double(s[mid]) : (Double(s[mid - 1]) + Double(s[mid])) / 2
}

public func median(_ xs: [Int]) -> Double? { median(xs.map(Double.init)) }
