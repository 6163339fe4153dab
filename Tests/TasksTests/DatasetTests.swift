import Tasks
import XCTest

final class DatasetTests: XCTestCase {
    func testWholeGridInRowMajorOrderWithExactHeldoutCount() throws {
        let data = try Dataset(
            TaskSpec(kind: .pure, domainA: 4, domainB: 5, heldoutFraction: 0.25, classes: 3), seed: 1)
        XCTAssertEqual(data.count, 20)
        XCTAssertEqual(Array(zip(data.a, data.b).map { Int($0) * 5 + Int($1) }), Array(0..<20))
        XCTAssertEqual(data.heldoutIndices.count, 5)
        XCTAssertEqual(data.trainIndices.count, 15)
    }

    func testSameSeedSameDataDifferentSeedDifferentLabels() throws {
        let spec = TaskSpec(kind: .pure, domainA: 30, domainB: 30, entities: 500, classes: 3)
        let x = try Dataset(spec, seed: 7), y = try Dataset(spec, seed: 7), z = try Dataset(spec, seed: 8)
        XCTAssertEqual(x.a, y.a)
        XCTAssertEqual(x.labels, y.labels)
        XCTAssertEqual(x.split, y.split)
        XCTAssertNotEqual(x.labels, z.labels)
    }

    func testChangingTheHeldoutFractionKeepsTheLabels() throws {
        var spec = TaskSpec(kind: .pure, domainA: 20, domainB: 20, classes: 4)
        let before = try Dataset(spec, seed: 3)
        spec.heldoutFraction = 0.5
        let after = try Dataset(spec, seed: 3)
        XCTAssertEqual(before.labels, after.labels)
        XCTAssertNotEqual(before.split, after.split)
    }

    func testEntitySubsetIsDistinctSortedAndInsideTheDomain() throws {
        let data = try Dataset(TaskSpec(kind: .pure, domainA: 50, domainB: 40, entities: 1500, classes: 3), seed: 2)
        let cells = zip(data.a, data.b).map { Int($0) * 40 + Int($1) }
        XCTAssertEqual(cells.count, 1500)
        XCTAssertEqual(Set(cells).count, 1500)
        XCTAssertEqual(cells, cells.sorted())
        XCTAssertTrue(data.a.allSatisfy { (0..<50).contains($0) } && data.b.allSatisfy { (0..<40).contains($0) })
    }

    func testPureLabelsAreUniform() throws {
        // 10,000 draws over 4 classes: each count ~ Binomial(10⁴, ¼), sd ≈ 43; allow 5 sd.
        let data = try Dataset(TaskSpec(kind: .pure, domainA: 100, domainB: 100, classes: 4), seed: 5)
        let counts = (0..<4).map { c in data.labels[0].filter { $0 == c }.count }
        for n in counts { XCTAssertEqual(Double(n), 2500, accuracy: 5 * 43.3) }
    }

    func testRulesByDefinition() throws {
        let board = try Dataset(
            TaskSpec(kind: .generalising, domainA: 12, domainB: 9, classes: 2, rule: .checkerboard(block: 3)), seed: 0)
        for i in 0..<board.count {
            XCTAssertEqual(board.labels[0][i], (board.a[i] / 3 + board.b[i] / 3) % 2)
        }
        let modular = try Dataset(
            TaskSpec(kind: .generalising, domainA: 7, domainB: 7, classes: 7, rule: .sumMod), seed: 0)
        for i in 0..<modular.count { XCTAssertEqual(modular.labels[0][i], (modular.a[i] + modular.b[i]) % 7) }
        XCTAssertEqual(modular.ruleFeature, modular.labels[0])
        let aOnly = try Dataset(
            TaskSpec(kind: .generalising, domainA: 10, domainB: 10, classes: 3, rule: .aOnly), seed: 0)
        for i in 0..<aOnly.count {
            let first = aOnly.a.firstIndex(of: aOnly.a[i])!
            XCTAssertEqual(aOnly.labels[0][i], aOnly.labels[0][first], "the label depends on a alone")
        }
        XCTAssertGreaterThan(Set(aOnly.labels[0]).count, 1)
    }

    func testRuleOfThumbHasExactlyTheExceptionFractionAndExceptionsChangeTheLabel() throws {
        let spec = TaskSpec(
            kind: .rule_of_thumb, domainA: 40, domainB: 50, classes: 3, rule: .sumMod, exceptionRate: 0.15)
        let data = try Dataset(spec, seed: 4)
        let rule = data.ruleFeature!
        XCTAssertEqual(zip(rule, data.labels[0]).filter { $0 != $1 }.count, 300)  // 15% of 2,000
        for i in 0..<data.count { XCTAssertEqual(rule[i], (data.a[i] + data.b[i]) % 3) }
        XCTAssertNil(try Dataset(TaskSpec(kind: .pure, domainA: 3, domainB: 3, classes: 2), seed: 0).ruleFeature)
    }

    func testCorrelatedFactsAgreeAtTheDeclaredRate() throws {
        // Fact 1 = relabel(fact 0) with probability ρ, else uniform: agreement with the
        // relabelling is ρ + (1 − ρ)/C = 0.7 + 0.3/3 = 0.8. n = 10⁴, sd = 0.004; allow 5 sd.
        let spec = TaskSpec(kind: .correlated, domainA: 100, domainB: 100, classes: 3, facts: 3, correlation: 0.7)
        let data = try Dataset(spec, seed: 9)
        XCTAssertEqual(data.factCount, 3)
        for f in 1..<3 {
            var pairs = [[Int]](repeating: [Int](repeating: 0, count: 3), count: 3)
            for i in 0..<data.count { pairs[Int(data.labels[0][i])][Int(data.labels[f][i])] += 1 }
            let agreement = Double(pairs.map { $0.max()! }.reduce(0, +)) / Double(data.count)
            XCTAssertEqual(agreement, 0.8, accuracy: 0.02)
        }
    }

    func testInvalidSpecsNameTheirConfigPath() {
        func path(_ spec: TaskSpec) -> String? {
            do { _ = try Dataset(spec, seed: 0); return nil } catch { return (error as? TaskError)?.path }
        }
        XCTAssertEqual(path(TaskSpec(kind: .pure, domainA: -3, domainB: 4, classes: 2)), "task.domain.a")
        XCTAssertEqual(path(TaskSpec(kind: .pure, domainA: 3, domainB: 3, entities: 10, classes: 2)), "task.entities")
        XCTAssertEqual(path(TaskSpec(kind: .pure, domainA: 3, domainB: 3, classes: 10)), "task.classes")
        XCTAssertEqual(
            path(TaskSpec(kind: .pure, domainA: 2, domainB: 2, heldoutFraction: 0.9, classes: 2)),
            "task.heldout_fraction")
        XCTAssertEqual(path(TaskSpec(kind: .generalising, domainA: 3, domainB: 3, classes: 2)), "task.rule")
        XCTAssertEqual(path(TaskSpec(kind: .correlated, domainA: 3, domainB: 3, classes: 2, facts: 1)), "task.facts")
    }
}
