import RunStore
import Experiment
import Foundation
import NN
import XCTest

/// `toymem analyze` and the analyses' science on the example configs.
final class AnalyzeCommandTests: ScratchTestCase {
    private func analysed(_ config: String, _ overrides: [String] = []) throws -> (JSONValue, URL) {
        let out = scratch.appendingPathComponent(config)
        let r = try Toymem.run(
            ["run", "configs/\(config).json", #"analyses=["all"]"#] + overrides + ["--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try Toymem.json(out.appendingPathComponent("analysis/summary.json")), out)
    }

    private func labelProbe(_ s: JSONValue, hook: String = "blocks.0.mlp.hook_post", regime: String) -> (Double, Double)
    {
        guard case let .array(probes)? = s["probes"],
            let p = probes.first(where: {
                $0["hook"] == .string(hook) && $0["feature"] == .string("label") && $0["regime"] == .string(regime)
            })
        else { XCTFail("no probe for \(hook)"); return (.nan, .nan) }
        return (p["accuracy"]!.doubleValue!, p["base_rate"]!.doubleValue!)
    }

    func testPureMemorisationLeavesNoGeneralisingLabelFeature() throws {
        let (s, out) = try analysed("pure")
        // 1,500 held-out test entities, p ≈ 1/3: sd ≈ 0.012 per seed; allow 4 sd.
        for hook in ["hook_embed", "blocks.0.mlp.hook_post"] {
            let (accuracy, base) = labelProbe(s, hook: hook, regime: "heldout")
            XCTAssertEqual(accuracy, base, accuracy: 0.05, hook)
        }
        XCTAssertLessThan(s["lookup"]!["reconstruction_max_error"]!.doubleValue!, 1e-4)
        XCTAssertLessThan(s["hooks"]!["blocks.0.mlp.hook_pre"]!["interaction_share_median"]!.doubleValue!, 1e-9)
        XCTAssertLessThan(s["hooks"]!["hook_embed"]!["hash_score"]!.doubleValue!, 1e-6)
        for name in ["neurons.csv", "tables.safetensors"] {
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: out.appendingPathComponent("analysis/\(name)").path), name)
        }
        let csv = try String(contentsOf: out.appendingPathComponent("analysis/neurons.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + 256)
        XCTAssertEqual(try Toymem.json(out.appendingPathComponent("meta.json"))["status"], .string("completed"))
    }

    func testRulesOfThumbAndGeneralisingRulesAreFoundByProbes() throws {
        let (rule, _) = try analysed("rule_of_thumb")
        let (ruleAccuracy, ruleBase) = labelProbe(rule, regime: "heldout")
        XCTAssertGreaterThan(ruleAccuracy, ruleBase + 0.2)
        let (general, _) = try analysed("generalising")
        let (generalAccuracy, generalBase) = labelProbe(general, regime: "heldout")
        XCTAssertGreaterThan(generalAccuracy, 0.9)
        XCTAssertGreaterThan(generalAccuracy, generalBase + 0.3)
    }

    func testAnalyzeRecomputesACompletedRunAndRefusesOthers() throws {
        let out = scratch.appendingPathComponent("run")
        XCTAssertEqual(
            try Toymem.run(["run", "configs/pure.json", "train.steps=50", "--out", out.path, "--quiet"]).status, 0)
        let ok = try Toymem.run(["analyze", out.path, "--only", "lookup", "capacity"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let s = try Toymem.json(out.appendingPathComponent("analysis/summary.json"))
        XCTAssertNotNil(s["lookup"]?["k90_median"]?.doubleValue)
        XCTAssertEqual(s["probes"], .null, "an instrument that did not run keeps its key, as null")
        XCTAssertEqual(s["hooks"]?[HookPoint.post(0).name]?["hash_score"], .null)

        var meta = try String(contentsOf: out.appendingPathComponent("meta.json"), encoding: .utf8)
        meta = meta.replacingOccurrences(of: "\"completed\"", with: "\"running\"")
        try meta.write(to: out.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        let running = try Toymem.run(["analyze", out.path])
        XCTAssertEqual(running.status, 2)
        XCTAssertTrue(running.stderr.contains("the run is not completed (status running)"), running.stderr)

        try meta.replacingOccurrences(of: "\"running\"", with: "\"completed\"")
            .write(to: out.appendingPathComponent("meta.json"), atomically: true, encoding: .utf8)
        let model = out.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: model)
        try bytes.prefix(bytes.count / 2).write(to: model)
        let damaged = try Toymem.run(["analyze", out.path])
        XCTAssertEqual(damaged.status, 2)
        XCTAssertTrue(damaged.stderr.contains("damaged safetensors file"), damaged.stderr)

        let missing = try Toymem.run(["analyze", scratch.appendingPathComponent("nothing").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no such run directory"), missing.stderr)
        let badName = try Toymem.run(["analyze", out.path, "--only", "lokup"])
        XCTAssertEqual(badName.status, 2)
    }

    /// Kills `toymem analyze` at random moments: `analysis/` is always absent or complete (its
    /// summary, neurons.csv and tables all readable), never half-written.
    func testAKilledAnalysisNeverLeavesAHalfWrittenAnalysis() throws {
        let out = scratch.appendingPathComponent("killed-analysis")
        let r = try Toymem.run([
            "run", "configs/pure.json", "train.steps=50", "task.domain={\"a\": 300, \"b\": 300}", "--out", out.path,
            "--quiet",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let analysis = out.appendingPathComponent("analysis")
        var rng = SystemRandomNumberGenerator()
        var completedBeforeKill = 0
        for attempt in 0..<6 {
            let process = Process()
            process.executableURL = Toymem.binary
            process.arguments = ["analyze", out.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...2.5, using: &rng))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) } else { completedBeforeKill += 1 }
            process.waitUntilExit()
            guard FileManager.default.fileExists(atPath: analysis.path) else { continue }
            XCTAssertNoThrow(try Toymem.json(analysis.appendingPathComponent("summary.json")), "attempt \(attempt)")
            let tables = try Data(contentsOf: analysis.appendingPathComponent("tables.safetensors"))
            XCTAssertNoThrow(try SafeTensors(decoding: tables), "attempt \(attempt)")
            let neurons = try String(contentsOf: analysis.appendingPathComponent("neurons.csv"), encoding: .utf8)
            XCTAssertEqual(neurons.split(separator: "\n").count, 257, "attempt \(attempt): header and 256 neurons")
        }
        // The kills must have landed mid-analysis at least once for the test to mean anything.
        XCTAssertLessThan(completedBeforeKill, 6)
        let again = try Toymem.run(["analyze", out.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("analysis.partial").path))
    }
}
