import RunStore
import Experiment
import Foundation
import XCTest

/// `toymem run` and `toymem validate` as a user meets them: exit codes,
/// messages, and what is (not) written.
final class RunCommandTests: ScratchTestCase {
    private let tiny =
        #"{"task": {"domain": {"a": 12, "b": 12}}, "model": {"embedding": 8, "hidden": [16]}, "train": {"steps": "#
        + #"30, "eval_every": 10, "batch_size": 32}}"#

    /// More threads than cores: the helpers yield instead of spinning, so the run completes (it used to take
    /// seconds per step), gives the same model twice, and says what it is doing.
    func testOversubscribedThreadsCompleteWithAWarning() throws {
        let config = try write("tiny.json", tiny)
        var models: [Data] = []
        for name in ["t1", "t2"] {
            let out = scratch.appendingPathComponent(name)
            let r = try Toymem.run(["run", config, "train.threads=64", "--out", out.path, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("warning: 64 threads on"), r.stderr)
            models.append(try Data(contentsOf: out.appendingPathComponent("model.safetensors")))
        }
        XCTAssertEqual(models[0], models[1], "the same config, seed and thread count give the same model")
    }

    func testRunWritesTheRunDirectory() throws {
        let out = scratch.appendingPathComponent("run")
        let r = try Toymem.run(["run", try write("tiny.json", tiny), "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("trained 30 steps"), r.stdout)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(
            files,
            [
                "config.json", "data.safetensors", "figures", "meta.json", "metrics.jsonl", "model.safetensors",
                "report.html", "summary.json",
            ])
        let meta = try Toymem.json(out.appendingPathComponent("meta.json"))
        XCTAssertEqual(meta["status"], .string("completed"))
        XCTAssertEqual(meta["threads"], .int(1))
        let metrics = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(
            separator: "\n")
        XCTAssertEqual(metrics.count, 3)
        XCTAssertEqual(try JSONParser.parse(String(metrics[2]))["step"], .int(30))
        let summary = try Toymem.json(out.appendingPathComponent("summary.json"))
        for key in [
            "train_accuracy", "heldout_accuracy", "base_rate", "train_loss", "heldout_loss", "params",
            "embedding_params", "bits_memorised", "bits_per_param", "steps", "wall_seconds",
        ] {
            XCTAssertNotNil(summary[key], key)
        }
        XCTAssertEqual(summary["params"], .int(12 * 8 * 2 + 8 * 16 + 16 + 16 * 3 + 3))
        let config = try Toymem.json(out.appendingPathComponent("config.json"))
        XCTAssertEqual(config["name"], .string("tiny"))
        XCTAssertEqual(config["train"]?["steps"], .int(30))
    }

    func testDefaultLocationAndRerunningACompletedConfigDoesNothing() throws {
        let config = try write("tiny.json", tiny)
        let first = try Toymem.run(["run", config], in: scratch)
        XCTAssertEqual(first.status, 0, first.stderr)
        let runs = try FileManager.default.contentsOfDirectory(
            atPath: scratch.appendingPathComponent("Results/tiny").path)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].count, 8, "short config hash")
        let meta = scratch.appendingPathComponent("Results/tiny/\(runs[0])/meta.json")
        let before = try Data(contentsOf: meta)
        let again = try Toymem.run(["run", config], in: scratch)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.hasPrefix("already completed:"), again.stdout)
        XCTAssertEqual(try Data(contentsOf: meta), before, "nothing was rerun")
        let forced = try Toymem.run(["run", config, "--force"], in: scratch)
        XCTAssertEqual(forced.status, 0)
        XCTAssertNotEqual(try Data(contentsOf: meta), before, "--force reran it")
        let other = try Toymem.run(["run", config, "train.steps=20"], in: scratch)
        XCTAssertEqual(other.status, 0)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("Results/tiny").path)
                .count, 2)
    }

    func testADifferentConfigOrAForeignDirectoryIsNotOverwritten() throws {
        let config = try write("tiny.json", tiny)
        let out = scratch.appendingPathComponent("run").path
        XCTAssertEqual(try Toymem.run(["run", config, "--out", out]).status, 0)
        let clash = try Toymem.run(["run", config, "train.steps=10", "--out", out])
        XCTAssertEqual(clash.status, 2)
        XCTAssertTrue(clash.stderr.contains("holds a completed run of a different config"), clash.stderr)
        let foreign = scratch.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try "notes".write(to: foreign.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = try Toymem.run(["run", config, "--out", foreign.path])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("is not a toymem run directory"), refused.stderr)
    }

    func testBadConfigsExitTwoNameThePathAndWriteNothing() throws {
        let cases: [(String, [String], String)] = [
            (#"{"modle": {}}"#, [], "modle: unknown key 'modle'; did you mean 'model'?"),
            (#"{"task": {"domain": {"a": -3}}}"#, [], "task.domain.a: expected an integer in [1, 2147483647], got -3"),
            (#"{"train": {"steps": "10"}}"#, [], #"train.steps: expected a positive integer, got a string "10""#),
            ("{\n\"seed\": 1,,\n}", [], "malformed JSON at line 2, column 11: expected a string key"),
            (tiny, ["model.hidden=[0]"], "model.hidden[0]: expected a positive integer, got 0"),
            (tiny, ["train.stepz=3"], "train.stepz: unknown key 'stepz'; did you mean 'steps'?"),
            (
                #"{"task": {"kind": "generalising", "rule": {"kind": "sum_mod"}, "classes": 1}}"#, [],
                "task.classes: expected an integer in [2, 2147483647]"
            ),
        ]
        for (i, (text, overrides, message)) in cases.enumerated() {
            let out = scratch.appendingPathComponent("out\(i)")
            let config = try write("bad\(i).json", text)
            let r = try Toymem.run(["run", config] + overrides + ["--out", out.path])
            XCTAssertEqual(r.status, 2, "case \(i): \(r.stderr)")
            // The message names the file, then the place in it.
            XCTAssertTrue(r.stderr.contains("error: \(config): \(message)"), "case \(i): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "case \(i) wrote its output directory")
            let v = try Toymem.run(["validate", config] + overrides)
            XCTAssertEqual(v.status, 2)
            XCTAssertTrue(v.stderr.contains("error: \(config): \(message)"), "validate, case \(i): \(v.stderr)")
        }
        let missing = try Toymem.run(["run", scratch.appendingPathComponent("nope.json").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read config file"), missing.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: Toymem.repository.appendingPathComponent("Results/nope").path))
    }

    func testUsageErrorsExitTwoAndHelpExitsZero() throws {
        let unknown = try Toymem.run(["run", "configs/pure.json", "--frobnicate"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("Unknown option '--frobnicate'"), unknown.stderr)
        let help = try Toymem.run(["run", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("Results/<config name>/<short config hash>/"), help.stdout)
        let noCommand = try Toymem.run(["launch"])
        XCTAssertEqual(noCommand.status, 2)
    }

    func testValidateAndSchema() throws {
        let ok = try Toymem.run(["validate", "configs/pure.json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("ok: configs/pure.json (name pure, config hash "), ok.stdout)
        let resolved = try Toymem.run(["validate", "configs/pure.json", "--resolved", "train.steps=5"])
        XCTAssertEqual(try JSONParser.parse(resolved.stdout)["train"]?["steps"], .int(5))
        let schema = try Toymem.run(["schema"])
        XCTAssertEqual(schema.status, 0)
        let committed = try String(
            contentsOf: Toymem.repository.appendingPathComponent("Configs/toymem.schema.json"), encoding: .utf8)
        XCTAssertEqual(try JSONParser.parse(schema.stdout), try JSONParser.parse(committed))
    }

    func testDivergenceEndsTheRunWithStatusDivergedAndExitOne() throws {
        let out = scratch.appendingPathComponent("diverged")
        let config = try write("wild.json", tiny)
        let r = try Toymem.run(["run", config, #"train.optimizer={"kind": "sgd", "lr": 1e30}"#, "--out", out.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("diverged"), r.stderr)
        XCTAssertEqual(try Toymem.json(out.appendingPathComponent("meta.json"))["status"], .string("diverged"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path))
    }

    func testAKilledRunNeverLooksCompleted() throws {
        let out = scratch.appendingPathComponent("killed")
        let process = Process()
        process.executableURL = Toymem.binary
        process.arguments = [
            "run", "configs/pure.json", "train.steps=1000000", "train.stop_when_memorised=false", "--out", out.path,
            "--quiet",
        ]
        process.currentDirectoryURL = Toymem.repository
        try process.run()
        let meta = out.appendingPathComponent("meta.json")
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: out.appendingPathComponent("metrics.jsonl").path),
            Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(try Toymem.json(meta)["status"], .string("running"))
        XCTAssertEqual(RunDirectory(url: out).state(forHash: "anything"), .incomplete(status: "running"))
        // Running it again replaces the dead run instead of refusing or skipping it.
        let again = try Toymem.run(["run", "configs/pure.json", "train.steps=20", "--out", out.path])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testBenchPrintsOneJSONObjectPerWorkload() throws {
        // A functional check of the output, not a timing: speed is reported by the benchmark itself.
        let r = try Toymem.run(["bench", "--workload", "small", "--workload", "residual", "--epochs", "1", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for (line, name) in zip(lines, ["small", "residual"]) {
            let object = try JSONParser.parse(String(line))
            XCTAssertEqual(object["workload"], .string(name))
            XCTAssertEqual(object["examples"], .int(10_000))
            XCTAssertGreaterThan(object["examples_per_second"]?.doubleValue ?? 0, 0)
            XCTAssertEqual(object["rss_mebibytes_after_warmup"]?.doubleValue.map { $0 > 0 }, true)
        }
        let unknown = try Toymem.run(["bench", "--workload", "huge"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("The value 'huge' is invalid for '--workload"), unknown.stderr)
    }
}
