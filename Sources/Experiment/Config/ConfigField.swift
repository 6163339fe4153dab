import RunStore

/// A config field bound to the place its value lives in a Swift config
/// struct: its `FieldSpec` (key, type, default, when it applies, doc) plus how
/// to store a checked value and read it back. Declared once per field, in
/// `ConfigFields.swift`; decoding, encoding, validation and the JSON Schema all
/// derive from it.
///
/// ```swift
/// Field.integer("steps", \TrainConfig.steps, minimum: 1, default: 2000, doc: "Training steps.")
/// ```
struct Field<Root> {
    let spec: FieldSpec
    /// Stores a value already checked against `spec.type`.
    let set: (inout Root, JSONValue) -> Void
    /// The value as the resolved config writes it; nil when there is none.
    let get: (Root) -> JSONValue?

    init(_ spec: FieldSpec, set: @escaping (inout Root, JSONValue) -> Void, get: @escaping (Root) -> JSONValue?) {
        self.spec = spec
        self.set = set
        self.get = get
    }

    private static func spec(
        _ key: String, _ type: FieldType, _ defaultValue: JSONValue?, _ applies: Condition?,
        _ doc: String, informational: Bool = false, example: String? = nil
    ) -> FieldSpec {
        FieldSpec(
            key: key, type: type, defaultValue: defaultValue, applies: applies, informational: informational,
            doc: doc, example: example)
    }

    static func integer(
        _ key: String, _ path: WritableKeyPath<Root, Int>, minimum: Int, maximum: Int? = nil,
        default value: Int, when applies: Condition? = nil, doc: String
    ) -> Field {
        Field(
            spec(key, .integer(minimum: minimum, maximum: maximum), .int(value), applies, doc),
            set: { $0[keyPath: path] = $1.intValue! }, get: { .int($0[keyPath: path]) })
    }

    static func number(
        _ key: String, _ path: WritableKeyPath<Root, Double>, _ bounds: FieldType.Bounds,
        default value: Double, when applies: Condition? = nil, doc: String
    ) -> Field {
        Field(
            spec(key, .number(bounds), .double(value), applies, doc),
            set: { $0[keyPath: path] = $1.doubleValue! }, get: { .double($0[keyPath: path]) })
    }

    static func boolean(_ key: String, _ path: WritableKeyPath<Root, Bool>, default value: Bool, doc: String) -> Field {
        Field(
            spec(key, .boolean, .bool(value), nil, doc),
            set: { root, v in if case let .bool(b) = v { root[keyPath: path] = b } },
            get: { .bool($0[keyPath: path]) })
    }

    static func choice<E: RawRepresentable & CaseIterable>(
        _ key: String, _ path: WritableKeyPath<Root, E>, default value: E, doc: String
    ) -> Field where E.RawValue == String {
        Field(
            spec(key, .choice(E.allCases.map(\.rawValue)), .string(value.rawValue), nil, doc),
            set: { $0[keyPath: path] = E(rawValue: $1.stringValue!)! }, get: { .string($0[keyPath: path].rawValue) })
    }

    /// A field accepted in configs but not kept in the resolved config.
    static func informational(_ key: String, _ type: FieldType, doc: String) -> Field {
        Field(spec(key, type, nil, nil, doc, informational: true), set: { _, _ in }, get: { _ in nil })
    }

    /// A nested object whose fields live in `path` of the root.
    static func section<Sub>(
        _ key: String, _ path: WritableKeyPath<Root, Sub>, fields: [Field<Sub>],
        doc: String
    ) -> Field {
        section(
            key, fields: fields, when: nil, required: false, example: nil, doc: doc, blank: nil,
            get: { $0[keyPath: path] }, set: { $0[keyPath: path] = $1 })
    }

    /// A nested object converted to and from the root's value by `get` and `set`
    /// (`get` nil: the root has none, and the resolved config omits it; decoding then starts from `blank`).
    static func section<Sub>(
        _ key: String, fields: [Field<Sub>], when applies: Condition?, required: Bool,
        example: String?, doc: String, blank: Sub?, get: @escaping (Root) -> Sub?,
        set: @escaping (inout Root, Sub) -> Void
    ) -> Field {
        let defaultValue: JSONValue? = required ? nil : .object([])
        return Field(
            spec(key, .section(fields.map(\.spec)), defaultValue, applies, doc, example: example),
            set: { root, json in
                guard var sub = get(root) ?? blank else { return }
                for field in fields { if let v = json[field.spec.key] { field.set(&sub, v) } }
                set(&root, sub)
            },
            get: { root in get(root).map { Field<Sub>.encode(fields, $0) } })
    }

    /// `root` as the resolved config's object: every field that applies, with its value.
    static func encode(_ fields: [Field<Root>], _ root: Root) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = []
        for field in fields where !field.spec.informational {
            if let condition = field.spec.applies {
                guard condition.holds(pairs.first { $0.key == condition.key }?.value) else { continue }
            }
            if let value = field.get(root) { pairs.append((field.spec.key, value)) }
        }
        return .object(pairs)
    }

    /// Stores every value of a resolved object (see `ConfigResolver`) into `root`.
    static func assign(_ fields: [Field<Root>], _ resolved: JSONValue, to root: inout Root) {
        for field in fields { if let v = resolved[field.spec.key] { field.set(&root, v) } }
    }
}
