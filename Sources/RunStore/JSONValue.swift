/// A parsed JSON document that keeps what configs need and Foundation's
/// parser loses: whether a number was written as an integer, the order of
/// keys, and (through `JSONParser`) the line and column of syntax errors.
///
/// ```swift
/// let v = try JSONParser.parse(#"{"steps": 2000, "lr": 1e-3}"#)
/// v["steps"]?.intValue   // 2000
/// v.serialized()         // {"lr":0.001,"steps":2000}  (keys sorted)
/// ```
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double, isInteger: Bool)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (l: JSONValue, r: JSONValue) -> Bool {
        switch (l, r) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x, _), .number(y, _)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count
                && x.allSatisfy { pair in y.contains { $0.key == pair.key && $0.value == pair.value } }
        default: return false
        }
    }

    public static func int(_ x: Int) -> JSONValue { .number(Double(x), isInteger: true) }
    public static func double(_ x: Double) -> JSONValue { .number(x, isInteger: false) }

    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.last { $0.key == key }?.value
    }

    public var intValue: Int? {
        guard case let .number(x, _) = self, x.rounded() == x, abs(x) < 9e15 else { return nil }
        return Int(x)
    }

    public var objectPairs: [(key: String, value: JSONValue)]? {
        guard case let .object(pairs) = self else { return nil }
        return pairs
    }

    public var arrayValue: [JSONValue]? {
        guard case let .array(items) = self else { return nil }
        return items
    }

    public var doubleValue: Double? {
        guard case let .number(x, _) = self else { return nil }
        return x
    }

    public var stringValue: String? {
        guard case let .string(s) = self else { return nil }
        return s
    }

    /// A short description of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case let .number(_, isInteger): return isInteger ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value as it would appear in a message: `-3`, `"relu"`, `[512]`.
    public var brief: String {
        let text = serialized()
        return text.count > 40 ? String(text.prefix(37)) + "…" : text
    }
}
