import Experiment
import Foundation
import RunStore
import XCTest

/// The `sae` analysis end to end: SAELens's files and shapes, metrics in their ranges, opt-in only.
final class SAECommandTests: ScratchTestCase {
    func testSAEFilesFollowSAELensAndMetricsAreInRange() throws {
        let out = scratch.appendingPathComponent("sae")
        let r = try Toymem.run([
            "run", "configs/pure.json", #"task.domain={"a": 30, "b": 30}"#, "model.hidden=[32]", "train.steps=600",
            #"analyses=["sae"]"#, "sae.steps=400", "sae.expansion_factor=2", "--out", out.path, "--quiet",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let directory = out.appendingPathComponent("analysis/sae/blocks.0.mlp.hook_post")
        let weights = try SafeTensors(
            decoding: Data(contentsOf: directory.appendingPathComponent("sae_weights.safetensors")))
        XCTAssertEqual(weights.entry("W_enc")?.shape, [32, 64])
        XCTAssertEqual(weights.entry("b_enc")?.shape, [64])
        XCTAssertEqual(weights.entry("W_dec")?.shape, [64, 32])
        XCTAssertEqual(weights.entry("b_dec")?.shape, [32])
        let sparsity = try SafeTensors(
            decoding: Data(contentsOf: directory.appendingPathComponent("sparsity.safetensors")))
        XCTAssertEqual(sparsity.entry("sparsity")?.shape, [64])
        XCTAssertTrue(sparsity.floats("sparsity")!.allSatisfy { $0 <= 0 && $0 >= -10 }, "log10(density + 1e-10)")
        let cfg = try Toymem.json(directory.appendingPathComponent("cfg.json"))
        XCTAssertEqual(cfg["d_in"], .int(32))
        XCTAssertEqual(cfg["d_sae"], .int(64))
        XCTAssertEqual(cfg["hook_name"], .string("blocks.0.mlp.hook_post"))
        let s = try Toymem.json(out.appendingPathComponent("analysis/summary.json"))["sae"]!
        let l0 = s["l0"]!.doubleValue!, ev = s["explained_variance"]!.doubleValue!
        XCTAssertTrue(l0 > 0 && l0 <= 64, "L0 \(l0)")
        XCTAssertTrue(ev > 0 && ev <= 1, "explained variance \(ev)")
        XCTAssertEqual(s["rows"], .int(720), "trained entities of a 30 × 30 grid with 20% held out")
        let census = (s["census"]?.objectPairs ?? []).compactMap(\.value.intValue).reduce(0, +)
        XCTAssertEqual(census + s["dead"]!.intValue!, 64, "every feature is counted once, or dead")
        // Weights and sparsity agree with each other: W_dec's rows have unit norm.
        let dec = weights.floats("W_dec")!
        for i in 0..<64 {
            XCTAssertEqual((0..<32).map { dec[i * 32 + $0] * dec[i * 32 + $0] }.reduce(0, +), 1, accuracy: 1e-4)
        }
    }

    func testAllDoesNotSelectTheSAEAndABadHookIsRefused() throws {
        let out = scratch.appendingPathComponent("all")
        let r = try Toymem.run([
            "run", "configs/pure.json", #"task.domain={"a": 20, "b": 20}"#, "train.steps=50", #"analyses=["all"]"#,
            "--out", out.path, "--quiet",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Toymem.json(out.appendingPathComponent("analysis/summary.json"))["sae"], .null)
        let bad = try Toymem.run(["analyze", out.path, "--only", "sae", "--hook", "blocks.3.mlp.hook_post"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("sae.hook: no hook 'blocks.3.mlp.hook_post'"), bad.stderr)
        XCTAssertEqual(try Toymem.json(out.appendingPathComponent("analysis/summary.json"))["sae"], .null)
        let config = try write("c.json", #"{"analyses": ["sae"], "sae": {"hook": "blocks.0.hook_resid_post"}}"#)
        let v = try Toymem.run(["validate", config])
        XCTAssertEqual(v.status, 2)
        XCTAssertTrue(v.stderr.contains("sae.hook"), v.stderr)
    }
}
