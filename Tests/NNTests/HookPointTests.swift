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
}
