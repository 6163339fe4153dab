import Analysis
import XCTest

final class MeasureTests: XCTestCase {
    func testSparsityByHand() {
        var s = SparsityAccumulator(width: 4)
        let values: [Float] = [
            1, 0, 0, 0,  // one-hot: Hoyer 1
            2, 2, 2, 2,  // uniform: Hoyer 0
            0, 0, 0, 0,
        ]  // all zero: skipped by Hoyer
        s.add(values, rows: 3)
        XCTAssertEqual(s.density, 5.0 / 12.0)
        XCTAssertEqual(s.deadNeurons, 0)
        XCTAssertEqual(s.hoyer!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(s.perNeuronDensity, [2.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3])
        var dead = SparsityAccumulator(width: 2)
        dead.add([-1, 3], rows: 1)
        XCTAssertEqual(dead.deadNeurons, 1)
        XCTAssertEqual(dead.isDead, [true, false])
    }

    func testEffectiveDimensionOfRankOneAndIsotropicData() throws {
        // Rows along one direction: dimension 1. Rows ±e_i over 4 axes equally: dimension 4.
        let line: [Float] = (0..<50).flatMap { i -> [Float] in
            let t = Float(i) - 25; return [t, 2 * t, -t]
        }
        XCTAssertEqual(try EffectiveDimension.of(line, rows: 50, width: 3)!, 1, accuracy: 1e-4)
        var axes: [Float] = []
        for i in 0..<4 {
            for sign in [Float(1), -1] { var r = [Float](repeating: 0, count: 4); r[i] = sign; axes += r }
        }
        XCTAssertEqual(try EffectiveDimension.of(axes, rows: 8, width: 4)!, 4, accuracy: 1e-4)
    }

    func testProbeFindsALinearFeatureAndNotARandomOne() throws {
        // 2-D points; label = sign of x₀ (linear) vs a random label.
        var state: UInt64 = 1
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1; return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        let n = 800
        let x = (0..<(2 * n)).map { _ in uniform() }
        let linear = (0..<n).map { Int32(x[2 * $0] > 0 ? 1 : 0) }
        let random = (0..<n).map { _ in Int32(uniform() > 0 ? 1 : 0) }
        let half = n / 2
        func score(_ y: [Int32]) throws -> Double {
            try LinearProbe.fitAndScore(
                train: Array(x[0..<(2 * half)]), trainLabels: Array(y[0..<half]),
                test: Array(x[(2 * half)...]), testLabels: Array(y[half...]), width: 2, classes: 2)
        }
        XCTAssertGreaterThan(try score(linear), 0.97)
        // 400 test points, p = ½: sd 0.025; a probe cannot beat chance by 4 sd on noise.
        XCTAssertEqual(try score(random), 0.5, accuracy: 0.1)
    }
}
