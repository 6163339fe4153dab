import Analysis
import XCTest

/// The tabulation of held-out rule-followers by the trained exceptions in their row and column.
final class ExceptionNeighboursTests: XCTestCase {
    func testErrorsNextToExceptionsGiveSlopeOne() {
        // A 3 × 3 grid, rule 0 everywhere; (0, 0) is a trained exception. Held out: (0, 1) and (1, 0) share its
        // row or column (k = 1) and are wrong; (1, 1) and (2, 2) do not (k = 0) and are right. (0, 2) is a held-out
        // exception and is left out; the rest are trained rule-followers.
        let cells = (0..<9).map { (a: Int32($0 / 3), b: Int32($0 % 3)) }
        let heldout: Set<Int> = [1, 3, 4, 8, 2]
        let labels: [Int32] = cells.indices.map { $0 == 0 || $0 == 2 ? 1 : 0 }
        let correct: [Int32] = cells.indices.map { [1, 3].contains($0) ? 0 : 1 }
        let x = ExceptionNeighbours(
            a: cells.map(\.a), b: cells.map(\.b), labels: labels, rule: [Int32](repeating: 0, count: 9),
            split: cells.indices.map { heldout.contains($0) ? 1 : 0 }, correct: correct)
        XCTAssertEqual(x.entities, 4)
        XCTAssertEqual(
            x.bins,
            [.init(exceptions: 0, entities: 2, accuracy: 1), .init(exceptions: 1, entities: 2, accuracy: 0)])
        XCTAssertEqual(x.errorSlope!, 1, accuracy: 1e-12)
        XCTAssertEqual(x.errorSlopeSE!, 0, accuracy: 1e-12)
    }
}
