import RunStore
import Experiment
import Foundation
import XCTest

/// The example configs do the science they claim, and runs are reproducible.
final class ScienceTests: ScratchTestCase {
    private func summary(_ config: String, _ overrides: [String] = [], name: String) throws -> JSONValue {
        let out = scratch.appendingPathComponent(name)
        let r = try Toymem.run(["run", "configs/\(config).json"] + overrides + ["--out", out.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try Toymem.json(out.appendingPathComponent("summary.json"))
    }

    /// Binomial standard error of an accuracy p measured on n entities.
    private func standardError(_ p: Double, _ n: Int) -> Double { (p * (1 - p) / Double(n)).squareRoot() }

    func testPureMemorisationMemorisesAndDoesNotGeneralise() throws {
        let s = try summary("pure", name: "pure")
        XCTAssertEqual(s["train_accuracy"]?.doubleValue, 1)
        let heldout = s["heldout_accuracy"]!.doubleValue!, base = s["base_rate"]!.doubleValue!
        let n = s["heldout_entities"]!.intValue!
        // Both are accuracies of label-blind guesses on n = 2,000 entities with p ≈ 1/3:
        // their difference has sd ≈ √2·0.0105; allow 4 sd.
        XCTAssertEqual(heldout, base, accuracy: 4 * 2.0.squareRoot() * standardError(1.0 / 3, n))
        XCTAssertEqual(base, 1.0 / 3, accuracy: 4 * standardError(1.0 / 3, n))
        // log2(3) bits per trained entity at most; memorising all of them takes most of that.
        XCTAssertGreaterThan(s["bits_memorised"]!.doubleValue!, 0.9 * 8000 * log2(3.0))
    }

    func testRuleOfThumbGeneralisesUpToTheExceptions() throws {
        let s = try summary("rule_of_thumb", name: "rule")
        XCTAssertEqual(s["train_accuracy"]?.doubleValue, 1, "exceptions included")
        let heldout = s["heldout_accuracy"]!.doubleValue!
        // The rule alone scores 1 − q = 0.9 on held-out entities (their exceptions are
        // unknowable). Memorised exceptions bleed into their rows and columns, which
        // costs a few points (measured: 0.85–0.87 over seeds); far above the 0.5 base rate.
        XCTAssertLessThanOrEqual(heldout, 0.9 + 3 * standardError(0.9, 2000))
        XCTAssertGreaterThan(heldout, 0.8)
    }

    func testGeneralisingTaskGeneralises() throws {
        let s = try summary("generalising", name: "general")
        XCTAssertGreaterThanOrEqual(s["heldout_accuracy"]!.doubleValue!, 0.98)
        XCTAssertEqual(s["base_rate"]!.doubleValue!, 0.5, accuracy: 4 * standardError(0.5, 2000))
    }

    func testCorrelatedFactsReportEachFact() throws {
        let s = try summary("correlated", name: "correlated")
        guard case let .array(facts)? = s["facts"] else { return XCTFail("no facts array") }
        XCTAssertEqual(facts.count, 2)
        for fact in facts {
            XCTAssertEqual(fact["train_accuracy"]?.doubleValue, 1)
            XCTAssertEqual(
                fact["heldout_accuracy"]!.doubleValue!, fact["base_rate"]!.doubleValue!,
                accuracy: 4 * 2.0.squareRoot() * standardError(1.0 / 3, 2000))
        }
        let bits = facts.map { $0["bits_memorised"]!.doubleValue! }.reduce(0, +)
        XCTAssertEqual(s["bits_memorised"]!.doubleValue!, bits, accuracy: 1e-6 * bits, "top-level bits are the total")
    }

    func testSameConfigSeedAndThreadsGiveBitIdenticalResults() throws {
        for threads in [1, 2] {
            let overrides = ["train.steps=300", "train.stop_when_memorised=false", "train.threads=\(threads)"]
            var summaries: [JSONValue] = [], models: [Data] = []
            for copy in 0..<2 {
                let out = scratch.appendingPathComponent("repro-\(threads)-\(copy)")
                let r = try Toymem.run(["run", "configs/pure.json"] + overrides + ["--out", out.path, "--quiet"])
                XCTAssertEqual(r.status, 0, r.stderr)
                guard case let .object(pairs) = try Toymem.json(out.appendingPathComponent("summary.json")) else {
                    return XCTFail()
                }
                summaries.append(.object(pairs.filter { $0.key != "wall_seconds" }))
                models.append(try Data(contentsOf: out.appendingPathComponent("model.safetensors")))
            }
            XCTAssertEqual(summaries[0], summaries[1], "threads \(threads)")
            XCTAssertEqual(models[0], models[1], "threads \(threads)")
        }
        let otherSeed = try summary(
            "pure", ["train.steps=300", "train.stop_when_memorised=false", "seed=1"], name: "seed1")
        let seed0 = try Toymem.json(scratch.appendingPathComponent("repro-1-0/summary.json"))
        XCTAssertNotEqual(otherSeed["train_loss"], seed0["train_loss"])
    }
}
