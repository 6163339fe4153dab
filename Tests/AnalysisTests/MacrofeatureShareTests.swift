import Analysis
import Randomness
import XCTest

/// The macrofeature share on values whose answer is known.
final class MacrofeatureShareTests: XCTestCase {
    /// Every (a, b) of an A × B grid, with a 2-class checkerboard rule of 3 × 3 blocks.
    private let (A, B) = (12, 15)
    private var a: [Int] { (0..<A * B).map { $0 / B } }
    private var b: [Int] { (0..<A * B).map { $0 % B } }
    private var rule: [Int] { zip(a, b).map { ($0 / 3 + $1 / 3) % 2 } }

    private func share(_ values: [Double], width: Int, _ factors: [[Int]]) -> Double {
        let fit = MacrofeatureShare.fit(
            values, width: width, factors: factors.map(MacrofeatureShare.Factor.init(levels:)))
        return 1 - fit.residual / fit.total
    }

    func testAdditiveAndRuleValuesAreExplainedExactly() {
        var rng = SeededGenerator(seed: 3)
        let rows = (0..<A).map { _ in Double.random(in: -1...1, using: &rng) }
        let columns = (0..<B).map { _ in Double.random(in: -1...1, using: &rng) }
        let additive = zip(a, b).map { rows[$0] + columns[$1] }
        XCTAssertEqual(share(additive, width: 1, [a, b]), 1, accuracy: 1e-9)
        // The checkerboard is an interaction of rows and columns: they alone explain little of it,
        // the rule's one-hot all of it.
        let ruled = zip(additive, rule).map { $0 + 2 * Double($1) }
        XCTAssertEqual(share(ruled, width: 1, [rule, a, b]), 1, accuracy: 1e-9)
        XCTAssertLessThan(share(rule.map(Double.init), width: 1, [a, b]), 0.05)
    }

    func testPureNoiseIsExplainedOnlyByChance() {
        // With p free parameters and n entities, least squares explains p / (n − 1) of pure noise on
        // average; one draw of 180 × 4 values varies by about √(2p) / n around it.
        var rng = SeededGenerator(seed: 9)
        let width = 4
        let noise = (0..<(A * B * width)).map { _ in rng.nextUnitDouble() - 0.5 }
        let p = Double((A - 1) + (B - 1)), n = Double(A * B)
        XCTAssertEqual(share(noise, width: width, [a, b]), p / (n - 1), accuracy: 3 * (2 * p).squareRoot() / n / 2)
    }
}
