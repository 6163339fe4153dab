import Analysis
import Randomness
import XCTest

/// hash_randomness on tables whose answer is known.
final class InteractionRankTests: XCTestCase {
    private let (rows, columns) = (64, 64)

    private func table(_ f: (Int, Int) -> Double) -> [Double] {
        (0..<rows * columns).map { f($0 / columns, $0 % columns) }
    }

    func testAdditiveTablesHaveNoScoreAndANDsScoreZero() {
        XCTAssertNil(
            InteractionRank.randomness(table { Double($0) * 0.3 - Double($1) }, rows: rows, columns: columns, seed: 1))
        // An AND of two token sets, one cell included: its interaction is rank 1.
        let and = table { ($0 % 3 == 0 && $1 < 20) ? 1 : 0 }
        XCTAssertEqual(InteractionRank.randomness(and, rows: rows, columns: columns, seed: 1)!, 0, accuracy: 1e-9)
        let cell = table { ($0 == 5 && $1 == 9) ? 2 : 0 }
        XCTAssertEqual(InteractionRank.randomness(cell, rows: rows, columns: columns, seed: 1)!, 0, accuracy: 1e-9)
    }

    func testARandomHashScoresAsRandomMatrixTheoryPredicts() {
        // For i.i.d. entries the interaction is a (63 × 63)-dimensional Gaussian matrix: σ₁² ≈ (√63 + √63)² σ²
        // against ‖I‖² ≈ 63² σ², so the score is about 1 − 4/63 = 0.937 (fluctuations of a few thousandths).
        var rng = SeededGenerator(seed: 4)
        let hash = table { _, _ in rng.nextUnitDouble() - 0.5 }
        XCTAssertEqual(
            InteractionRank.randomness(hash, rows: rows, columns: columns, seed: 1)!, 1 - 4.0 / 63, accuracy: 0.02)
    }

    func testASmoothNonlinearityOfAdditiveInputsIsNearlyRankOne() {
        var rng = SeededGenerator(seed: 5)
        let f = (0..<rows).map { _ in rng.nextUnitDouble() - 0.5 },
            g = (0..<columns).map { _ in rng.nextUnitDouble() - 0.5 }
        let relu = table { max(0, f[$0] + g[$1]) }
        XCTAssertLessThan(InteractionRank.randomness(relu, rows: rows, columns: columns, seed: 1)!, 0.2)
    }
}
