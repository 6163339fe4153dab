import Autograd
import NN
import Randomness
import XCTest

final class ModelTests: XCTestCase {
    private func grid(_ a: Int, _ b: Int) -> (a: [Int32], b: [Int32]) {
        ((0..<(a * b)).map { Int32($0 / b) }, (0..<(a * b)).map { Int32($0 % b) })
    }

    private func accuracy(_ model: ToyModel, _ a: [Int32], _ b: [Int32], _ y: [Int32]) throws -> Double {
        let tape = Tape(recordsGradients: false)
        let logits = try model.forward(tape, a: a, b: b).logits[0]
        let v = tape.values(of: logits), c = logits.cols
        var correct = 0
        for r in 0..<logits.rows {
            let row = Array(v[(r * c)..<(r * c + c)])
            if row.firstIndex(of: row.max()!) == Int(y[r]) { correct += 1 }
        }
        return Double(correct) / Double(y.count)
    }

    private func train(_ model: ToyModel, _ a: [Int32], _ b: [Int32], _ y: [Int32], steps: Int, lr: Float) throws {
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: lr, decoupled: true))
        for _ in 0..<steps { try trainer.step(a: a[...], b: b[...], labels: [y[...]]) }
    }

    func testParameterNamesFollowTransformerLens() {
        var rng = SeededGenerator(seed: 0)
        let spec = ModelSpec(
            vocabularyA: 5, vocabularyB: 6, embedding: 4, hidden: [8, 8], residual: true, classes: [3])
        let model = ToyModel(spec, using: &rng)
        XCTAssertEqual(
            model.parameters.map(\.name),
            [
                "embed.W_a", "embed.W_b",
                "blocks.0.mlp.W_in", "blocks.0.mlp.b_in", "blocks.0.mlp.W_out", "blocks.0.mlp.b_out",
                "blocks.1.mlp.W_in", "blocks.1.mlp.b_in", "blocks.1.mlp.W_out", "blocks.1.mlp.b_out",
                "unembed.W_U", "unembed.b_U",
            ])
        XCTAssertEqual(model.parameter(named: "blocks.0.mlp.W_in")?.shape, [4, 8])
        XCTAssertEqual(model.parameter(named: "unembed.W_U")?.shape, [4, 3])
        XCTAssertEqual(model.parameterCount, 5 * 4 + 6 * 4 + 2 * (4 * 8 + 8 + 8 * 4 + 4) + 4 * 3 + 3)
        XCTAssertEqual(model.embeddingParameterCount, 44)
    }

    /// The layout that run directories are checked against, and the memory estimate counts, is the
    /// model's own, for every architecture.
    func testParameterLayoutIsTheModelsParameters() {
        for (residual, combine, classes) in [
            (false, Combine.sum, [3]), (true, .concat, [2, 5]), (false, .concat, [4]),
        ] {
            var rng = SeededGenerator(seed: 0)
            let spec = ModelSpec(
                vocabularyA: 5, vocabularyB: 6, embedding: 4, combine: combine, hidden: [8, 7], residual: residual,
                classes: classes)
            let model = ToyModel(spec, using: &rng)
            XCTAssertEqual(spec.parameterLayout.map(\.name), model.parameters.map(\.name))
            XCTAssertEqual(
                spec.parameterLayout.map(\.shape),
                model.parameters.map { $0.rows == 1 && $0.name.contains(".b_") ? [$0.cols] : $0.shape })
            let counts = spec.parameterCounts
            XCTAssertEqual(counts.embedding, Double(model.embeddingParameterCount))
            XCTAssertEqual(counts.embedding + counts.blocks + counts.readouts, Double(model.parameterCount))
        }
    }

    func testSameSeedSameWeightsDifferentSeedDifferentWeights() {
        let spec = ModelSpec(vocabularyA: 4, vocabularyB: 4, embedding: 3, hidden: [5], classes: [2])
        var r1 = SeededGenerator(seed: 7), r2 = SeededGenerator(seed: 7), r3 = SeededGenerator(seed: 8)
        let m1 = ToyModel(spec, using: &r1), m2 = ToyModel(spec, using: &r2), m3 = ToyModel(spec, using: &r3)
        XCTAssertEqual(m1.parameters.map(\.values), m2.parameters.map(\.values))
        XCTAssertNotEqual(m1.parameters.map(\.values), m3.parameters.map(\.values))
    }

    func testInitialisationBoundsMatchPyTorchDefaults() {
        var rng = SeededGenerator(seed: 3)
        let model = ToyModel(
            ModelSpec(vocabularyA: 50, vocabularyB: 50, embedding: 64, hidden: [100], classes: [3]),
            using: &rng)
        let w = model.parameter(named: "blocks.0.mlp.W_in")!.values
        XCTAssertLessThanOrEqual(w.map(abs).max()!, 1 / 8)  // U(−1/√64, 1/√64)
        XCTAssertGreaterThan(w.map(abs).max()!, 0.12)
        let e = model.parameter(named: "embed.W_a")!.values.map(Double.init)
        let mean = e.reduce(0, +) / Double(e.count)
        let variance = e.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(e.count)
        // 3,200 N(0,1) draws: the sample variance has standard error √(2/3200) ≈ 0.025.
        XCTAssertEqual(variance, 1, accuracy: 0.1)
        XCTAssertEqual(mean, 0, accuracy: 0.07)
    }

    func testFactoredFirstLayerComputesTheSameFunction() throws {
        var rng = SeededGenerator(seed: 1)
        let model = ToyModel(
            ModelSpec(vocabularyA: 3, vocabularyB: 4, embedding: 5, hidden: [6], classes: [2]),
            using: &rng)
        let (a, b) = grid(3, 4)  // 12 rows > 3 + 4: factored
        XCTAssertTrue(model.usesFactoredFirstLayer(batch: a.count))
        let tape = Tape(recordsGradients: false)
        let whole = tape.array(try model.forward(tape, a: a, b: b).logits[0])
        var rowByRow: [Float] = []
        for i in a.indices {  // batch of 1: direct path
            XCTAssertFalse(model.usesFactoredFirstLayer(batch: 1))
            rowByRow += tape.array(try model.forward(tape, a: [a[i]], b: [b[i]]).logits[0])
        }
        for (x, y) in zip(whole, rowByRow) { XCTAssertEqual(x, y, accuracy: 1e-5) }
    }

    func testTwoThreadsGiveTheSingleThreadedLossAndGradients() throws {
        // 900 rows × hidden 128: every product, elementwise pass and column
        // sum is big enough to be split. The serial path is the one checked
        // against finite differences above; only float32 reordering in the
        // split products may differ, far below 1e-5 of the largest gradient.
        let (a, b) = grid(30, 30)
        let labels = (0..<900).map { Int32(($0 * 7) % 3) }
        for (activation, residual) in [(Activation.gelu, true), (.gelu_erf, true), (.relu, false)] {
            let spec = ModelSpec(
                vocabularyA: 30, vocabularyB: 30, embedding: 32, hidden: [128, 128],
                activation: activation, residual: residual, classes: [3])
            var rng = SeededGenerator(seed: 4)
            let model = ToyModel(spec, using: &rng)
            func lossAndGradients(threads: Int) throws -> (Float, [[Float]]) {
                let tape = Tape(threads: threads)
                let logits = try model.forward(tape, a: a, b: b).logits[0]
                let loss = try labels.withUnsafeBufferPointer { try tape.softmaxCrossEntropy(logits, labels: $0) }
                let grads = try tape.backward(loss)
                return (tape.scalar(loss), model.parameters.map { grads.array($0) })
            }
            let (serialLoss, serial) = try lossAndGradients(threads: 1)
            let (splitLoss, split) = try lossAndGradients(threads: 2)
            XCTAssertEqual(serialLoss, splitLoss, accuracy: 1e-6, "\(activation)")
            let scale = serial.joined().map(abs).max() ?? 0
            XCTAssertGreaterThan(scale, 0)
            for (p, (s, t)) in zip(model.parameters, zip(serial, split)) {
                let worst = zip(s, t).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(activation) \(p.name)")
            }
        }
    }

    func testWholeModelGradientsMatchFiniteDifferences() throws {
        let specs = [
            ModelSpec(
                vocabularyA: 3, vocabularyB: 4, embedding: 3, combine: .sum, hidden: [5], activation: .gelu,
                classes: [3]),
            ModelSpec(
                vocabularyA: 3, vocabularyB: 4, embedding: 3, combine: .concat, hidden: [5, 4],
                activation: .gelu_erf, classes: [3, 2]),
            ModelSpec(
                vocabularyA: 3, vocabularyB: 4, embedding: 3, hidden: [5, 5], activation: .gelu,
                residual: true, classes: [3]),
        ]
        let (a, b) = grid(3, 4)
        for spec in specs {
            var rng = SeededGenerator(seed: 5)
            let model = ToyModel(spec, using: &rng)
            let labels = spec.classes.map { c in a.indices.map { Int32(($0 * 7 + 3) % c) } }
            let tape = Tape()
            func loss() throws -> Tensor {
                tape.reset()
                let pass = try model.forward(tape, a: a, b: b)
                var total = try tape.softmaxCrossEntropy(pass.logits[0], labels: labels[0])
                for f in 1..<spec.classes.count {
                    total = try tape.add(total, tape.softmaxCrossEntropy(pass.logits[f], labels: labels[f]))
                }
                return total
            }
            let grads = try tape.backward(loss())
            let analytic = model.parameters.map { grads.array($0) }
            for (i, p) in model.parameters.enumerated() {
                for j in stride(from: 0, to: p.count, by: 3) {
                    let saved = p.value[j]
                    // Float forward, so a wide step: h = 1e-2 keeps rounding ≈ 1e-5 while
                    // the curvature error h²·f''' stays below ≈ 1e-4.
                    p.value[j] = saved + 1e-2
                    let plus = Double(tape.scalar(try loss()))
                    p.value[j] = saved - 1e-2
                    let minus = Double(tape.scalar(try loss()))
                    p.value[j] = saved
                    let numeric = (plus - minus) / 2e-2
                    XCTAssertEqual(
                        Double(analytic[i][j]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric),
                        "\(p.name)[\(j)] in \(spec.combine) residual=\(spec.residual)")
                }
            }
        }
    }

    func testLearnsXOR() throws {
        var rng = SeededGenerator(seed: 0)
        let model = ToyModel(
            ModelSpec(vocabularyA: 2, vocabularyB: 2, embedding: 4, hidden: [8], classes: [2]),
            using: &rng)
        let a: [Int32] = [0, 0, 1, 1], b: [Int32] = [0, 1, 0, 1], y: [Int32] = [0, 1, 1, 0]
        XCTAssertLessThan(try accuracy(model, a, b, y), 1)
        try train(model, a, b, y, steps: 300, lr: 0.05)
        XCTAssertEqual(try accuracy(model, a, b, y), 1)
    }

    func testMemorisesSixtyFourRandomPairs() throws {
        var rng = SeededGenerator(seed: 11)
        let (a, b) = grid(8, 8)
        let y = a.indices.map { _ in Int32.random(in: 0..<2, using: &rng) }
        let model = ToyModel(
            ModelSpec(vocabularyA: 8, vocabularyB: 8, embedding: 16, hidden: [64], classes: [2]),
            using: &rng)
        XCTAssertLessThan(try accuracy(model, a, b, y), 0.9)
        try train(model, a, b, y, steps: 400, lr: 0.02)
        XCTAssertEqual(try accuracy(model, a, b, y), 1)
    }

    func testNonFiniteLossStopsTrainingBeforeTheUpdate() throws {
        var rng = SeededGenerator(seed: 0)
        let model = ToyModel(
            ModelSpec(vocabularyA: 2, vocabularyB: 2, embedding: 2, hidden: [2], classes: [2]),
            using: &rng)
        model.parameter(named: "unembed.b_U")!.values = [.nan, 0]
        let before = model.parameters.map(\.values)
        let trainer = Trainer(model: model, optimizer: Adam())
        let a: [Int32] = [0, 1], y: [Int32] = [0, 1]
        XCTAssertThrowsError(try trainer.step(a: a[...], b: a[...], labels: [y[...]])) { error in
            XCTAssertTrue("\(error)".contains("non-finite"), "\(error)")
        }
        let after = model.parameters.map(\.values)
        XCTAssertEqual(after.count, before.count)
        XCTAssertEqual(after[0], before[0])  // nothing was updated
    }
}
