import Experiment
import Foundation
import RunStore
import XCTest

/// What a sweep directory records about its sweep, and the Slurm files written from it.
final class SweepDirectoryTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sweepdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func spec(name: String = "s", parameters: String) throws -> SweepSpec {
        // The base file has no name: the point configs take the file's name, which spec.json must keep.
        let base = scratch.appendingPathComponent("base_config.json")
        try #"{"task": {"domain": {"a": 12, "b": 12}}, "train": {"steps": 5, "batch_size": 16}}"#.write(
            to: base, atomically: true, encoding: .utf8)
        let text = #"{"name": "\#(name)", "base": "base_config.json", "parameters": \#(parameters)}"#
        return try SweepSpec(
            json: try JSONParser.parse(text), directory: URL(fileURLWithPath: scratch.path, isDirectory: true),
            defaultName: name)
    }

    func testSpecJSONReplansTheSameRunsInTheSameOrder() throws {
        // Keys out of alphabetical order: the grid's nesting order must survive the file.
        let s = try spec(parameters: #"{"seed": {"values": [3, 1]}, "model.hidden": {"values": [[8], [4]]}}"#)
        let points = try s.plan()
        let directory = scratch.appendingPathComponent("sweep")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SweepRecord.write(spec: s, points: points, to: directory)
        let replanned = try SweepSpec.load(directory: directory).plan()
        XCTAssertEqual(replanned.map(\.config.hash), points.map(\.config.hash))
        XCTAssertEqual(points.first?.config.name, "base_config")
        let record = try SweepRecord.read(directory)
        XCTAssertEqual(record.runs.map(\.id), points.map(\.id))
        XCTAssertEqual(record.parameterPaths, ["seed", "model.hidden"])
    }

    func testADirectoryHoldingAnotherSweepIsRefused() throws {
        let s = try spec(parameters: #"{"seed": {"values": [1]}}"#)
        let directory = scratch.appendingPathComponent("sweep")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        XCTAssertNoThrow(try SweepRecord.checkBelongs(directory, to: s), "an empty directory is free")
        try SweepRecord.write(spec: s, points: try s.plan(), to: directory)
        XCTAssertNoThrow(try SweepRecord.checkBelongs(directory, to: s))
        let extended = try spec(parameters: #"{"seed": {"values": [1, 2]}}"#)
        XCTAssertNoThrow(try SweepRecord.checkBelongs(directory, to: extended), "more seeds: the same sweep, grown")
        for other in [
            try spec(name: "t", parameters: #"{"seed": {"values": [1]}}"#),
            try spec(parameters: #"{"model.embedding": {"values": [4]}}"#),
        ] {
            XCTAssertThrowsError(try SweepRecord.checkBelongs(directory, to: other)) {
                XCTAssertTrue("\($0)".contains("holds a different sweep"), "\($0)")
                XCTAssertEqual(($0 as? ToymemError)?.exitCode, 2)
            }
        }
        let stranger = scratch.appendingPathComponent("stranger")
        try FileManager.default.createDirectory(at: stranger, withIntermediateDirectories: true)
        try "x".write(to: stranger.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SweepRecord.checkBelongs(stranger, to: s)) {
            XCTAssertTrue("\($0)".contains("holds no sweep"), "\($0)")
        }
    }

    func testRunsArePackedIntoArrayTasksInOrder() throws {
        let ids = (0..<10).map { "r\($0)" }
        let options = SlurmOptions(partition: "short", time: "0:30:00", arrayParallelism: 3, runsPerTask: 4)
        let sweep = try SlurmSweep(
            spec: spec(parameters: #"{"seed": {"values": [1]}}"#), points: [],
            directory: URL(fileURLWithPath: "/shared/sweep"), executable: URL(fileURLWithPath: "/shared/bin/toymem"),
            options: options)
        let scripts = SlurmScripts(
            work: sweep.work, directory: sweep.directory, executable: sweep.executable, options: options, items: ids)
        XCTAssertEqual(scripts.tasks, [Array(ids[0..<4]), Array(ids[4..<8]), Array(ids[8..<10])])
        XCTAssertEqual(scripts.map, "task\truns\n0\tr0 r1 r2 r3\n1\tr4 r5 r6 r7\n2\tr8 r9\n")
        for line in [
            "#SBATCH --array=0-2%3", "#SBATCH --partition=short", "#SBATCH --time=0:30:00",
            "#SBATCH --export=ALL", "#SBATCH --output=/shared/sweep/logs/slurm-%A_%a.out",
        ] {
            XCTAssertTrue(scripts.array.contains(line + "\n"), line)
        }
        XCTAssertTrue(scripts.array.contains("--force --quiet \\\n"), "the run line continues onto the next")
        XCTAssertTrue(scripts.collect.contains("exec /shared/bin/toymem sweep collect /shared/sweep\n"))
    }

    func testShellWordsAreQuotedWhereNeeded() {
        XCTAssertEqual(SlurmScripts.quoted("/a/b-c_d.e"), "/a/b-c_d.e")
        XCTAssertEqual(SlurmScripts.quoted("it's $HOME"), #"'it'\''s $HOME'"#)
        XCTAssertEqual(SlurmScripts.quoted(""), "''")
    }
}
