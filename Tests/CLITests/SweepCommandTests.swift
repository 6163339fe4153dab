import RunStore
import Experiment
import Foundation
import XCTest

/// `toymem sweep` and `toymem compare` end to end.
final class SweepCommandTests: ScratchTestCase {
    /// Rows of index.csv keyed by id (fields with JSON have no commas in these specs' swept values).
    private func index(_ dir: URL) throws -> [String: [String: String]] {
        let lines = try String(contentsOf: dir.appendingPathComponent("index.csv"), encoding: .utf8).split(
            separator: "\n"
        ).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var rows: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows[fields[0]] = Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
        return rows
    }

    private let small = """
        {"base": {"task": {"domain": {"a": 30, "b": 30}}, "model": {"embedding": 16},
                  "train": {"steps": 150, "eval_every": 50, "batch_size": 64}},
         "method": "grid",
         "parameters": {"model.hidden": {"values": [[16], [32]]}, "seed": {"values": [0, 1, 2, 3]}}}
        """

    func testDryRunListsThePlanAndWritesNothing() throws {
        let out = scratch.appendingPathComponent("dry")
        let r = try Toymem.run(["sweep", try write("s.json", small), "--out", out.path, "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("sweep s: 8 runs planned"), r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "would run").count - 1, 8)
        XCTAssertTrue(r.stdout.contains("model.hidden=[32] seed=3"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testBadSpecsExitTwoBeforeAnythingRuns() throws {
        let cases: [(String, String)] = [
            (
                #"{"base": {}, "parameters": {"seed": {"values": [0]}}, "methd": "grid"}"#,
                "methd: unknown key 'methd'; did you mean 'method'?"
            ),
            (
                #"{"base": {}, "parameters": {"train.optimizer.lr": {"min": 0.1, "max": 1}}}"#,
                "a grid sweep needs \"values\""
            ),
            (
                #"{"base": {}, "parameters": {"model.hidden": {"values": [[64], [0]]}}}"#,
                "model.hidden[0]: expected a positive integer, got 0 (sweep point 2: model.hidden=[0])"
            ),
            (
                #"{"base": "missing.json", "parameters": {"seed": {"values": [0]}}}"#,
                "base: cannot read base config 'missing.json'"
            ),
            (
                #"{"base": {}, "method": "random", "parameters": {"seed": {"values": [0]}}}"#,
                "run_cap: a random sweep needs a run cap"
            ),
        ]
        for (i, (text, message)) in cases.enumerated() {
            let out = scratch.appendingPathComponent("bad\(i)")
            let r = try Toymem.run(["sweep", try write("bad\(i).json", text), "--out", out.path])
            XCTAssertEqual(r.status, 2, "case \(i): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "case \(i): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "case \(i)")
        }
        XCTAssertEqual(try Toymem.run(["sweep", try write("ok.json", small), "--shard", "3/2"]).status, 2)
    }

    func testAKilledSweepResumesWithoutRedoingCompletedRuns() throws {
        let out = scratch.appendingPathComponent("killed")
        // Longer runs (about half a second each) so the kill lands mid-sweep.
        let spec = try write("s.json", small.replacingOccurrences(of: "\"steps\": 150", with: "\"steps\": 3000"))
        let process = Process()
        process.executableURL = Toymem.binary
        process.arguments = ["sweep", spec, "--out", out.path, "--jobs", "1", "--no-report"]
        process.currentDirectoryURL = Toymem.repository
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        func completedCount() -> Int {
            ((try? index(out)) ?? [:]).values.filter { $0["status"] == "completed" }.count
        }
        while completedCount() < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        // Freeze the sweep, kill its running child, then the sweep itself: SIGKILL all round.
        kill(process.processIdentifier, SIGSTOP)
        let pkill = Process()
        pkill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        pkill.arguments = ["-KILL", "-P", "\(process.processIdentifier)"]
        try pkill.run()
        pkill.waitUntilExit()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        var completedBefore: [String: Data] = [:]
        let runs = out.appendingPathComponent("runs")
        for id in try FileManager.default.contentsOfDirectory(atPath: runs.path) {
            let meta = runs.appendingPathComponent("\(id)/meta.json")
            guard let status = RunMeta.peek(runs.appendingPathComponent(id))?.status else { continue }
            if status == "completed" {
                completedBefore[id] = try Data(contentsOf: meta)
                XCTAssertTrue(
                    FileManager.default.fileExists(atPath: runs.appendingPathComponent("\(id)/summary.json").path))
            }
        }
        XCTAssertGreaterThanOrEqual(completedBefore.count, 3)
        XCTAssertLessThan(completedBefore.count, 8, "killed before the end")
        for (id, row) in try index(out) where row["status"] == "completed" {
            XCTAssertNotNil(completedBefore[id], "index.csv says \(id) completed but its meta.json does not")
        }

        let resumed = try Toymem.run(["sweep", spec, "--out", out.path, "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("\(completedBefore.count) skipped (already done)"), resumed.stdout)
        for (id, meta) in completedBefore {
            XCTAssertEqual(
                try Data(contentsOf: runs.appendingPathComponent("\(id)/meta.json")), meta, "\(id) was redone")
        }
        let rows = try index(out)
        XCTAssertEqual(rows.count, 8)
        for (id, row) in rows {
            XCTAssertEqual(row["status"], "completed")
            XCTAssertEqual(RunMeta.peek(runs.appendingPathComponent(id))?.status, "completed")
            XCTAssertFalse(row["heldout_accuracy"]!.isEmpty)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    }

    func testShardsSplitTheSweepAndFailuresAreRecorded() throws {
        let out = scratch.appendingPathComponent("sharded")
        let spec = try write("s.json", small)
        let first = try Toymem.run(["sweep", spec, "--out", out.path, "--shard", "1/2"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try index(out).values.filter { $0["status"] == "completed" }.count, 4)
        XCTAssertEqual(try Toymem.run(["sweep", spec, "--out", out.path, "--shard", "2/2"]).status, 0)
        XCTAssertEqual(try index(out).values.filter { $0["status"] == "completed" }.count, 8)

        let failing = try write(
            "f.json",
            """
            {"base": {"task": {"domain": {"a": 20, "b": 20}}, "model": {"embedding": 8, "hidden": [8]},
                      "train": {"steps": 60, "eval_every": 20, "batch_size": 32, "optimizer": {"kind": "sgd"}}},
             "parameters": {"train.optimizer.lr": {"values": [1e30, 0.1, 0.05]}}}
            """)
        let failOut = scratch.appendingPathComponent("failing")
        let r = try Toymem.run(["sweep", failing, "--out", failOut.path, "--jobs", "1"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("1 of 3 runs failed"), r.stderr)
        let statuses = try index(failOut).values.map { $0["status"]! }.sorted()
        XCTAssertEqual(statuses, ["completed", "completed", "diverged"], "the sweep went on after the failure")

        let fastOut = scratch.appendingPathComponent("failfast")
        let fast = try Toymem.run(["sweep", failing, "--out", fastOut.path, "--jobs", "1", "--fail-fast"])
        XCTAssertEqual(fast.status, 1)
        XCTAssertEqual(try index(fastOut).values.map { $0["status"]! }.sorted(), ["diverged", "pending", "pending"])
    }

    func testRandomSweepsDrawTheirCapDeterministically() throws {
        let spec = try write(
            "r.json",
            """
            {"base": {"task": {"domain": {"a": 20, "b": 20}}}, "method": "random", "seed": 5, "run_cap": 6,
             "parameters": {"train.optimizer.lr": {"min": 1e-4, "max": 1e-1, "distribution": "log_uniform"},
                            "model.embedding": {"min": 4, "max": 9, "distribution": "int_uniform"},
                            "model.activation": {"values": ["relu", "gelu"]}}}
            """)
        let a = try Toymem.run(["sweep", spec, "--dry-run"]), b = try Toymem.run(["sweep", spec, "--dry-run"])
        XCTAssertEqual(a.stdout, b.stdout)
        let points = try SweepSpec.load(path: spec).plan()
        XCTAssertEqual(points.count, 6)
        for p in points {
            XCTAssertTrue((1e-4...1e-1).contains(p.config.train.optimizer.learningRate))
            XCTAssertTrue((4...9).contains(p.config.model.embedding))
        }
    }

    func testCompareFormats() throws {
        let first = scratch.appendingPathComponent("one"), second = scratch.appendingPathComponent("two")
        XCTAssertEqual(
            try Toymem.run([
                "run", "configs/pure.json", "train.steps=60", #"analyses=["probes","interaction","hash","lookup"]"#,
                "--out", first.path, "--quiet",
            ]).status, 0)
        XCTAssertEqual(
            try Toymem.run(["run", "configs/generalising.json", "train.steps=60", "--out", second.path, "--quiet"])
                .status, 0)
        let text = try Toymem.run(["compare", first.path, second.path])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("run "), text.stdout)
        XCTAssertEqual(text.stdout.split(separator: "\n").count, 3)
        let json = try JSONParser.parse(try Toymem.run(["compare", "--json", first.path, second.path]).stdout)
        guard case let .array(rows) = json else { return XCTFail("not an array") }
        XCTAssertEqual(rows[0]["task"], .string("pure"))
        XCTAssertNotNil(rows[0]["probe_label_heldout@blocks.0.mlp.hook_post"]?.doubleValue)
        XCTAssertEqual(rows[1]["k90_median"], .null, "not analysed")
        let csv = try Toymem.run(["compare", "--csv", first.path, second.path]).stdout
        XCTAssertTrue(csv.hasPrefix("run,task,hidden,seed,train_accuracy"), csv)
        let html = try Toymem.run(["compare", "--html", first.path, second.path]).stdout
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg"))
        let bad = try Toymem.run(["compare", scratch.path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("neither a run directory"), bad.stderr)
    }
}
