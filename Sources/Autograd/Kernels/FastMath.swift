/// Branch-free exp, tanh and erf on eight Float32 lanes at once; the C
/// library's versions are scalar calls and dominated GELU's cost.
/// Accuracy: exp ≈ 2e-7 relative, tanh and erf ≈ 2e-7 absolute.
enum FastMath {
    typealias V = SIMD8<Float>

    /// e^x = 2^n · 2^f with n = round(x·log₂e), |f| ≤ ½, and a degree-6
    /// Taylor polynomial for 2^f (truncation error < 1.2e-7).
    @inline(__always)
    static func exp(_ x: V) -> V {
        var c = x.replacing(with: -87, where: x .< -87)
        c.replace(with: 88, where: c .> 88)
        let t = c * 1.442_695_04
        // Adding 1.5·2²³ rounds t to the nearest integer n (|t| < 2²²) and leaves n
        // in the low mantissa bits: no floor() call, which is a libcall per lane
        // on baseline x86-64.
        let shifted = t + 12_582_912
        let n = shifted - 12_582_912
        let f = t - n
        var p = V(repeating: 1.540_353_0e-4)
        p = p * f + 1.333_355_8e-3
        p = p * f + 9.618_129_1e-3
        p = p * f + 5.550_410_9e-2
        p = p * f + 2.402_265_1e-1
        p = p * f + 6.931_471_8e-1
        p = p * f + 1
        let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: V.self)
    }

    /// erf(x) by Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7, odd-extended) and the e^{−x²} it is
    /// built from, which GELU's derivative needs too (φ(x) = e^{−x²/2}/√(2π)), so one exp serves both.
    @inline(__always)
    static func erfAndGaussian(_ x: V) -> (erf: V, gaussian: V) {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let sign = bits & 0x8000_0000
        let z = unsafeBitCast(bits & 0x7FFF_FFFF, to: V.self)  // |x|
        let t = 1 / (1 + 0.327_591_1 * z)
        var p = V(repeating: 1.061_405_429)
        p = p * t - 1.453_152_027
        p = p * t + 1.421_413_741
        p = p * t - 0.284_496_736
        p = p * t + 0.254_829_592
        let gaussian = exp(-z * z)
        let y = 1 - p * t * gaussian  // erf(|x|) ≥ 0; give it x's sign
        return (unsafeBitCast(unsafeBitCast(y, to: SIMD8<UInt32>.self) | sign, to: V.self), gaussian)
    }
}
