/// Which kind of fact table a task is.
public enum TaskKind: String, Sendable, CaseIterable, Codable {
    /// Labels i.i.d. uniform over the classes: nothing to generalise.
    case pure
    /// A rule with a fraction of exceptions, whose labels are redrawn among the other classes.
    case rule_of_thumb
    /// Several attributes per entity, correlated with the first.
    case correlated
    /// A rule with no exceptions (checkerboard, modular addition).
    case generalising
}

/// A deterministic labelling rule over the (a, b) grid.
public enum Rule: Sendable, Equatable, Codable {
    /// ((a / s) + (b / s)) mod C: an s × s block checkerboard (C = 2 is the classic one).
    case checkerboard(block: Int)
    /// (a + b) mod C: modular addition, the grokking task when C = p.
    case sumMod
    /// A fixed random function of a alone (the "last-name token carries the sport" case).
    case aOnly

    public var name: String {
        switch self {
        case .checkerboard: return "checkerboard"
        case .sumMod: return "sum_mod"
        case .aOnly: return "a_only"
        }
    }
}

/// A task over integer pairs: domain, entities, labels and the held-out split.
///
/// ```swift
/// let spec = TaskSpec(kind: .pure, domainA: 100, domainB: 100, classes: 3, heldoutFraction: 0.2)
/// let data = try Dataset(spec, seed: 0)
/// ```
public struct TaskSpec: Sendable, Equatable {
    public var kind: TaskKind
    public var domainA: Int
    public var domainB: Int
    /// Number of entities; nil means the whole grid.
    public var entities: Int?
    public var heldoutFraction: Double
    public var classes: Int
    public var rule: Rule?
    /// Fraction q of entities whose rule label is replaced (rule_of_thumb).
    public var exceptionRate: Double
    /// Number of facts F (correlated); 1 otherwise.
    public var facts: Int
    /// Probability ρ that a further fact is the fixed relabelling of the first (correlated).
    public var correlation: Double

    public init(
        kind: TaskKind, domainA: Int, domainB: Int, entities: Int? = nil, heldoutFraction: Double = 0.2,
        classes: Int, rule: Rule? = nil, exceptionRate: Double = 0, facts: Int = 1, correlation: Double = 0
    ) {
        self.kind = kind
        self.domainA = domainA
        self.domainB = domainB
        self.entities = entities
        self.heldoutFraction = heldoutFraction
        self.classes = classes
        self.rule = rule
        self.exceptionRate = exceptionRate
        self.facts = facts
        self.correlation = correlation
    }

    /// The largest domain size, class count or block: tokens and labels are stored as Int32.
    public static let maximumToken = Int(Int32.max)
    /// The most facts per entity: each is a read-out of its own, and the model holds one per fact.
    public static let maximumFacts = 1024

    public var entityCount: Int { entities ?? domainA * domainB }
    public var heldoutCount: Int { Int((heldoutFraction * Double(entityCount)).rounded()) }
    public var trainCount: Int { entityCount - heldoutCount }
}
