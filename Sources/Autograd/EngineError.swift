/// Why the engine refused to compute: every message names the operation and
/// the offending shapes or values, so a wrong number is never produced
/// silently.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int], detail: String)
    case indexOutOfRange(op: String, index: Int, position: Int, limit: Int)
    case nonFinite(op: String, detail: String)
    case invalidBackward(String)

    /// The same error for a batch whose rows start `offset` rows into a
    /// larger one, so that positions count from the larger batch.
    public func shifted(by offset: Int) -> EngineError {
        guard case let .indexOutOfRange(op, index, position, limit) = self else { return self }
        return .indexOutOfRange(op: op, index: index, position: position + offset, limit: limit)
    }

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs, detail):
            return "\(op): shapes \(lhs) and \(rhs) do not match (\(detail))"
        case let .indexOutOfRange(op, index, position, limit):
            return "\(op): index \(index) at position \(position) is outside [0, \(limit))"
        case let .nonFinite(op, detail):
            return "\(op): non-finite value (\(detail))"
        case let .invalidBackward(detail):
            return "backward: \(detail)"
        }
    }
}
