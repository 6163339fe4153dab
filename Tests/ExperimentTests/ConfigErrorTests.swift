import RunStore
import Experiment
import Foundation
import XCTest

/// Every bad-config case: the error names the JSON path and what was expected.
final class ConfigErrorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("toymem-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func error(_ text: String, overrides: [String] = []) -> String {
        let url = directory.appendingPathComponent("c.json")
        try! text.write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigLoader.load(path: url.path, overrides: overrides)
            return "no error"
        } catch {
            // Every error names the file, or the override, it is about; the rest is compared below.
            let text = "\(error)"
            let place = overrides.map { "override '\($0)': " }.first { text.hasPrefix($0) } ?? "\(url.path): "
            XCTAssertTrue(text.hasPrefix(place), "error names no file: \(text)")
            return String(text.dropFirst(place.count))
        }
    }

    func testUnknownKeyWithDidYouMean() {
        XCTAssertEqual(error(#"{"modle": {}}"#).prefix(49), "modle: unknown key 'modle'; did you mean 'model'?")
        XCTAssertTrue(
            error(#"{"train": {"step": 10}}"#).hasPrefix("train.step: unknown key 'step'; did you mean 'steps'?"))
        XCTAssertTrue(
            error(#"{"model": {"hiden": [3]}}"#).hasPrefix("model.hiden: unknown key 'hiden'; did you mean 'hidden'?"))
    }

    func testWrongTypes() {
        XCTAssertEqual(
            error(#"{"train": {"steps": "many"}}"#), #"train.steps: expected a positive integer, got a string "many""#)
        XCTAssertEqual(
            error(#"{"model": {"hidden": 256}}"#),
            "model.hidden: expected a non-empty array of positive integers, got an integer 256")
        XCTAssertEqual(
            error(#"{"model": {"residual": "yes"}}"#), #"model.residual: expected true or false, got a string "yes""#)
        XCTAssertEqual(error(#"{"task": []}"#), "task: expected an object, got an array []")
        XCTAssertEqual(
            error(#"{"model": {"activation": "gleu"}}"#),
            #"model.activation: expected one of "relu", "gelu", "gelu_erf", got "gleu"; did you mean "gelu"?"#)
        XCTAssertEqual(
            error(#"{"train": {"steps": 2.5}}"#), "train.steps: expected a positive integer, got a number 2.5")
    }

    func testOutOfRangeValues() {
        XCTAssertEqual(
            error(#"{"task": {"domain": {"a": -3}}}"#), "task.domain.a: expected an integer in [1, 2147483647], got -3")
        XCTAssertEqual(error(#"{"model": {"hidden": [64, 0]}}"#), "model.hidden[1]: expected a positive integer, got 0")
        XCTAssertEqual(error(#"{"model": {"embedding": -1}}"#), "model.embedding: expected a positive integer, got -1")
        XCTAssertEqual(
            error(#"{"task": {"heldout_fraction": 1.5}}"#),
            "task.heldout_fraction: expected a number in [0, 1), got 1.5")
        XCTAssertEqual(
            error(#"{"task": {"heldout_fraction": 1}}"#), "task.heldout_fraction: expected a number in [0, 1), got 1")
        XCTAssertEqual(error(#"{"train": {"threads": 65}}"#), "train.threads: expected an integer in [1, 64], got 65")
        XCTAssertEqual(
            error(#"{"train": {"optimizer": {"betas": [0.9, 1]}}}"#),
            "train.optimizer.betas[1]: expected a number in [0, 1) that keeps its value in Float32, "
                + "the engine's precision, got 1")
        XCTAssertEqual(error(#"{"train": {"steps": null}}"#), "train.steps: expected a positive integer, got null")
        XCTAssertEqual(
            error(#"{"task": {"domain": {"a": 2, "b": 2}, "heldout_fraction": 0.9}}"#),
            "task.heldout_fraction: holds out 4 of 4 entities, leaving none to train on")
        XCTAssertEqual(
            error(#"{"task": {"domain": {"a": 3, "b": 3}, "classes": 12}}"#),
            "task.classes: 12 classes is more than the 9 entities")
        XCTAssertEqual(
            error(#"{"task": {"kind": "generalising", "classes": 1, "rule": {"kind": "sum_mod"}}}"#),
            "task.classes: expected an integer in [2, 2147483647], got 1")
        XCTAssertEqual(
            error(#"{"task": {"domain": {"a": 10, "b": 10}, "entities": 200}}"#),
            "task.entities: 200 entities do not fit in a 10 × 10 domain (100 pairs)")
        XCTAssertEqual(
            error(#"{"train": {"optimizer": {"lr": 0}}}"#),
            "train.optimizer.lr: expected a number > 0 that keeps its value in Float32, the engine's precision, got 0")
        XCTAssertEqual(
            error(#"{"task": {"domain": {"a": 10, "b": 10}}, "train": {"batch_size": 500}}"#),
            #"train.batch_size: 500 is larger than the 80 training entities; use "full" or a smaller batch"#)
    }

    func testVariantSpecificKeys() {
        XCTAssertEqual(
            error(#"{"task": {"kind": "rule_of_thumb"}}"#),
            #"task.rule: required when task.kind is "rule_of_thumb" or "generalising", e.g. {"kind": "#
                + #""checkerboard", "block": 10}"#
        )
        XCTAssertEqual(
            error(#"{"task": {"kind": "pure", "exception_rate": 0.1}}"#),
            #"task.exception_rate: not used when task.kind is "pure" (only "rule_of_thumb"); remove it"#)
        XCTAssertEqual(
            error(#"{"task": {"exception_rate": 0.1}}"#),
            #"task.exception_rate: not used when task.kind is "pure" (only "rule_of_thumb"); remove it"#,
            "an absent kind is its default, pure")
        XCTAssertEqual(
            error(#"{"task": {"kind": "generalising", "rule": {"block": 3}}}"#),
            #"task.rule.kind: required: expected one of "checkerboard", "sum_mod", "a_only""#)
        XCTAssertEqual(
            error(#"{"task": {"kind": "generalising", "rule": {"kind": "sum_mod", "block": 3}}}"#),
            #"task.rule.block: not used when task.rule.kind is "sum_mod" (only "checkerboard"); remove it"#)
        XCTAssertEqual(
            error(#"{"task": {"kind": "generalising", "rule": {"kind": "checkers"}}}"#),
            #"task.rule.kind: expected one of "checkerboard", "sum_mod", "a_only", got "checkers"; did you mean "#
                + #""checkerboard"?"#
        )
        XCTAssertEqual(
            error(#"{"train": {"optimizer": {"kind": "sgd", "betas": [0.9, 0.99]}}}"#),
            #"train.optimizer.betas: not used when train.optimizer.kind is "sgd" (only "adam" or "adamw"); remove it"#)
    }

    func testMalformedJSONGivesLineAndColumn() {
        let message = error("{\n  \"seed\": 1,\n  \"task\": {\"kind\": \"pure\",}\n}")
        XCTAssertTrue(message.hasSuffix("malformed JSON at line 3, column 27: expected a string key"), message)
        XCTAssertTrue(error("{\"seed\": 1").hasSuffix("line 1, column 11: expected ',' or '}' in object"))
    }

    func testUnreadableFile() {
        do {
            _ = try ConfigLoader.load(path: directory.appendingPathComponent("missing.json").path)
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue("\(error)".hasPrefix("cannot read config file"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("no such file"), "\(error)")
        }
    }

    func testOverridesAreJSONAndUnknownKeysAreRejected() throws {
        let url = directory.appendingPathComponent("ok.json")
        try "{}".write(to: url, atomically: true, encoding: .utf8)
        let c = try ConfigLoader.load(
            path: url.path, overrides: ["model.hidden=[512, 64]", "train.steps=7", "model.activation=gelu"])
        XCTAssertEqual(c.model.hidden, [512, 64])
        XCTAssertEqual(c.train.steps, 7)
        XCTAssertEqual(c.model.activation, .gelu)
        XCTAssertTrue(error("{}", overrides: ["model.widht=3"]).hasPrefix("model.widht: unknown key 'widht'"))
        XCTAssertTrue(error("{}", overrides: ["train.steps"]).contains("expected key.path=value"))
        XCTAssertTrue(
            error("{}", overrides: ["model.hidden=[1,"]).hasPrefix(
                "model.hidden: value '[1,' is not valid JSON"))
    }

    func testResolvedConfigFillsEveryDefaultAndHashesCanonically() throws {
        let a = directory.appendingPathComponent("a.json"), b = directory.appendingPathComponent("b.json")
        try #"{"$schema": "x", "seed": 0}"#.write(to: a, atomically: true, encoding: .utf8)
        try #"{"train": {"steps": 2000, "optimizer": {"kind": "adamw"}}, "name": "a"}"#.write(
            to: b, atomically: true, encoding: .utf8)
        let ca = try ConfigLoader.load(path: a.path), cb = try ConfigLoader.load(path: b.path)
        XCTAssertEqual(ca.hash, cb.hash, "defaults written out or left implicit are the same config")
        let resolved = ca.json
        XCTAssertEqual(resolved["train"]?["optimizer"]?["lr"], .double(0.001))
        XCTAssertEqual(resolved["task"]?["domain"]?["a"], .int(100))
        XCTAssertEqual(resolved["model"]?["hidden"], .array([.int(256)]))
        XCTAssertEqual(
            try ExperimentConfig(json: resolved, defaultName: "other"), ca, "the resolved config reads back as itself")
    }
}
