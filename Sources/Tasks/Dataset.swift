import Randomness

/// The entities of a task with their labels and train / held-out split.
///
/// Rows are entities in row-major grid order (by a, then b). Everything is a
/// pure function of (spec, seed): each part draws from its own stream split
/// off the seed, so changing, say, the held-out fraction does not change
/// the labels.
///
/// ```swift
/// let data = try Dataset(spec, seed: 0)
/// data.labels[0][i]    // fact 0 of entity i = (data.a[i], data.b[i])
/// data.isHeldout(i)
/// ```
public struct Dataset: Sendable {
    public let spec: TaskSpec
    public let a: [Int32]
    public let b: [Int32]
    /// labels[f][i]: fact f of entity i.
    public let labels: [[Int32]]
    /// 0 train, 1 held-out.
    public let split: [UInt8]
    /// The task's rule evaluated on every entity (a macrofeature), or nil
    /// for tasks without a rule. For rule_of_thumb these are the labels
    /// before exceptions.
    public let ruleFeature: [Int32]?

    public var count: Int { a.count }
    public var factCount: Int { labels.count }
    public func isHeldout(_ i: Int) -> Bool { split[i] == 1 }

    /// Indices of trained and of held-out entities, ascending.
    public var trainIndices: [Int] { split.indices.filter { split[$0] == 0 } }
    public var heldoutIndices: [Int] { split.indices.filter { split[$0] == 1 } }

    public init(_ spec: TaskSpec, seed: UInt64) throws {
        try TaskValidation.check(spec)
        self.spec = spec
        let root = SeededGenerator(seed: seed)
        var entityStream = root.split(salt: 1)
        let cells = Sampling.distinct(spec.entityCount, of: spec.domainA * spec.domainB, using: &entityStream)
        a = cells.map { Int32($0 / spec.domainB) }
        b = cells.map { Int32($0 % spec.domainB) }
        var ruleStream = root.split(salt: 4)
        ruleFeature = Labelling.ruleLabels(spec, a: a, b: b, using: &ruleStream)
        var labelStream = root.split(salt: 2)
        labels = Labelling.labels(spec, rule: ruleFeature, count: cells.count, using: &labelStream)
        var splitStream = root.split(salt: 3)
        let heldout = Set(Sampling.distinct(spec.heldoutCount, of: cells.count, using: &splitStream))
        split = cells.indices.map { heldout.contains($0) ? 1 : 0 }
    }
}
