import Experiment
import Foundation
import XCTest

final class SchemaTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testCommittedSchemaIsThePrintedSchema() throws {
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("Configs/toymem.schema.json"), encoding: .utf8)
        XCTAssertEqual(committed.trimmingCharacters(in: .whitespacesAndNewlines), ConfigSchema.text.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertNoThrow(try JSONParser.parse(ConfigSchema.text))
    }

    func testSchemaDefaultsAreTheLoadersDefaults() throws {
        // Read each "default" in the schema and compare with the resolved empty config.
        let schema = try JSONParser.parse(ConfigSchema.text)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).json")
        try "{}".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let resolved = try ConfigLoader.load(path: url.path).json
        var checked = 0
        func walk(_ node: JSONValue, _ value: JSONValue?, _ path: String) {
            guard let properties = node["properties"], case let .object(pairs) = properties else { return }
            for (key, child) in pairs {
                let here = path.isEmpty ? key : "\(path).\(key)"
                if let expected = child["default"], let actual = value?[key] {
                    XCTAssertEqual(actual, expected, "default of \(here)")
                    checked += 1
                }
                walk(child, value?[key], here)
            }
        }
        walk(schema, resolved, "")
        XCTAssertGreaterThan(checked, 15)
    }

    func testExampleConfigsAreValid() throws {
        let configs = Self.repository.appendingPathComponent("Configs")
        let names = try FileManager.default.contentsOfDirectory(atPath: configs.path).filter { $0.hasSuffix(".json") && !$0.contains("schema") }
        XCTAssertEqual(Set(names).isSuperset(of: ["pure.json", "rule_of_thumb.json", "correlated.json", "generalising.json", "modular_addition.json"]), true)
        for name in names {
            let config = try ConfigLoader.load(path: configs.appendingPathComponent(name).path)
            XCTAssertEqual(config.name, String(name.dropLast(5)))
        }
    }
}
