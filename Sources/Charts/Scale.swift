import Foundation

/// A linear axis with "nice" ticks: steps of 1, 2 or 5 × 10ᵏ, the domain widened to whole steps
/// (never beyond `bounds`, for bounded quantities such as accuracies in [0, 1]).
///
/// ```swift
/// let s = NiceScale(0.48, 0.87)          // ticks 0.4, 0.5, …, 0.9
/// let p = NiceScale(0.3, 0.98, bounds: 0...1)
/// ```
public struct NiceScale {
    public let low: Double
    public let high: Double
    public let step: Double
    public let logarithmic: Bool

    public init(_ low: Double, _ high: Double, bounds: ClosedRange<Double>? = nil, ticks: Int = 5) {
        var (lo, hi) = (min(low, high), max(low, high))
        if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
        if lo == hi { (lo, hi) = (lo - max(abs(lo) * 0.1, 0.5), hi + max(abs(hi) * 0.1, 0.5)) }
        let step = Self.niceStep((hi - lo) / Double(max(1, ticks - 1)))
        var nlo = (lo / step).rounded(.down) * step, nhi = (hi / step).rounded(.up) * step
        if let bounds {
            nlo = max(nlo, bounds.lowerBound)
            nhi = min(nhi, bounds.upperBound)
        }
        (self.low, self.high, self.step, self.logarithmic) = (nlo, nhi, step, false)
    }

    /// A base-10 logarithmic axis over whole decades.
    public init(logarithmic low: Double, _ high: Double) {
        let lo = log10(max(min(low, high), 1e-300)).rounded(.down), hi = log10(max(low, high, 1e-300)).rounded(.up)
        (self.low, self.high, self.step, self.logarithmic) = (pow(10, lo), pow(10, max(hi, lo + 1)), 1, true)
    }

    /// 1, 2 or 5 × 10ᵏ, the smallest at least `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
    }

    /// Where `x` falls, from 0 (low) to 1 (high).
    public func fraction(_ x: Double) -> Double {
        logarithmic
            ? (log10(max(x, 1e-300)) - log10(low)) / (log10(high) - log10(low)) : (x - low) / (high - low)
    }

    public var ticks: [Double] {
        if logarithmic {
            return stride(from: log10(low), through: log10(high) + 1e-9, by: 1).map { pow(10, $0) }
        }
        let count = Int(((high - low) / step).rounded()) + 1
        return (0..<max(count, 1)).map { low + Double($0) * step }.filter { $0 <= high + step * 1e-9 }
    }

    /// A tick's label, with as many decimals as the step needs.
    public func label(_ x: Double) -> String {
        if logarithmic || abs(x) >= 1e5 || (x != 0 && abs(x) < 1e-3) {
            let exponent = Int(log10(abs(x)).rounded(.down)), mantissa = x / pow(10, Double(exponent))
            let superscripts = Array("⁰¹²³⁴⁵⁶⁷⁸⁹")
            let power = String(exponent).map { $0 == "-" ? "⁻" : superscripts[Int(String($0))!] }
            return abs(mantissa - 1) < 1e-9 ? "10" + String(power) : String(format: "%.3g", x)
        }
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        let text = String(format: "%.\(decimals)f", abs(x) < step * 1e-9 ? 0 : x)
        return text
    }
}
