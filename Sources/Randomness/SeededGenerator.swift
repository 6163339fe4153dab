import Foundation

/// A seeded, splittable pseudo-random generator (SplitMix64).
///
/// Every source of randomness in toymem is one of these, created from an
/// explicit seed and passed by `inout`; there is no global generator, so the
/// same seed always gives the same stream.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let u = rng.nextUniform()          // Float in [0, 1)
/// let i = Int.random(in: 0..<10, using: &rng)
/// var child = rng.split(salt: 7)     // an independent stream for a sub-task
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new generator whose stream depends on this one's seed and `salt`,
    /// so that sub-tasks (labels, split, initialisation) stay independent of
    /// the order in which they are drawn.
    public func split(salt: UInt64) -> SeededGenerator {
        var mixer = SeededGenerator(seed: state ^ (salt &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: mixer.next())
    }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Float` in [0, 1).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A standard normal sample (Box–Muller, computed in `Double`).
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextUnitDouble()  // (0, 1]: log is finite
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
