import Analysis
import NN
import Randomness
import Tasks
import XCTest

/// The bagging picture on hand-built votes with a known answer.
final class BaggingTests: XCTestCase {
    /// K as [n, m]: neuron j silent w.p. 1 − v, else right (+1) w.p. p[j], wrong (−1) otherwise.
    private func votes(n: Int, accuracies p: [Double], rate v: Double, shared: Bool = false) -> [Double] {
        var rng = SeededGenerator(seed: 7)
        var k = [Double](repeating: 0, count: n * p.count)
        for e in 0..<n {
            let common = Double.random(in: 0..<1, using: &rng), silent = Double.random(in: 0..<1, using: &rng)
            for j in p.indices {
                let u = shared ? common : Double.random(in: 0..<1, using: &rng)
                let quiet = shared ? silent : Double.random(in: 0..<1, using: &rng)
                k[e * p.count + j] = quiet >= v ? 0 : u < p[j] ? 1 : -1
            }
        }
        return k
    }

    func testIndependentNoisyNeuronsMatchTheExactCurve() {
        let n = 20_000, p = (0..<15).map { 0.55 + 0.01 * Double($0) }
        let bag = BaggingPicture(
            margins: votes(n: n, accuracies: p, rate: 0.8), entities: n, neurons: p.count,
            order: Array(p.indices.reversed()))
        // Each curve point is a proportion over n entities: standard error ≤ √(1/4n) ≈ 0.0035.
        let tolerance = 4 * (0.25 / Double(n)).squareRoot()
        XCTAssertEqual(bag.kept, [1, 2, 4, 8, 15])
        for (observed, exact) in zip(bag.voteCurve, bag.independentCurve) {
            XCTAssertEqual(observed, exact, accuracy: tolerance)
        }
        XCTAssertGreaterThan(
            bag.independentCurve.last!, bag.independentCurve.first! + 0.1, "majorities of weak voters gain")
        for j in p.indices {
            XCTAssertEqual(bag.voteRate[j], 0.8, accuracy: 4 * (0.16 / Double(n)).squareRoot())
            XCTAssertEqual(bag.voteAccuracy[j]!, p[j], accuracy: 4 * (0.25 / (0.8 * Double(n))).squareRoot())
        }
        // Correlations of independent indicators are N(0, 1/n) each; their mean over 105 pairs is tighter still.
        let mean = bag.errorCorrelations.reduce(0, +) / Double(bag.errorCorrelations.count)
        XCTAssertEqual(bag.errorCorrelations.count, 105)
        XCTAssertEqual(mean, 0, accuracy: 4 / Double(n).squareRoot())
    }

    func testIdenticalNeuronsAreCorrelatedAndGainNothingFromVoting() {
        let n = 5000, p = [Double](repeating: 0.6, count: 9)
        let bag = BaggingPicture(
            margins: votes(n: n, accuracies: p, rate: 1, shared: true), entities: n, neurons: 9, order: Array(0..<9))
        XCTAssertTrue(bag.errorCorrelations.allSatisfy { abs($0 - 1) < 1e-12 })
        XCTAssertEqual(bag.voteCurve.last!, bag.voteCurve.first!, accuracy: 1e-12, "copies vote as one")
        XCTAssertGreaterThan(bag.independentCurve.last! - bag.voteCurve.last!, 0.1)
    }

    func testExactCurveByHand() {
        // Two sure voters with accuracies p1, p2:
        // P(S > 0) + P(S = 0)/2 = p1·p2 + (p1(1−p2) + p2(1−p1))/2 = (p1 + p2)/2.
        let k: [Double] = [1, 1, 2, -1, 3, 1, 1, -2]  // 4 entities × 2 neurons: p1 = 1, p2 = 1/2
        let bag = BaggingPicture(margins: k, entities: 4, neurons: 2, order: [0, 1])
        XCTAssertEqual(bag.kept, [1, 2])
        XCTAssertEqual(bag.independentCurve, [1, 0.75])
        XCTAssertEqual(bag.voteCurve, [1, 0.75], "votes 2, 0, 2, 0")
        XCTAssertEqual(bag.voteAccuracy.map { $0! }, [1, 0.5])
        XCTAssertEqual(BaggingPicture.checkpoints(4), [1, 2, 4])
        XCTAssertEqual(BaggingPicture.checkpoints(1), [1])
        XCTAssertEqual(BaggingPicture.checkpoints(0), [])
    }

    func testSummedReadoutOfAllNeuronsIsTheModel() throws {
        var rng = SeededGenerator(seed: 3)
        let model = ToyModel(
            ModelSpec(vocabularyA: 12, vocabularyB: 12, embedding: 8, hidden: [16], classes: [3]), using: &rng)
        let data = try Dataset(TaskSpec(kind: .pure, domainA: 12, domainB: 12, heldoutFraction: 0, classes: 3), seed: 0)
        let sample = try TrainedSample(model, data: data, settings: AnalysisSettings())
        let (layer, bag, sumAccuracy) = try XCTUnwrap(sample.bagging())
        XCTAssertEqual(layer, 0)
        XCTAssertEqual(bag.kept.last, 16)
        let full = try Evaluation.scores(model, data, entities: data.trainIndices, threads: 1)[0].accuracy
        XCTAssertEqual(sumAccuracy.last!, full, accuracy: 1e-12)
    }
}
