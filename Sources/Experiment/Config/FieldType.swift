import RunStore

/// The JSON shape and range of a config field's value: what decoding accepts,
/// what the error says it expected, and what the JSON Schema declares.
enum FieldType {
    /// An integer in [minimum, maximum].
    case integer(minimum: Int, maximum: Int?)
    /// A number within the bounds.
    case number(Bounds)
    case boolean
    /// A name of letters, digits, '-', '_' or '.', at most `maximumNameLength` long.
    case name
    /// Free text.
    case text
    /// One of a fixed list of strings.
    case choice([String])
    /// A non-empty array of integers ≥ minimum.
    case integers(minimum: Int)
    /// An array of exactly `count` numbers within the bounds.
    case numbers(count: Int, Bounds)
    /// An integer ≥ minimum, or null.
    case integerOrNull(minimum: Int)
    /// An integer ≥ minimum, or the given word.
    case integerOrWord(minimum: Int, word: String)
    /// An array of strings from a fixed list.
    case choices([String])
    /// A nested object with fields of its own.
    case section([FieldSpec])

    /// Names become directory names; file systems allow 255 bytes.
    static let maximumNameLength = 128

    /// Bounds of a number; each side closed or open, or absent.
    struct Bounds {
        var lower: Double?
        var lowerOpen = false
        var upper: Double?
        var upperOpen = false
        /// The value is used as a Float32, so it must keep its meaning there (see `effective`).
        var float32 = false

        static func closed(_ lower: Double, _ upper: Double) -> Bounds { Bounds(lower: lower, upper: upper) }
        static func halfOpen(_ lower: Double, _ upper: Double) -> Bounds {
            Bounds(lower: lower, upper: upper, upperOpen: true)
        }
        static func above(_ lower: Double) -> Bounds { Bounds(lower: lower, lowerOpen: true) }
        static func atLeast(_ lower: Double) -> Bounds { Bounds(lower: lower) }
        static func float32(above lower: Double) -> Bounds { float32(.above(lower)) }
        static func float32(_ bounds: Bounds) -> Bounds {
            var b = bounds
            b.float32 = true
            return b
        }

        /// The bounds a value is checked against (and the schema declares). For Float32 values they are
        /// tightened so that rounding cannot break them: an ε of 1e-50 would round to 0 and a β of
        /// 0.99999999999 to 1. A positive lower bound of 0 starts at the smallest normal Float32; an open
        /// upper bound stops at the midpoint below it, where rounding would reach it; the top is Float32's largest.
        var effective: Bounds {
            guard float32 else { return self }
            var b = self
            b.float32 = false
            if lower == 0, lowerOpen { (b.lower, b.lowerOpen) = (Double(Float.leastNormalMagnitude), false) }
            if let u = upper, upperOpen { b.upper = (Double(Float(u).nextDown) + u) / 2 }
            if upper == nil { b.upper = Double(Float.greatestFiniteMagnitude) }
            return b
        }

        func contains(_ x: Double) -> Bool {
            let b = effective
            guard x.isFinite else { return false }
            if let lower = b.lower, b.lowerOpen ? !(x > lower) : !(x >= lower) { return false }
            if let upper = b.upper, b.upperOpen ? !(x < upper) : !(x <= upper) { return false }
            return true
        }

        /// "a number in [0, 1)", "a number > 0", "a number ≥ 0".
        var phrase: String {
            let f = JSONValue.format
            switch (lower, upper) {
            case let (l?, u?): return "a number in \(lowerOpen ? "(" : "[")\(f(l)), \(f(u))\(upperOpen ? ")" : "]")"
            case let (l?, nil): return "a number \(lowerOpen ? ">" : "≥") \(f(l))"
            case let (nil, u?): return "a number \(upperOpen ? "<" : "≤") \(f(u))"
            case (nil, nil): return "a finite number"
            }
        }

        /// Why a value inside the written bounds can still be refused.
        var caveat: String { float32 ? " that keeps its value in Float32, the engine's precision" : "" }
    }
}

/// When a field is used: always, or only when a sibling choice field (the
/// section's discriminator, e.g. `task.kind`) has one of the given values.
/// A list field (`analyses`) selects when it contains one of the values.
struct Condition {
    let key: String
    let values: [String]

    /// Whether the discriminator's resolved value selects the field.
    func holds(_ discriminator: JSONValue?) -> Bool {
        if case let .array(items)? = discriminator { return items.contains { values.contains($0.stringValue ?? "") } }
        return values.contains(discriminator?.stringValue ?? "")
    }

    /// "task.kind is \"rule_of_thumb\"", or "analyses lists \"sae\"", for messages.
    func phrase(path: String, discriminator: JSONValue?) -> String {
        if case .array? = discriminator { return "\(path) lists " + quoted }
        return "\(path) is \"\(discriminator?.stringValue ?? "")\""
    }

    var quoted: String { values.map { "\"\($0)\"" }.joined(separator: " or ") }
}

/// One config field, untyped: everything decoding, encoding, validation and
/// the JSON Schema need to know about it.
struct FieldSpec {
    let key: String
    let type: FieldType
    /// The default as JSON; nil for a field that must be given when it applies.
    let defaultValue: JSONValue?
    let applies: Condition?
    /// Accepted in configs but not part of the resolved config (`$schema`, `description`).
    let informational: Bool
    let doc: String
    /// An example value for the error when a required field is missing.
    let example: String?
}

extension FieldType {
    /// What a value of this type is, for error messages.
    var expectation: String {
        switch self {
        case let .integer(minimum, maximum?): return "an integer in [\(minimum), \(maximum)]"
        case let .integer(minimum, nil): return Self.integerPhrase(minimum)
        case let .number(bounds): return bounds.phrase + bounds.caveat
        case .boolean: return "true or false"
        case .name: return "at most \(Self.maximumNameLength) ASCII letters, digits, '-', '_' or '.'"
        case .text: return "a string"
        case let .choice(options): return "one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case let .integers(minimum): return "a non-empty array of \(Self.integerPhrase(minimum, plural: true))"
        case let .numbers(count, bounds): return "\(count) numbers, each \(bounds.phrase.dropFirst(2))\(bounds.caveat)"
        case let .integerOrNull(minimum): return "\(Self.integerPhrase(minimum)) or null"
        case let .integerOrWord(minimum, word): return "\(Self.integerPhrase(minimum)) or \"\(word)\""
        case let .choices(options):
            return "an array of names from " + options.map { "\"\($0)\"" }.joined(separator: ", ")
        case .section: return "an object"
        }
    }

    static func integerPhrase(_ minimum: Int, plural: Bool = false) -> String {
        switch minimum {
        case 1: return plural ? "positive integers" : "a positive integer"
        case 0: return plural ? "non-negative integers" : "a non-negative integer"
        default: return plural ? "integers ≥ \(minimum)" : "an integer ≥ \(minimum)"
        }
    }
}
