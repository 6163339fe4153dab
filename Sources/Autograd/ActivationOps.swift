/// Forward rules of the elementwise non-linearities.
extension Tape {
    /// max(0, x), elementwise.
    public func relu(_ x: Tensor) throws -> Tensor {
        let v = node(x).value, out = output(x.count)
        pool.forEachRange(x.count) { r in Vectorized.relu(v + r.lowerBound, out + r.lowerBound, r.count) }
        return append(.relu(x.id), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
    }

    /// TopK-ReLU, row by row: max(0, x) at the k largest entries of each row, 0 elsewhere (the
    /// activation of TopK sparse autoencoders). Its output is 0 wherever the gradient is, so it is
    /// recorded as a ReLU of its input whose backward pass gates by output > 0.
    public func topKReLU(_ x: Tensor, k: Int) throws -> Tensor {
        guard k >= 1, k <= x.cols else {
            throw EngineError.shapeMismatch(
                op: "topKReLU", lhs: [x.rows, x.cols], rhs: [k], detail: "k must be in 1…\(x.cols)")
        }
        let v = node(x).value, out = output(x.count), cols = x.cols
        pool.forEachRange(x.rows, alignment: 1, itemSize: cols) { rows in
            var order = [Int](repeating: 0, count: cols)
            for r in rows {
                let row = v + r * cols
                for j in 0..<cols { order[j] = j }
                // Ties are broken by position, so the result is deterministic.
                order.sort { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
                for j in 0..<cols { out[r * cols + j] = 0 }
                for j in order.prefix(k) { out[r * cols + j] = max(0, row[j]) }
            }
        }
        return append(.relu(x.id), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
    }

    /// GELU in the tanh approximation or the exact erf form (see `GELUForm`).
    /// When a gradient is needed, the derivative is computed alongside the
    /// value (they share the transcendental) and kept for backward.
    public func gelu(_ x: Tensor, form: GELUForm = .tanh) throws -> Tensor {
        let v = node(x).value, out = output(x.count)
        let slope = needsGradient(x) ? output(x.count) : nil
        pool.forEachRange(x.count) { r in
            GELU.apply(form, v + r.lowerBound, out + r.lowerBound, slope.map { $0 + r.lowerBound }, r.count)
        }
        return append(
            .gelu(x.id, slope: slope), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
    }
}

/// GELU and its derivative in both forms, eight lanes at a time.
enum GELU {
    typealias V = SIMD8<Float>
    static let tanhScale: Float = 0.797_884_56  // √(2/π)
    static let cubic: Float = 0.044_715
    static let inverseSqrt2: Float = 0.707_106_78
    static let inverseSqrt2Pi: Float = 0.398_942_28  // 1/√(2π)

    /// out = GELU(x) and, if `slope` is given, slope = GELU′(x). One loop
    /// per case, each calling only inlined arithmetic: a closure or a form
    /// argument here kept the compiler from inlining the math into the loop.
    static func apply(
        _ form: GELUForm, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
        _ slope: UnsafeMutablePointer<Float>?, _ count: Int
    ) {
        let whole = count / 8 * 8
        switch (form, slope) {
        case (.tanh, nil):
            for j in stride(from: 0, to: whole, by: 8) {
                Vectorized.store(tanhForm(Vectorized.load(x + j)).value, out + j)
            }
        case (.erf, nil):
            for j in stride(from: 0, to: whole, by: 8) {
                Vectorized.store(erfForm(Vectorized.load(x + j)).value, out + j)
            }
        case let (.tanh, slope?):
            for j in stride(from: 0, to: whole, by: 8) {
                let (y, d) = tanhForm(Vectorized.load(x + j))
                Vectorized.store(y, out + j)
                Vectorized.store(d, slope + j)
            }
        case let (.erf, slope?):
            for j in stride(from: 0, to: whole, by: 8) {
                let (y, d) = erfForm(Vectorized.load(x + j))
                Vectorized.store(y, out + j)
                Vectorized.store(d, slope + j)
            }
        }
        guard whole < count else { return }
        let rest = Vectorized.loadPartial(x + whole, count - whole)
        let (y, d) = form == .tanh ? tanhForm(rest) : erfForm(rest)
        for i in 0..<(count - whole) {
            out[whole + i] = y[i]
            slope?[whole + i] = d[i]
        }
    }

    /// (GELU(x), GELU′(x)) in the tanh approximation. ½(1 + tanh u) is the
    /// logistic σ(2u) and 1 − tanh²u = 4σ(1 − σ), so
    /// GELU = x·σ,  GELU′ = σ + 2x·σ(1 − σ)·u′,  u′ = √(2/π)(1 + 3·0.044715·x²).
    @inline(__always)
    static func tanhForm(_ x: V) -> (value: V, derivative: V) {
        let x2: V = x * x
        let minusTwoU: V = x * (-2 * tanhScale - 2 * tanhScale * cubic * x2)
        let sigma: V = 1 / (1 + FastMath.exp(minusTwoU))
        let twoSlope: V = 2 * tanhScale + 6 * tanhScale * cubic * x2
        return (x * sigma, sigma + x * sigma * (1 - sigma) * twoSlope)
    }

    /// (GELU(x), GELU′(x)) in the erf form: Φ(x) = ½(1 + erf(x/√2)),
    /// GELU = x·Φ(x),  GELU′ = Φ(x) + x·φ(x); one exp serves erf and φ.
    @inline(__always)
    static func erfForm(_ x: V) -> (value: V, derivative: V) {
        let (erf, gaussian) = FastMath.erfAndGaussian(x * inverseSqrt2)
        let cdf: V = 0.5 * (1 + erf)
        return (x * cdf, cdf + x * (inverseSqrt2Pi * gaussian))
    }
}
