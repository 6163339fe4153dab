import RunStore

/// Checks a config object against its `FieldSpec`s and resolves it: every
/// value checked against its type and range, every default filled in, fields
/// that do not apply to the chosen variant rejected, informational fields
/// dropped. Errors name the JSON path, with a did-you-mean for unknown keys and
/// choices.
///
/// ```swift
/// let resolved = try ConfigResolver.resolve(ExperimentConfig.fields.map(\.spec), json, path: "")
/// ```
enum ConfigResolver {
    static func resolve(_ specs: [FieldSpec], _ value: JSONValue?, path: String) throws -> JSONValue {
        let pairs: [(key: String, value: JSONValue)]
        switch value {
        case nil: pairs = []
        case let .object(p)?: pairs = p
        case let other?: throw ConfigError(path, "expected an object, got \(other.typeName) \(other.brief)")
        }
        let known = specs.map(\.key)
        for (key, _) in pairs where !known.contains(key) {
            let hint = suggestion(for: key, among: known).map { "; did you mean '\($0)'?" } ?? ""
            throw ConfigError(
                child(path, shown(key)), "unknown key '\(shown(key))'\(hint) (known: \(known.joined(separator: ", ")))")
        }
        var resolved: [(key: String, value: JSONValue)] = []
        for spec in specs {
            let here = child(path, spec.key)
            let given = pairs.last { $0.key == spec.key }?.value
            if let condition = spec.applies {
                let discriminator = resolved.first { $0.key == condition.key }?.value
                let place = child(path, condition.key)
                guard condition.holds(discriminator) else {
                    if given != nil {
                        if case .array? = discriminator {
                            throw ConfigError(here, "not used unless \(place) lists \(condition.quoted); remove it")
                        }
                        throw ConfigError(
                            here,
                            "not used when \(condition.phrase(path: place, discriminator: discriminator)) "
                                + "(only \(condition.quoted)); remove it")
                    }
                    continue
                }
                if given == nil, spec.defaultValue == nil {
                    let example = spec.example.map { ", e.g. \($0)" } ?? ""
                    throw ConfigError(here, "required when \(place) is \(condition.quoted)\(example)")
                }
            }
            guard let given else {
                if spec.informational { continue }
                guard let fallback = spec.defaultValue else {
                    throw ConfigError(here, "required: expected \(spec.type.expectation)")
                }
                resolved.append((spec.key, try check(spec.type, fallback, path: here)))
                continue
            }
            let value = try check(spec.type, given, path: here)
            if !spec.informational { resolved.append((spec.key, value)) }
        }
        return .object(resolved)
    }

    /// The value checked against `type`, in its canonical form.
    static func check(_ type: FieldType, _ v: JSONValue, path: String) throws -> JSONValue {
        func mismatch() -> ConfigError {
            ConfigError(path, "expected \(type.expectation), got \(v == .null ? "null" : "\(v.typeName) \(v.brief)")")
        }
        func outOfRange() -> ConfigError { ConfigError(path, "expected \(type.expectation), got \(v.brief)") }
        switch type {
        case let .integer(minimum, maximum):
            guard case let .number(x, _) = v, x.rounded() == x, abs(x) < 1e15 else { throw mismatch() }
            guard Int(x) >= minimum, maximum.map({ Int(x) <= $0 }) ?? true else { throw outOfRange() }
            return .int(Int(x))
        case let .number(bounds):
            guard case let .number(x, _) = v else { throw mismatch() }
            guard bounds.contains(x) else { throw outOfRange() }
            return .double(x)
        case .boolean:
            guard case .bool = v else { throw mismatch() }
            return v
        case .text:
            guard case .string = v else { throw mismatch() }
            return v
        case .name:
            guard case let .string(s) = v else { throw mismatch() }
            guard !s.isEmpty, s.utf8.count <= FieldType.maximumNameLength,
                s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            else {
                throw outOfRange()
            }
            return v
        case let .choice(options):
            guard case let .string(s) = v else { throw mismatch() }
            guard options.contains(s) else {
                let hint = suggestion(for: s, among: options).map { "; did you mean \"\($0)\"?" } ?? ""
                throw ConfigError(path, "expected \(type.expectation), got \(v.brief)\(hint)")
            }
            return v
        case let .integers(minimum):
            guard case let .array(items) = v, !items.isEmpty else { throw mismatch() }
            return .array(
                try items.enumerated().map { i, item in
                    try check(.integer(minimum: minimum, maximum: nil), item, path: "\(path)[\(i)]")
                })
        case let .numbers(count, bounds):
            guard case let .array(items) = v, items.count == count else { throw mismatch() }
            return .array(
                try items.enumerated().map { i, item in try check(.number(bounds), item, path: "\(path)[\(i)]") })
        case let .integerOrNull(minimum):
            if v == .null { return v }
            guard case .number = v else { throw mismatch() }
            return try check(.integer(minimum: minimum, maximum: nil), v, path: path)
        case let .integerOrWord(minimum, word):
            if v == .string(word) { return v }
            guard case .number = v else { throw mismatch() }
            return try check(.integer(minimum: minimum, maximum: nil), v, path: path)
        case let .choices(options):
            guard case let .array(items) = v else { throw mismatch() }
            return .array(
                try items.enumerated().map { i, item in
                    try check(.choice(options), item, path: "\(path)[\(i)]")
                })
        case let .section(specs):
            return try resolve(specs, v, path: path)
        }
    }

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
