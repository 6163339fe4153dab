import RunStore

/// Reads one JSON object of a config, field by field, with the JSON path
/// in every error. Unknown keys are rejected up front with a did-you-mean.
///
/// ```swift
/// var r = try ObjectReader(json["train"], path: "train", known: ["steps"])
/// let steps = try r.int("steps", default: 2000, atLeast: 1)
/// ```
struct ObjectReader {
    let path: String
    private let pairs: [(key: String, value: JSONValue)]

    /// `value` nil or absent means an empty object: every field takes its default.
    init(_ value: JSONValue?, path: String, known: [String]) throws {
        self.path = path
        switch value {
        case nil, .null?:
            pairs = []
        case let .object(p)?:
            pairs = p
        case let other?:
            throw ConfigError(path, "expected an object, got \(other.typeName) \(other.brief)")
        }
        for (key, _) in pairs where !known.contains(key) {
            let hint = suggestion(for: key, among: known).map { "; did you mean '\($0)'?" } ?? ""
            throw ConfigError(
                child(shown(key)), "unknown key '\(shown(key))'\(hint) (known: \(known.joined(separator: ", ")))")
        }
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func value(_ key: String) -> JSONValue? {
        guard let v = pairs.first(where: { $0.key == key })?.value, v != .null else { return nil }
        return v
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func int(_ key: String, default fallback: Int, atLeast minimum: Int) throws -> Int {
        guard let v = value(key) else { return fallback }
        return try Self.int(v, path: child(key), atLeast: minimum)
    }

    static func int(_ v: JSONValue, path: String, atLeast minimum: Int) throws -> Int {
        let what =
            minimum == 1 ? "a positive integer" : minimum == 0 ? "a non-negative integer" : "an integer ≥ \(minimum)"
        guard case let .number(x, _) = v, x.rounded() == x, abs(x) < 1e15 else {
            throw ConfigError(path, "expected \(what), got \(v.typeName) \(v.brief)")
        }
        guard Int(x) >= minimum else { throw ConfigError(path, "expected \(what), got \(v.brief)") }
        return Int(x)
    }

    func double(
        _ key: String, default fallback: Double, in range: ClosedRange<Double>? = nil,
        above lower: Double? = nil, below upper: Double? = nil
    ) throws -> Double {
        guard let v = value(key) else { return fallback }
        let p = child(key)
        var what = "a number"
        if let range { what += " in [\(JSONValue.format(range.lowerBound)), \(JSONValue.format(range.upperBound))]" }
        if let lower, let upper {
            what = "a number in (\(JSONValue.format(lower)), \(JSONValue.format(upper)))"
        } else if let lower {
            what = "a number > \(JSONValue.format(lower))"
        } else if let upper {
            what = "a number < \(JSONValue.format(upper))"
        }
        guard case let .number(x, _) = v else { throw ConfigError(p, "expected \(what), got \(v.typeName) \(v.brief)") }
        if let range, !range.contains(x) { throw ConfigError(p, "expected \(what), got \(v.brief)") }
        if let lower, !(x > lower) { throw ConfigError(p, "expected \(what), got \(v.brief)") }
        if let upper, !(x < upper) { throw ConfigError(p, "expected \(what), got \(v.brief)") }
        return x
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = value(key) else { return fallback }
        guard case let .bool(b) = v else {
            throw ConfigError(child(key), "expected true or false, got \(v.typeName) \(v.brief)")
        }
        return b
    }

    func string(_ key: String, default fallback: String) throws -> String {
        guard let v = value(key) else { return fallback }
        guard case let .string(s) = v else {
            throw ConfigError(child(key), "expected a string, got \(v.typeName) \(v.brief)")
        }
        return s
    }

    /// One of the raw values of a string enum, with a did-you-mean.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, default fallback: E) throws -> E
    where E.RawValue == String {
        guard let v = value(key) else { return fallback }
        let options = E.allCases.map(\.rawValue)
        guard case let .string(s) = v else {
            throw ConfigError(
                child(key),
                "expected one of \(options.map { "\"\($0)\"" }.joined(separator: ", ")), got \(v.typeName) \(v.brief)")
        }
        guard let e = E(rawValue: s) else {
            let hint = suggestion(for: s, among: options).map { "; did you mean \"\($0)\"?" } ?? ""
            throw ConfigError(
                child(key),
                "expected one of \(options.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"\(hint)")
        }
        return e
    }

    /// Rejects a key that the chosen variant does not use.
    func forbid(_ key: String, because reason: String) throws {
        if has(key) { throw ConfigError(child(key), "not used \(reason); remove it") }
    }
}
