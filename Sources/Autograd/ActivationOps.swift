/// Forward rules of the elementwise non-linearities.
extension Tape {
    /// max(0, x), elementwise.
    public func relu(_ x: Tensor) throws -> Tensor {
        let v = node(x).value, out = output(x.count)
        Vectorized.relu(v, out, x.count)
        return append(.relu(x.id), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
    }

    /// GELU in the tanh approximation or the exact erf form (see `GELUForm`).
    public func gelu(_ x: Tensor, form: GELUForm = .tanh) throws -> Tensor {
        let v = node(x).value, out = output(x.count)
        switch form {  // outside the loop, so each loop is specialised
        case .tanh: Vectorized.map(v, out, x.count) { GELU.value($0, .tanh) }
        case .erf: Vectorized.map(v, out, x.count) { GELU.value($0, .erf) }
        }
        return append(.gelu(x.id, form), rows: x.rows, cols: x.cols, value: out, needsGradient: needsGradient(x))
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

    @inline(__always)
    static func derivative(_ x: V, _ form: GELUForm) -> V {
        switch form {
        case .tanh:
            let x2: V = x * x
            let t: V = FastMath.tanh(tanhScale * (x + cubic * x2 * x))
            let slope: V = tanhScale * (1 + 3 * cubic * x2)
            let half: V = 0.5 * (1 + t)
            return half + 0.5 * x * (1 - t * t) * slope
        case .erf:
            // Φ(x) + x·φ(x)
            let cdf: V = 0.5 * (1 + FastMath.erf(x * inverseSqrt2))
            let density: V = inverseSqrt2Pi * FastMath.exp(-0.5 * x * x)
            return cdf + x * density
        }
    }
}
