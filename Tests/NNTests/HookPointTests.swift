import Autograd
import NN
import Randomness
import XCTest

/// Hook names round-trip through `HookPoint`, and a forward pass records exactly the documented points.
final class HookPointTests: XCTestCase {
    func testNamesRoundTrip() {
        let points: [HookPoint] = [.embed, .pre(0), .post(3), .residPost(12), .logits(nil), .logits(2)]
        let names = [
            "hook_embed", "blocks.0.mlp.hook_pre", "blocks.3.mlp.hook_post", "blocks.12.hook_resid_post",
            "unembed.hook_out", "unembed.2.hook_out",
        ]
        XCTAssertEqual(points.map(\.name), names)
        XCTAssertEqual(names.map { HookPoint(name: $0) }, points)
    }

    func testMalformedNamesAreRejected() {
        for name in [
            "", "hook", "blocks.x.mlp.hook_pre", "blocks.-1.mlp.hook_post", "blocks.01.mlp.hook_pre",
            "blocks.0.mlp.hook_resid_post", "unembed..hook_out", "blocks.0.hook_post", "hook_embed.0",
        ] {
            XCTAssertNil(HookPoint(name: name), name)
        }
    }

    func testForwardRecordsResidPostOnlyInResidualModels() throws {
        for residual in [false, true] {
            var rng = SeededGenerator(seed: 0)
            let model = ToyModel(
                ModelSpec(
                    vocabularyA: 3, vocabularyB: 4, embedding: 4, hidden: [5, 5],
                    residual: residual, classes: [3, 2]), using: &rng)
            let pass = try model.forward(Tape(recordsGradients: false), a: [0, 2], b: [1, 3], hooks: true)
            var expected: [HookPoint] = [.embed]
            for l in 0..<2 { expected += [.pre(l), .post(l)] + (residual ? [.residPost(l)] : []) }
            expected += [.logits(0), .logits(1)]
            XCTAssertEqual(pass.hooks.map(\.point), expected, "residual \(residual)")
        }
    }

    /// Patching with the identity changes nothing (up to rounding); zeroing the last hook_post of a plain model leaves
    /// only the readout bias in the logits; every hook is visited, in forward order.
    func testActivationPatching() throws {
        for (residual, combine) in [(false, Combine.sum), (true, .concat)] {
            var rng = SeededGenerator(seed: 1)
            let model = ToyModel(
                ModelSpec(
                    vocabularyA: 6, vocabularyB: 5, embedding: 4, combine: combine, hidden: [7, 7], residual: residual,
                    classes: [3]), using: &rng)
            let (a, b): ([Int32], [Int32]) = ((0..<30).map { Int32($0 % 6) }, (0..<30).map { Int32($0 % 5) })
            let tape = Tape(recordsGradients: false)
            let plain = try model.forward(tape, a: a, b: b, hooks: true)
            var visited: [HookPoint] = []
            let same = try model.forward(tape, a: a[...], b: b[...]) { point, t in
                visited.append(point)
                return t
            }
            XCTAssertEqual(visited, plain.hooks.map(\.point))
            // Equal up to rounding: the unpatched pass may compute the first layer from the factored tables.
            for (x, y) in zip(tape.array(same.logits[0]), tape.array(plain.logits[0])) {
                XCTAssertEqual(x, y, accuracy: 1e-5)
            }
            guard !residual else { continue }
            let zeroed = try model.forward(tape, a: a[...], b: b[...]) { point, t in
                point == .post(1) ? tape.constant([Float](repeating: 0, count: t.count), rows: t.rows, cols: t.cols) : t
            }
            let bias = model.readouts[0].bias.values
            XCTAssertEqual(tape.array(zeroed.logits[0]), (0..<30).flatMap { _ in bias })
        }
    }
}
