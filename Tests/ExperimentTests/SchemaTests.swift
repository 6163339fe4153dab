import RunStore
import Experiment
import Foundation
import XCTest

final class SchemaTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testCommittedSchemaIsThePrintedSchema() throws {
        let committed = try String(
            contentsOf: Self.repository.appendingPathComponent("Configs/toymem.schema.json"), encoding: .utf8)
        XCTAssertEqual(
            committed.trimmingCharacters(in: .whitespacesAndNewlines),
            ConfigSchema.text.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertNoThrow(try JSONParser.parse(ConfigSchema.text))
    }

    /// A minimal config of every task kind (and of each optimizer family), resolved by the loader: every field
    /// the config left out must equal the schema's default, and every field the schema declares for that
    /// variant must be in the resolved config.
    func testSchemaDefaultsAreTheLoadersDefaultsForEveryVariant() throws {
        let schema = try JSONParser.parse(ConfigSchema.text)
        let variants: [String] = [
            #"{"task": {"kind": "pure"}}"#,
            #"{"task": {"kind": "rule_of_thumb", "rule": {"kind": "checkerboard"}}}"#,
            #"{"task": {"kind": "generalising", "rule": {"kind": "sum_mod"}}}"#,
            #"{"task": {"kind": "correlated"}}"#,
            #"{"train": {"optimizer": {"kind": "sgd"}}}"#,
            #"{"train": {"optimizer": {"kind": "adam"}}}"#,
        ]
        var checked: Set<String> = []
        for text in variants {
            let given = try JSONParser.parse(text)
            let resolved = try ExperimentConfig(json: given, defaultName: "x").json
            func walk(_ node: JSONValue, _ value: JSONValue?, _ input: JSONValue?, _ path: String) {
                guard case let .object(pairs)? = node["properties"] else { return }
                for (key, child) in pairs where key != "$schema" && key != "description" {
                    let here = path.isEmpty ? key : "\(path).\(key)"
                    guard let actual = value?[key] else { continue }
                    if let expected = child["default"], input?[key] == nil {
                        XCTAssertEqual(actual, expected, "default of \(here) in \(text)")
                        checked.insert(here)
                    }
                    walk(child, actual, input?[key], here)
                }
            }
            walk(schema, resolved, given, "")
        }
        for path in [
            "task.exception_rate", "task.facts", "task.correlation", "task.rule.block", "train.optimizer.momentum",
            "train.optimizer.betas", "train.optimizer.eps", "task.heldout_fraction", "train.threads", "seed",
        ] {
            XCTAssertTrue(checked.contains(path), "the default of \(path) was never checked")
        }
    }

    func testExampleConfigsAreValid() throws {
        let configs = Self.repository.appendingPathComponent("Configs")
        let names = try FileManager.default.contentsOfDirectory(atPath: configs.path).filter {
            $0.hasSuffix(".json") && !$0.contains("schema")
        }
        XCTAssertEqual(
            Set(names).isSuperset(of: [
                "pure.json", "rule_of_thumb.json", "correlated.json", "generalising.json", "modular_addition.json",
            ]), true)
        for name in names {
            let config = try ConfigLoader.load(path: configs.appendingPathComponent(name).path)
            XCTAssertEqual(config.name, String(name.dropLast(5)))
        }
    }
}
