/// A task specification that cannot produce a dataset, with the config path at fault.
public struct TaskError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Range checks on a `TaskSpec`; paths are those of the JSON config.
public enum TaskValidation {
    public static func check(_ s: TaskSpec) throws {
        // Each bounded by Int32.max, so that products of two of them cannot overflow.
        try bounded("task.domain.a", s.domainA, minimum: 1)
        try bounded("task.domain.b", s.domainB, minimum: 1)
        try bounded("task.classes", s.classes, minimum: 2)
        let cells = s.domainA * s.domainB
        if let n = s.entities {
            guard n >= 1 else { throw TaskError("task.entities", "expected a positive integer, got \(n)") }
            guard n <= cells else {
                throw TaskError(
                    "task.entities", "\(n) entities do not fit in a \(s.domainA) × \(s.domainB) domain (\(cells) pairs)"
                )
            }
        }
        guard s.heldoutFraction >= 0, s.heldoutFraction < 1 else {
            throw TaskError("task.heldout_fraction", "expected a number in [0, 1), got \(s.heldoutFraction)")
        }
        guard s.trainCount >= 1 else {
            throw TaskError(
                "task.heldout_fraction",
                "holds out \(s.heldoutCount) of \(s.entityCount) entities, leaving none to train on")
        }
        guard s.classes <= s.entityCount else {
            throw TaskError("task.classes", "\(s.classes) classes is more than the \(s.entityCount) entities")
        }
        switch s.kind {
        case .pure:
            break
        case .rule_of_thumb, .generalising:
            guard let rule = s.rule else { throw TaskError("task.rule", "a \(s.kind.rawValue) task needs a rule") }
            if case let .checkerboard(block) = rule { try bounded("task.rule.block", block, minimum: 1) }
            if s.kind == .rule_of_thumb, !(s.exceptionRate >= 0 && s.exceptionRate <= 1) {
                throw TaskError("task.exception_rate", "expected a number in [0, 1], got \(s.exceptionRate)")
            }
        case .correlated:
            guard s.facts >= 2, s.facts <= TaskSpec.maximumFacts else {
                throw TaskError(
                    "task.facts", "a correlated task needs between 2 and \(TaskSpec.maximumFacts) facts, got \(s.facts)"
                )
            }
            guard s.correlation >= 0, s.correlation <= 1 else {
                throw TaskError("task.correlation", "expected a number in [0, 1], got \(s.correlation)")
            }
        }
    }

    private static func bounded(_ path: String, _ value: Int, minimum: Int) throws {
        guard value >= minimum, value <= TaskSpec.maximumToken else {
            throw TaskError(path, "expected an integer in [\(minimum), \(TaskSpec.maximumToken)], got \(value)")
        }
    }
}
