import Autograd
import Foundation
import XCTest

/// Hand-derived values, shape errors and the evaluation path.
final class ExactCaseTests: XCTestCase {
    func testMatmulByHand() throws {
        let tape = Tape()
        let a = tape.constant([1, 2, 3, 4], rows: 2, cols: 2)
        let b = tape.constant([5, 6], rows: 2, cols: 1)
        XCTAssertEqual(tape.array(try tape.matmul(a, b)), [17, 39])
        XCTAssertEqual(tape.array(try tape.matmul(a, b, transposeA: true)), [23, 34])
    }

    func testMeanOfProductGradientByHand() throws {
        // loss = mean(x·w) with x = [[1,2],[3,4]]: dloss/dw = column means of x = [2, 3].
        let tape = Tape()
        let w = Parameter(name: "w", rows: 2, cols: 1, fill: 0.5)
        let x = tape.constant([1, 2, 3, 4], rows: 2, cols: 2)
        let loss = try tape.mean(tape.matmul(x, tape.parameter(w)))
        XCTAssertEqual(tape.scalar(loss), 2.5)
        XCTAssertEqual(try tape.backward(loss).array(w), [2, 3])
    }

    func testCrossEntropyByHand() throws {
        // Equal logits over 2 classes: loss = log 2, dz = (p − onehot)/n = [−0.5, 0.5].
        let tape = Tape()
        let z = Parameter(name: "z", rows: 1, cols: 2)
        let loss = try tape.softmaxCrossEntropy(tape.parameter(z), labels: [0])
        XCTAssertEqual(tape.scalar(loss), Float(log(2.0)), accuracy: 1e-7)
        XCTAssertEqual(try tape.backward(loss).array(z), [-0.5, 0.5])
    }

    func testCrossEntropyIsStableForHugeLogits() throws {
        let tape = Tape()
        let z = tape.constant([1000, 0, -1000], rows: 1, cols: 3)
        XCTAssertEqual(tape.scalar(try tape.softmaxCrossEntropy(z, labels: [0])), 0, accuracy: 1e-6)
        XCTAssertEqual(tape.scalar(try tape.softmaxCrossEntropy(z, labels: [1])), 1000, accuracy: 1e-3)
    }

    func testGradientsAccumulateWhenAValueIsUsedTwice() throws {
        // loss = sum(w + w) → dloss/dw = 2 everywhere.
        let tape = Tape()
        let w = Parameter(name: "w", rows: 1, cols: 3, fill: 1)
        let x = tape.parameter(w)
        XCTAssertEqual(try tape.backward(tape.sum(tape.add(x, x))).array(w), [2, 2, 2])
    }

    func testShapeMismatchNamesBothShapes() {
        let tape = Tape()
        let a = tape.constant([Float](repeating: 1, count: 6), rows: 2, cols: 3)
        let b = tape.constant([Float](repeating: 1, count: 8), rows: 4, cols: 2)
        XCTAssertThrowsError(try tape.matmul(a, b)) { error in
            XCTAssertEqual(
                "\(error)", "matmul: shapes [2, 3] and [4, 2] do not match (inner dimensions 3 and 4 differ)")
        }
        XCTAssertThrowsError(try tape.add(a, b)) { error in
            XCTAssertTrue("\(error)".contains("[2, 3] and [4, 2]"), "\(error)")
        }
    }

    func testEmbeddingIndexOutOfRangeIsAnError() {
        let tape = Tape()
        let table = tape.constant([Float](repeating: 1, count: 6), rows: 3, cols: 2)
        XCTAssertThrowsError(try tape.gather(table, [0, 3])) { error in
            XCTAssertEqual(error as? EngineError, .indexOutOfRange(op: "gather", index: 3, position: 1, limit: 3))
            XCTAssertEqual("\(error)", "gather: index 3 at position 1 is outside [0, 3)")
        }
        XCTAssertThrowsError(try tape.softmaxCrossEntropy(table, labels: [0, 1, 2]))
    }

    func testNaNLossIsAnError() {
        let tape = Tape()
        let z = tape.constant([.nan, 0], rows: 1, cols: 2)
        XCTAssertThrowsError(try tape.softmaxCrossEntropy(z, labels: [0])) { error in
            guard case .nonFinite = error as? EngineError else { return XCTFail("\(error)") }
        }
        let inf = tape.constant([.infinity], rows: 1, cols: 1)
        XCTAssertThrowsError(try tape.meanSquaredError(inf, tape.constant([0], rows: 1, cols: 1)))
    }

    func testEvaluationTapeRefusesBackward() throws {
        let tape = Tape(recordsGradients: false)
        let w = Parameter(name: "w", rows: 1, cols: 1, fill: 2)
        let loss = try tape.sum(tape.parameter(w))
        XCTAssertEqual(tape.scalar(loss), 2)
        XCTAssertThrowsError(try tape.backward(loss))
    }

    func testMemoryIsFlatAcrossSteps() throws {
        // After the first step, every step reuses the same buffers.
        let tape = Tape()
        let w = Parameter(name: "w", rows: 8, cols: 4, fill: 0.1)
        func step() throws {
            tape.reset()
            let x = tape.constant([Float](repeating: 1, count: 16 * 8), rows: 16, cols: 8)
            let loss = try tape.mean(tape.relu(tape.matmul(x, tape.parameter(w))))
            _ = try tape.backward(loss)
        }
        try step()
        let held = tape.heldElements
        for _ in 0..<100 { try step() }
        XCTAssertEqual(tape.heldElements, held)
        XCTAssertGreaterThan(held, 0)
    }
}
