import RunStore

/// The JSON Schema (draft 2020-12) of experiment configs, generated from the
/// field table (`ConfigFields.swift`) and printed by `toymem schema`.
/// `Configs/toymem.schema.json` is the same text (a test keeps them equal).
///
/// Fields that apply only to some variants (`task.exception_rate` only to
/// rule_of_thumb tasks, …) are forbidden for the others with `if`/`then`
/// clauses, and required ones (`task.rule`) are required, as the loader does.
public enum ConfigSchema {
    public static var json: JSONValue {
        let body = section(ExperimentConfig.fields.map(\.spec))
        return .object(
            [
                ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
                ("$id", .string("https://toymem.dev/schema/config.json")),
                ("title", .string("toymem experiment config")),
                (
                    "description",
                    .string(
                        "One experiment: a task over integer pairs (a, b), a model, its training and the "
                            + "analyses to run. Every field has a default; `toymem validate CONFIG --resolved` "
                            + "prints them all."
                    )
                ),
            ] + (body.objectPairs ?? []))
    }

    public static var text: String { json.serialized(pretty: true) + "\n" }

    static func section(_ specs: [FieldSpec]) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("type", .string("object")), ("additionalProperties", .bool(false)),
        ]
        pairs.append(("properties", .object(specs.map { ($0.key, property($0)) })))
        let required = specs.filter {
            $0.defaultValue == nil && $0.applies == nil && !$0.informational && $0.key != "name"
        }
        if !required.isEmpty { pairs.append(("required", .array(required.map { .string($0.key) }))) }
        let rules = specs.flatMap { conditionals($0, in: specs) }
        if !rules.isEmpty { pairs.append(("allOf", .array(rules))) }
        return .object(pairs)
    }

    static func property(_ spec: FieldSpec) -> JSONValue {
        var pairs = schema(of: spec.type).objectPairs ?? []
        if let d = spec.defaultValue, !isSection(spec.type) { pairs.append(("default", d)) }
        var doc = spec.doc
        if let condition = spec.applies {
            doc += " Only when \(condition.key) is " + condition.values.map { "\($0)" }.joined(separator: " or ") + "."
        }
        pairs.append(("description", .string(doc)))
        return .object(pairs)
    }

    private static func isSection(_ type: FieldType) -> Bool {
        if case .section = type { return true }
        return false
    }

    /// `if` the discriminator does not select the field, `then` it is forbidden; for a field with no
    /// default, also `if` it selects the field, `then` it is required.
    static func conditionals(_ spec: FieldSpec, in specs: [FieldSpec]) -> [JSONValue] {
        guard let condition = spec.applies,
            let discriminator = specs.first(where: { $0.key == condition.key })
        else { return [] }
        let values = JSONValue.array(condition.values.map(JSONValue.string))
        let defaultSelects = condition.holds(discriminator.defaultValue)
        // A list discriminator selects when it contains a value; a choice, when it is one.
        let isList: Bool
        if case .choices = discriminator.type { isList = true } else { isList = false }
        let selects: JSONValue =
            isList ? .object([("contains", .object([("enum", values)]))]) : .object([("enum", values)])
        // Absent, the discriminator takes its default: the `if` then holds vacuously unless it is required.
        func test(_ constraint: JSONValue, holdsWhenAbsent: Bool) -> JSONValue {
            let properties: (key: String, value: JSONValue) = ("properties", .object([(condition.key, constraint)]))
            return holdsWhenAbsent
                ? .object([properties]) : .object([("required", .array([.string(condition.key)])), properties])
        }
        var rules: [JSONValue] = [
            .object([
                ("if", test(.object([("not", selects)]), holdsWhenAbsent: !defaultSelects)),
                ("then", .object([("not", .object([("required", .array([.string(spec.key)]))]))])),
            ])
        ]
        if spec.defaultValue == nil {
            rules.append(
                .object([
                    ("if", test(selects, holdsWhenAbsent: defaultSelects)),
                    ("then", .object([("required", .array([.string(spec.key)]))])),
                ]))
        }
        return rules
    }

    static func schema(of type: FieldType) -> JSONValue {
        func integer(_ minimum: Int, _ maximum: Int? = nil) -> JSONValue {
            .object(
                [("type", .string("integer")), ("minimum", .int(minimum))]
                    + (maximum.map { [("maximum", .int($0))] } ?? []))
        }
        func number(_ bounds: FieldType.Bounds) -> JSONValue {
            let b = bounds.effective
            var pairs: [(key: String, value: JSONValue)] = [("type", .string("number"))]
            if let l = b.lower { pairs.append((b.lowerOpen ? "exclusiveMinimum" : "minimum", .double(l))) }
            if let u = b.upper { pairs.append((b.upperOpen ? "exclusiveMaximum" : "maximum", .double(u))) }
            return .object(pairs)
        }
        switch type {
        case let .integer(minimum, maximum): return integer(minimum, maximum)
        case let .number(bounds): return number(bounds)
        case .boolean: return .object([("type", .string("boolean"))])
        case .text: return .object([("type", .string("string"))])
        case .name:
            return .object([
                ("type", .string("string")), ("pattern", .string("^[A-Za-z0-9._-]+$")),
                ("maxLength", .int(FieldType.maximumNameLength)),
            ])
        case let .choice(options): return .object([("enum", .array(options.map(JSONValue.string)))])
        case let .integers(minimum):
            return .object([("type", .string("array")), ("items", integer(minimum)), ("minItems", .int(1))])
        case let .numbers(count, bounds):
            return .object([
                ("type", .string("array")), ("items", number(bounds)), ("minItems", .int(count)),
                ("maxItems", .int(count)),
            ])
        case let .integerOrNull(minimum):
            return .object([("oneOf", .array([integer(minimum), .object([("type", .string("null"))])]))])
        case let .integerOrWord(minimum, word):
            return .object([("oneOf", .array([integer(minimum), .object([("const", .string(word))])]))])
        case let .choices(options):
            return .object([
                ("type", .string("array")), ("items", .object([("enum", .array(options.map(JSONValue.string)))])),
            ])
        case let .section(specs): return section(specs)
        }
    }
}
