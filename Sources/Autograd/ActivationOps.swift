/// Forward rules of the elementwise non-linearities.
extension Tape {
    /// max(0, x), elementwise.
    public func relu(_ x: Tensor) throws -> Tensor {
        let v = node(x).value, out = output(x.count)
        pool.forEachRange(x.count) { r in Vectorized.relu(v + r.lowerBound, out + r.lowerBound, r.count) }
        return append(.relu(x.id), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
    }

    /// GELU in the tanh approximation or the exact erf form (see `GELUForm`).
    /// When a gradient is needed, the derivative is computed alongside the
    /// value (they share the transcendental) and kept for backward.
    public func gelu(_ x: Tensor, form: GELUForm = .tanh) throws -> Tensor {
        let v = node(x).value, out = output(x.count)
        let slope = needsGradient(x) ? output(x.count) : nil
        pool.forEachRange(x.count) { r in
            let (input, values) = (v + r.lowerBound, out + r.lowerBound)
            switch (form, slope) {  // outside the loops, so each loop is specialised
            case (.tanh, nil): Vectorized.map(input, values, r.count) { GELU.value($0, .tanh) }
            case (.erf, nil): Vectorized.map(input, values, r.count) { GELU.value($0, .erf) }
            case let (.tanh, slope?):
                Vectorized.map(input, values, slope + r.lowerBound, r.count) { GELU.valueAndDerivative($0, .tanh) }
            case let (.erf, slope?):
                Vectorized.map(input, values, slope + r.lowerBound, r.count) { GELU.valueAndDerivative($0, .erf) }
            }
        }
        return append(.gelu(x.id, slope: slope), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
    }
}

/// GELU and its derivative in both forms, eight lanes at a time.
enum GELU {
    typealias V = SIMD8<Float>
    static let tanhScale: Float = 0.797_884_56  // √(2/π)
    static let cubic: Float = 0.044_715
    static let inverseSqrt2: Float = 0.707_106_78
    static let inverseSqrt2Pi: Float = 0.398_942_28  // 1/√(2π)

    @inline(__always)
    static func value(_ x: V, _ form: GELUForm) -> V {
        switch form {
        case .tanh:
            let inner: V = tanhScale * (x + cubic * x * x * x)
            return 0.5 * x * (1 + FastMath.tanh(inner))
        case .erf:
            return 0.5 * x * (1 + FastMath.erf(x * inverseSqrt2))
        }
    }

    /// (GELU(x), GELU′(x)); the tanh or erf is evaluated once for both.
    @inline(__always)
    static func valueAndDerivative(_ x: V, _ form: GELUForm) -> (V, V) {
        switch form {
        case .tanh:
            // ½(1 + tanh u) is the logistic σ(2u), and 1 − tanh²u = 4σ(1 − σ):
            // GELU = x·σ,  GELU′ = σ + 2x·σ(1 − σ)·u′,  u′ = √(2/π)(1 + 3·0.044715·x²).
            let x2: V = x * x
            let minusTwoU: V = x * (-2 * tanhScale - 2 * tanhScale * cubic * x2)
            let sigma: V = 1 / (1 + FastMath.exp(minusTwoU))
            let twoSlope: V = 2 * tanhScale + 6 * tanhScale * cubic * x2
            return (x * sigma, sigma + x * sigma * (1 - sigma) * twoSlope)
        case .erf:
            // Φ(x) = ½(1 + erf(x/√2)),  GELU = x·Φ(x),  GELU′ = Φ(x) + x·φ(x)
            let (erf, gaussian) = FastMath.erfAndGaussian(x * inverseSqrt2)
            let cdf: V = 0.5 * (1 + erf)
            return (x * cdf, cdf + x * (inverseSqrt2Pi * gaussian))
        }
    }
}
