import Analysis
import Autograd
import NN
import Randomness
import Tasks
import XCTest

/// The decompositions checked against their definitions on tiny models with hand-built weights.
final class HandBuiltModelTests: XCTestCase {
    private func model(_ spec: ModelSpec, seed: UInt64 = 1) -> ToyModel {
        var rng = SeededGenerator(seed: seed)
        return ToyModel(spec, using: &rng)
    }

    private func shares(_ model: ToyModel, hook: HookPoint) throws -> [Double?] {
        let (a, b) = HookPass.grid(model.spec.vocabularyA, model.spec.vocabularyB)
        var acc: InteractionAccumulator?
        try HookPass.run(model, a: a, b: b, threads: 1) { chunk in
            let h = chunk.hooks.first { $0.point == hook }!
            if acc == nil {
                acc = InteractionAccumulator(
                    vocabularyA: model.spec.vocabularyA, vocabularyB: model.spec.vocabularyB, width: h.width)
            }
            acc!.add(
                h.values, a: a[chunk.offset..<(chunk.offset + chunk.count)],
                b: b[chunk.offset..<(chunk.offset + chunk.count)])
        }
        return acc!.shares()
    }

    /// One neuron relu(δ[a = 3] + δ[b = 7] − 1) = δ[a = 3]·δ[b = 7] on a 20 × 20 grid.
    private func andNeuron(_ combine: Combine) -> ToyModel {
        let m = model(
            ModelSpec(
                vocabularyA: 20, vocabularyB: 20, embedding: combine == .sum ? 2 : 1, combine: combine,
                hidden: [1], classes: [2]))
        let wa = m.parameter(named: "embed.W_a")!, wb = m.parameter(named: "embed.W_b")!
        wa.values = [Float](repeating: 0, count: wa.count)
        wb.values = [Float](repeating: 0, count: wb.count)
        wa[3, 0] = 1
        wb[7, combine == .sum ? 1 : 0] = 1
        m.parameter(named: "blocks.0.mlp.W_in")!.values = [1, 1]
        m.parameter(named: "blocks.0.mlp.b_in")!.values = [-1]
        return m
    }

    func testANDNeuronInteractionShareIsTheIndicatorFormula() throws {
        // T = indicator of one cell: ‖I‖² / ‖T − μ‖² = (A − 1)(B − 1) / (AB − 1) = 361/399.
        for combine in Combine.allCases {
            let m = andNeuron(combine)
            XCTAssertEqual(try shares(m, hook: .post(0))[0]!, 361.0 / 399.0, accuracy: 1e-9, "\(combine)")
            XCTAssertEqual(try shares(m, hook: .pre(0))[0]!, 0, accuracy: 1e-12, "\(combine): pre is additive")
        }
    }

    func testAdditiveNeuronHasNoInteraction() throws {
        // relu(W_a[a] + W_b[b] + 5) with entries in [0, 1): always positive, so still additive.
        let m = model(ModelSpec(vocabularyA: 9, vocabularyB: 11, embedding: 1, hidden: [1], classes: [2]))
        var rng = SeededGenerator(seed: 3)
        for name in ["embed.W_a", "embed.W_b"] {
            let p = m.parameter(named: name)!
            p.values = (0..<p.count).map { _ in rng.nextUniform() }
        }
        m.parameter(named: "blocks.0.mlp.W_in")!.values = [1]
        m.parameter(named: "blocks.0.mlp.b_in")!.values = [5]
        XCTAssertLessThan(try shares(m, hook: .post(0))[0]!, 1e-10)
    }

    func testLayerZeroPreactivationInteractionIsZeroForSumAndConcat() throws {
        for combine in Combine.allCases {
            for residual in [false, true] {
                let m = model(
                    ModelSpec(
                        vocabularyA: 13, vocabularyB: 17, embedding: 6, combine: combine, hidden: [8, 8],
                        activation: .gelu, residual: residual, classes: [3]), seed: 9)
                let pre = try shares(m, hook: .pre(0)).compactMap { $0 }
                XCTAssertEqual(pre.count, 8)
                // Float32 rounding of an exactly additive table: a share of order 1e-14.
                XCTAssertLessThan(pre.max()!, 1e-9, "\(combine) residual \(residual)")
                let post = try shares(m, hook: .post(0)).compactMap { $0 }
                XCTAssertGreaterThan(median(post)!, 1e-4, "the non-linearity creates interaction")
            }
        }
    }

    func testLogitsAreExactlyTheSumOfLookupTables() throws {
        for (residual, hidden) in [(false, [7]), (false, [6, 5]), (true, [6, 5])] {
            let m = model(
                ModelSpec(
                    vocabularyA: 6, vocabularyB: 7, embedding: 4, hidden: hidden, residual: residual, classes: [3]),
                seed: 4)
            let data = try Dataset(
                TaskSpec(kind: .pure, domainA: 6, domainB: 7, heldoutFraction: 0, classes: 3), seed: 0)
            let lookup = try TrainedSample(m, data: data, settings: AnalysisSettings()).decomposition
            XCTAssertLessThan(lookup.reconstructionMaxError, 1e-5, "residual \(residual) hidden \(hidden)")
            XCTAssertEqual(lookup.entities, 42)
            XCTAssertEqual(lookup.components, residual ? hidden.reduce(0, +) : hidden.last!)
            // k90 = 0 only for an entity with no contribution at all (every neuron silent).
            for (k, pr) in zip(lookup.k90, lookup.participationRatio) {
                XCTAssertTrue(pr == 0 ? k == 0 : (1...(lookup.components + 1)).contains(k))
                XCTAssertLessThanOrEqual(pr, Double(lookup.components + 1) + 1e-9)
            }
        }
    }

    func testK90AndParticipationRatioByHand() throws {
        // Plain model, 4 hidden neurons all equal to 1 (relu(0·x + 1)); W_U rows give margins.
        let m = model(ModelSpec(vocabularyA: 2, vocabularyB: 2, embedding: 1, hidden: [4], classes: [2]))
        m.parameter(named: "blocks.0.mlp.W_in")!.values = [0, 0, 0, 0]
        m.parameter(named: "blocks.0.mlp.b_in")!.values = [1, 1, 1, 1]
        m.parameter(named: "unembed.b_U")!.values = [0, 0]
        let data = try Dataset(TaskSpec(kind: .pure, domainA: 2, domainB: 2, heldoutFraction: 0, classes: 2), seed: 0)
        func decomposition(_ wU: [Float]) throws -> LookupDecomposition {
            m.parameter(named: "unembed.W_U")!.values = wU
            return try TrainedSample(m, data: data, settings: AnalysisSettings()).decomposition
        }
        // Equal margins ±1 for every neuron: |K| = 1 each → PR = 4, k90 = 4 (3 hold only 75%).
        let equal = try decomposition([1, -1, 1, -1, 1, -1, 1, -1].map { $0 / 2 })
        XCTAssertEqual(equal.participationRatio, [4, 4, 4, 4])
        XCTAssertEqual(equal.k90, [4, 4, 4, 4])
        // One neuron with margin 10, three with 0.1: k90 = 1, PR = (10.3)² / (100.03).
        let dominant = try decomposition([5, -5, 0.05, -0.05, 0.05, -0.05, 0.05, -0.05])
        XCTAssertEqual(dominant.k90, [1, 1, 1, 1])
        XCTAssertEqual(dominant.participationRatio[0], 10.3 * 10.3 / 100.03, accuracy: 1e-4)
        XCTAssertEqual(dominant.k90Membership, [1, 0, 0, 0])
    }

    func testHashScoreIsZeroForAdditiveHooksAndHigherAfterTheNonlinearity() throws {
        let m = model(ModelSpec(vocabularyA: 30, vocabularyB: 30, embedding: 16, hidden: [64], classes: [3]), seed: 2)
        let scores = try HashScore.scores(m, seed: 0, threads: 1)
        XCTAssertLessThan(scores[.embed]!, 1e-6)
        XCTAssertLessThan(scores[.pre(0)]!, 1e-6)
        XCTAssertGreaterThan(scores[.post(0)]!, 0.1)
        XCTAssertLessThan(scores[.post(0)]!, 1.2)
        let shuffled = try HashScore.scores(HashScore.shuffled(m, seed: 0), seed: 0, threads: 1)
        XCTAssertLessThan(shuffled[.embed]!, 1e-6, "shuffled embeddings are still added")
    }

    func testAblationCurvesEndpoints() throws {
        let m = model(ModelSpec(vocabularyA: 8, vocabularyB: 8, embedding: 8, hidden: [32], classes: [3]), seed: 6)
        let data = try Dataset(TaskSpec(kind: .pure, domainA: 8, domainB: 8, heldoutFraction: 0, classes: 3), seed: 0)
        let sample = try TrainedSample(m, data: data, settings: AnalysisSettings())
        let curves = try XCTUnwrap(sample.ablation(seed: 0)).curves
        XCTAssertEqual(curves.kept.first, 0)
        XCTAssertEqual(curves.kept.last, 32)
        let full = try Evaluation.scores(m, data, entities: data.trainIndices, threads: 1)[0].accuracy
        XCTAssertEqual(curves.importanceOrder.last!, full, accuracy: 1e-12)
        XCTAssertEqual(curves.randomOrder.last!, full, accuracy: 1e-12)
        XCTAssertEqual(
            curves.importanceOrder.first!, curves.randomOrder.first!, accuracy: 1e-12,
            "all ablated: same constant logits")
    }
}
