import Experiment
import Foundation
import RunStore
import Tasks
import XCTest

/// Sizes are checked before anything is allocated: no overflow, no unbounded allocation.
final class SizeLimitTests: XCTestCase {
    private func config(_ pairs: [(String, JSONValue)]) throws -> ExperimentConfig {
        var json = JSONValue.object([])
        for (path, value) in pairs { json = try ConfigLoader.apply(path, value: value, to: json) }
        return try ExperimentConfig(json: json, defaultName: "t")
    }

    private func path(of body: () throws -> Void) -> String? {
        do { try body() } catch let e as ConfigError { return e.path } catch { return "\(error)" }
        return nil
    }

    func testDomainAndBlockBeyondInt32AreRefusedBeforeAnyArithmetic() {
        // 10¹⁰ × 10¹⁰ overflowed Int in validation; a block of 3·10⁹ trapped in Int32(block).
        XCTAssertEqual(
            path {
                _ = try config([("task.domain", .object([("a", .int(10_000_000_000)), ("b", .int(10_000_000_000))]))])
            }, "task.domain.a")
        XCTAssertEqual(
            path {
                _ = try config([
                    ("task.kind", .string("generalising")),
                    ("task.rule", .object([("kind", .string("checkerboard")), ("block", .int(3_000_000_000))])),
                ])
            }, "task.rule.block")
        let spec = TaskSpec(
            kind: .generalising, domainA: 10, domainB: 10, classes: 2, rule: .checkerboard(block: 3_000_000_000))
        XCTAssertThrowsError(try Dataset(spec, seed: 0))
    }

    func testFactsAreBoundedBeforeTheModelIsSized() {
        // 21,474,836,482 facts passed validation and the model spec allocated one class count per fact
        // (found by the config fuzzer).
        for facts in [1025, 21_474_836_482] {
            XCTAssertEqual(
                path { _ = try config([("task.kind", .string("correlated")), ("task.facts", .int(facts))]) },
                "task.facts")
        }
        XCTAssertNil(path { _ = try config([("task.kind", .string("correlated")), ("task.facts", .int(1024))]) })
    }

    func testAFewEntitiesOfAHugeGridAreSampledWithoutBuildingTheGrid() throws {
        // The whole 10⁶ × 10⁶ population would be 8 TB; the sample needs a few kilobytes.
        let spec = TaskSpec(kind: .pure, domainA: 1_000_000, domainB: 1_000_000, entities: 1000, classes: 2)
        let data = try Dataset(spec, seed: 3)
        XCTAssertEqual(data.count, 1000)
        let cells = Set(zip(data.a, data.b).map { Int($0) * 1_000_000 + Int($1) })
        XCTAssertEqual(cells.count, 1000, "entities are distinct")
        XCTAssertTrue(
            data.a.allSatisfy { $0 >= 0 && $0 < 1_000_000 } && data.b.allSatisfy { $0 >= 0 && $0 < 1_000_000 })
    }

    func testEstimateRefusesWhatCannotFitAndNamesTheField() throws {
        let limits = MachineLimits(memoryBytes: Double(1 << 30), memorySource: "a 1 GiB test limit")
        let small = try config([])
        XCTAssertNoThrow(try ResourceEstimate(training: small).check(against: limits))
        XCTAssertLessThan(ResourceEstimate(training: small).bytes, Double(200 << 20))
        let cases: [(String, JSONValue, String)] = [
            ("model.hidden", .array([.int(100_000_000)]), "model.hidden"),
            ("model.embedding", .int(10_000_000), "model.embedding"),
            ("task.domain", .object([("a", .int(100_000)), ("b", .int(100_000))]), "task.domain"),
        ]
        for (key, value, field) in cases {
            let huge = try config([(key, value)])
            XCTAssertEqual(path { try ResourceEstimate(training: huge).check(against: limits) }, field, key)
        }
        // Analysing a run walks the A × B grid: a 10⁶ × 10⁶ domain cannot be analysed even with few entities.
        let sparse = try config([
            ("task.domain", .object([("a", .int(1_000_000)), ("b", .int(1_000_000))])), ("task.entities", .int(1000)),
        ])
        XCTAssertEqual(path { try ResourceEstimate(analysing: sparse).check(against: .current) }, "task.domain")
    }

    func testLongWorkIsEstimatedInProportionToSteps() throws {
        let short = ResourceEstimate(training: try config([("train.steps", .int(1000))]))
        let long = ResourceEstimate(training: try config([("train.steps", .int(1_000_000_000))]))
        XCTAssertNil(short.longWarning(threads: 1))
        XCTAssertNotNil(long.longWarning(threads: 1))
        XCTAssertGreaterThan(long.flops / short.flops, 0.5e6)
    }

    func testFloat32MeaninglessValuesAreRefused() {
        func optimizer(_ key: String, _ value: JSONValue) -> String? {
            path { _ = try config([("train.optimizer.\(key)", value)]) }
        }
        XCTAssertEqual(optimizer("eps", .double(1e-50)), "train.optimizer.eps")  // rounds to 0 in Float32
        XCTAssertEqual(optimizer("betas", .array([.double(0.9), .double(0.99999999999)])), "train.optimizer.betas[1]")
        XCTAssertEqual(optimizer("lr", .double(1e39)), "train.optimizer.lr")  // infinite in Float32
        XCTAssertNil(optimizer("eps", .double(1e-30)))
        XCTAssertNil(optimizer("betas", .array([.double(0.9), .double(0.9999999)])))
    }
}
