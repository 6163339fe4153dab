import Experiment
import Foundation
import RunStore
import XCTest

/// Sweep specs: every range, key and plan size is checked before anything runs.
final class SweepSpecTests: XCTestCase {
    private func spec(_ parameters: String, method: String = "random", runCap: Int? = 3) throws -> SweepSpec {
        let cap = runCap.map { #", "run_cap": \#($0)"# } ?? ""
        let text = #"{"base": {"train": {"steps": 10}}, "method": "\#(method)"\#(cap), "parameters": \#(parameters)}"#
        return try SweepSpec(
            json: try JSONParser.parse(text), directory: URL(fileURLWithPath: "/tmp"), defaultName: "s")
    }

    private func error(_ body: () throws -> Void) -> ConfigError? {
        do { try body() } catch let e as ConfigError { return e } catch { XCTFail("\(error)") }
        return nil
    }

    func testRangesWithoutValuesToDrawAreRefused() {
        let noInteger = error { _ = try spec(#"{"seed": {"min": 0.2, "max": 0.8, "distribution": "int_uniform"}}"#) }
        XCTAssertEqual(noInteger?.path, "parameters.seed")
        XCTAssertTrue(noInteger?.message.contains("no integer") ?? false)
        XCTAssertEqual(
            error { _ = try spec(#"{"seed": {"min": 0, "max": 1e300, "distribution": "int_uniform"}}"#) }?.path,
            "parameters.seed")
        let infinite = error { _ = try spec(#"{"train.optimizer.lr": {"min": -1.7e308, "max": 1.7e308}}"#) }
        XCTAssertEqual(infinite?.path, "parameters.train.optimizer.lr")
    }

    func testParameterKeysMustBeDottedPaths() {
        for key in ["", "a..b", ".seed", "seed."] {
            let e = error { _ = try spec(#"{"\#(key)": {"values": [1]}}"#) }
            XCTAssertEqual(e?.path, "parameters", key)
        }
    }

    func testTheSweepNameIsADirectoryName() {
        let text = #"{"name": "a/../b", "base": {}, "parameters": {"seed": {"values": [1]}}}"#
        let e = error {
            _ = try SweepSpec(json: JSONParser.parse(text), directory: URL(fileURLWithPath: "/tmp"), defaultName: "s")
        }
        XCTAssertEqual(e?.path, "name")
    }

    func testHugePlansAreRefusedWithoutBuildingThem() throws {
        let values = "[" + (0..<100).map(String.init).joined(separator: ",") + "]"
        let parameters = ["seed", "train.steps", "train.eval_every", "task.classes"].map {
            #""\#($0)": {"values": \#(values)}"#
        }
        let grid = "{" + parameters.joined(separator: ", ") + "}"
        XCTAssertEqual(try spec(grid, method: "grid").pointCount, 3, "run_cap bounds the grid")
        let uncapped = try spec(grid, method: "grid", runCap: nil)
        XCTAssertEqual(uncapped.pointCount, 100_000_000)
        XCTAssertEqual(error { _ = try uncapped.plan() }?.path, "parameters")
        let random = try spec(#"{"seed": {"min": 0, "max": 5, "distribution": "int_uniform"}}"#, runCap: 1_000_000_000)
        XCTAssertEqual(error { _ = try random.plan() }?.path, "run_cap")
    }

    func testEveryPointIsCheckedAgainstMemory() throws {
        let s = try spec(#"{"model.hidden": {"values": [[8], [100000000]]}}"#, method: "grid")
        let e = error { _ = try s.plan(limits: MachineLimits(memoryBytes: Double(1 << 30), memorySource: "1 GiB")) }
        XCTAssertEqual(e?.path, "model.hidden")
        XCTAssertTrue(e?.message.contains("sweep point 2") ?? false, e?.message ?? "")
    }
}
