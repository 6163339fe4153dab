import Experiment
import Tasks
import XCTest

/// The influence estimator on hand-built model results whose answer is known.
final class InfluenceTests: XCTestCase {
    /// A 4 × 4 pure task with a quarter held out: 12 trained and 4 held-out entities.
    private func dataset() throws -> Dataset {
        try Dataset(TaskSpec(kind: .pure, domainA: 4, domainB: 4, heldoutFraction: 0.25, classes: 2), seed: 3)
    }

    /// Held-out entity 0 is right exactly when trained entity 0 was in the subset: infl(0, 0) = 1 − 0 with no
    /// error. Trained entity 1 is in the subsets {0, 2}, one right and one wrong, and out of {1, 3}, also one
    /// each: infl(1, 0) = 0.5 − 0.5 = 0, se = √(0.25/2 + 0.25/2).
    func testInfluenceIsTheDifferenceOfConditionalAccuracies() throws {
        let data = try dataset()
        let (trained, heldOut) = (data.trainIndices, data.heldoutIndices)
        XCTAssertEqual([trained.count, heldOut.count], [12, 4])
        var membership = [[UInt8]](repeating: [UInt8](repeating: 0, count: 12), count: 4)
        for (m, subset) in [[0, 1], [0], [1], []].enumerated() { for i in subset { membership[m][i] = 1 } }
        let correct: [[UInt8]] = membership.map { [$0[0], 1, 0, 1] }
        let influence = try XCTUnwrap(Influence(data: data, membership: membership, correctHeldOut: correct))
        let first = try XCTUnwrap(influence.value(heldOut: 0, trained: 0))
        XCTAssertEqual(first.influence, 1)
        XCTAssertEqual(first.se, 0)
        let second = try XCTUnwrap(influence.value(heldOut: 0, trained: 1))
        XCTAssertEqual(second.influence, 0)
        XCTAssertEqual(second.se, (0.25 / 2 + 0.25 / 2).squareRoot(), accuracy: 1e-12)
        // Held-out entities that every model gets right (1) or wrong (2) are influenced by nothing.
        XCTAssertEqual(influence.value(heldOut: 1, trained: 0)?.influence, 0)
        XCTAssertEqual(influence.value(heldOut: 2, trained: 1)?.influence, 0)
        // Trained entity 2 is in no subset: its influence is undefined.
        XCTAssertNil(influence.value(heldOut: 0, trained: 2))
    }

    /// The relation means average the pairs of each held-out entity: with only trained entity 0 influential,
    /// each relation's mean is 1 / (pairs of that relation with a defined influence) for held-out entity 0, and
    /// 0 for the others.
    func testRelationMeansAverageWithinThenAcrossHeldOutEntities() throws {
        let data = try dataset()
        let (trained, heldOut) = (data.trainIndices, data.heldoutIndices)
        // Trained entity 0 is in subsets 0 and 1, every other one in 0 and 2; held-out entity 0 is right in models
        // 0 and 1 only. So infl(0, 0) = 1 − 0, and for the others (1 + 0)/2 − (1 + 0)/2 = 0.
        let membership: [[UInt8]] = [
            Array(repeating: 1, count: 12), [1] + Array(repeating: 0, count: 11),
            [0] + Array(repeating: 1, count: 11), Array(repeating: 0, count: 12),
        ]
        let correct: [[UInt8]] = [[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
        let influence = try XCTUnwrap(Influence(data: data, membership: membership, correctHeldOut: correct))
        let held = heldOut[0], first = trained[0]
        let shares = data.a[first] == data.a[held] || data.b[first] == data.b[held]
        let relation = (shares ? 0 : 2) + (data.labels[0][first] == data.labels[0][held] ? 0 : 1)
        let pairs = trained.filter { e in
            let s = data.a[e] == data.a[held] || data.b[e] == data.b[held]
            return (s ? 0 : 2) + (data.labels[0][e] == data.labels[0][held] ? 0 : 1) == relation
        }.count
        let rows = influence.relations
        XCTAssertEqual(rows.map(\.relation), Influence.relationNames)
        // The other held-out entities contribute 0 to every relation they have pairs in.
        let entitiesWithRelation = heldOut.filter { h in
            trained.contains { e in
                let s = data.a[e] == data.a[h] || data.b[e] == data.b[h]
                return (s ? 0 : 2) + (data.labels[0][e] == data.labels[0][h] ? 0 : 1) == relation
            }
        }.count
        XCTAssertEqual(rows[relation].mean, 1 / Double(pairs) / Double(entitiesWithRelation), accuracy: 1e-12)
        for r in rows.indices where r != relation { XCTAssertEqual(rows[r].mean, 0) }
    }

    func testTooManyPairsOrNoHeldOutEntitiesGiveNoInfluence() throws {
        let none = try Dataset(TaskSpec(kind: .pure, domainA: 3, domainB: 1, heldoutFraction: 0, classes: 2), seed: 0)
        let subsets = [[UInt8](repeating: 1, count: 3)]
        XCTAssertNil(Influence(data: none, membership: subsets, correctHeldOut: [[]]))
        // 10,000 trained × 10,000 held-out entities: 100 million pairs, more than the limit.
        let many = try Dataset(
            TaskSpec(kind: .pure, domainA: 200, domainB: 100, heldoutFraction: 0.5, classes: 2), seed: 0)
        XCTAssertGreaterThan(many.trainIndices.count * many.heldoutIndices.count, Influence.pairLimit)
        XCTAssertNil(Influence(data: many, membership: [], correctHeldOut: []))
    }
}
