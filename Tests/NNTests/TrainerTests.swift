import Autograd
import NN
import Randomness
import XCTest

/// Steps that cut the batch into one shard per thread train the same model
/// as one-thread steps, and the trainer takes that path exactly when the
/// arithmetic it adds is within its budget.
final class TrainerTests: XCTestCase {
    private func grid(_ a: Int, _ b: Int) -> (a: [Int32], b: [Int32]) {
        ((0..<(a * b)).map { Int32($0 / b) }, (0..<(a * b)).map { Int32($0 % b) })
    }

    private func residualSpec(classes: [Int] = [3, 2]) -> ModelSpec {
        ModelSpec(
            vocabularyA: 30, vocabularyB: 30, embedding: 32, hidden: [128, 128],
            activation: .gelu_erf, residual: true, classes: classes)
    }

    private func steps(_ trainer: Trainer, rows: Range<Int>, count: Int, labels: [[Int32]]) throws -> [Float] {
        let (a, b) = grid(30, 30)
        return try (0..<count).map { _ in try trainer.step(a: a[rows], b: b[rows], labels: labels.map { $0[rows] }) }
    }

    func testBatchSplitStepsTrainLikeOneThread() throws {
        // Two facts, 301 rows (shards of 150 and 151), SGD so that parameters
        // move by exactly lr × gradient: after three steps they may differ
        // only by float32 reordering of the shard sums, far below 1e-5.
        let first: [Int32] = (0..<900).map { Int32(($0 * 7) % 3) }
        let second: [Int32] = (0..<900).map { Int32(($0 * 5) % 2) }
        let labels = [first, second]
        var models: [ToyModel] = []
        var losses: [[Float]] = []
        for threads in [1, 2] {
            var rng = SeededGenerator(seed: 9)
            let model = ToyModel(residualSpec(), using: &rng)
            let trainer = Trainer(model: model, optimizer: SGD(learningRate: 0.1), threads: threads)
            XCTAssertEqual(trainer.splitsBatch(301), threads == 2)
            losses.append(try steps(trainer, rows: 100..<401, count: 3, labels: labels))
            models.append(model)
        }
        for (serial, split) in zip(losses[0], losses[1]) { XCTAssertEqual(serial, split, accuracy: 1e-5 * serial) }
        XCTAssertNotEqual(losses[0][0], losses[0][2], "the steps trained")
        for (p, q) in zip(models[0].parameters, models[1].parameters) {
            let worst = zip(p.values, q.values).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-5, p.name)
        }
    }

    func testBatchIsSplitOnlyWhenTheAddedArithmeticIsWithinBudget() {
        func splits(_ spec: ModelSpec, batch: Int, threads: Int = 2) -> Bool {
            var rng = SeededGenerator(seed: 0)
            return Trainer(model: ToyModel(spec, using: &rng), optimizer: SGD(learningRate: 0.1), threads: threads)
                .splitsBatch(batch)
        }
        let wide = ModelSpec(vocabularyA: 100, vocabularyB: 100, embedding: 256, hidden: [2048], classes: [3])
        let residual = ModelSpec(
            vocabularyA: 100, vocabularyB: 100, embedding: 64, hidden: [256, 256],
            activation: .gelu_erf, residual: true, classes: [3])
        let small = ModelSpec(vocabularyA: 100, vocabularyB: 100, embedding: 64, hidden: [256], classes: [3])
        let medium = ModelSpec(vocabularyA: 100, vocabularyB: 100, embedding: 128, hidden: [512], classes: [3])
        // Shards of 512 and 256 rows > A + B would each repeat the 200-row factored
        // layer: 157M and 20M extra multiply-adds per thread.
        XCTAssertFalse(splits(wide, batch: 1024))
        XCTAssertFalse(splits(medium, batch: 512))
        // 128-row shards run the first layer directly: about 1.4M extra per thread.
        XCTAssertTrue(splits(residual, batch: 256))
        XCTAssertTrue(splits(small, batch: 256))
        XCTAssertFalse(splits(residual, batch: 256, threads: 1))
        XCTAssertFalse(splits(residual, batch: 40), "shards below 32 rows")
    }

    func testAnErrorInOneShardStopsTheStepBeforeTheUpdate() throws {
        var rng = SeededGenerator(seed: 1)
        let model = ToyModel(residualSpec(classes: [3, 2]), using: &rng)
        let trainer = Trainer(model: model, optimizer: SGD(learningRate: 0.1), threads: 2)
        var labels = [[Int32](repeating: 0, count: 900), [Int32](repeating: 1, count: 900)]
        labels[1][350] = 2  // fact 1 has 2 classes; row 350 lies in the second shard of 100..<401
        let before = model.parameters.map(\.values)
        XCTAssertThrowsError(try steps(trainer, rows: 100..<401, count: 1, labels: labels)) { error in
            // Position 250 of the batch (row 350 of the grid), not 100 of its shard.
            XCTAssertEqual(
                error as? EngineError,
                .indexOutOfRange(op: "softmaxCrossEntropy", index: 2, position: 250, limit: 2))
        }
        XCTAssertEqual(model.parameters.map(\.values), before, "nothing was updated")
    }
}
