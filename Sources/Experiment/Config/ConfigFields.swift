import Analysis
import NN
import RunStore
import Tasks

/// Every config field, declared once: key, type and range, default, when it
/// applies and a one-line doc. Decoding (`ExperimentConfig.init(json:)`),
/// the resolved config (`ExperimentConfig.json`) and the JSON Schema
/// (`ConfigSchema`) are all derived from these tables.
extension ExperimentConfig {
    static var fields: [Field<ExperimentConfig>] {
        [
            .informational("$schema", .text, doc: "The JSON Schema this file follows (for editors)."),
            Field(
                FieldSpec(
                    key: "name", type: .name, defaultValue: nil, applies: nil, informational: false,
                    doc: "Run name; defaults to the config file's name.", example: nil),
                set: { $0.name = $1.stringValue! }, get: { .string($0.name) }),
            .informational("description", .text, doc: "Free text for people; not part of the resolved config."),
            Field(
                FieldSpec(
                    key: "seed", type: .integer(minimum: 0, maximum: nil), defaultValue: .int(0), applies: nil,
                    informational: false, doc: "Fixes the entities, labels, split, initialisation and batch order.",
                    example: nil),
                set: { $0.seed = UInt64($1.intValue!) }, get: { .int(Int($0.seed)) }),
            .section(
                "task", \.task, fields: taskFields, doc: "The facts to memorise: a labelling of integer pairs (a, b)."),
            .section("model", \.model, fields: modelFields, doc: "The MLP."),
            .section("train", \.train, fields: trainFields, doc: "The optimizer and the training loop."),
            Field(
                FieldSpec(
                    key: "analyses", type: .choices(AnalysisRegistry.names), defaultValue: .array([]),
                    applies: nil, informational: false,
                    doc: "Analyses to run after training (written to analysis/); \"all\" selects every one.",
                    example: nil),
                set: { $0.analyses = $1.arrayValue!.map { $0.stringValue! } },
                get: { .array($0.analyses.map(JSONValue.string)) }),
            .section(
                "sae", fields: saeFields, when: Condition(key: "analyses", values: ["sae"]), required: false,
                example: nil, doc: "The sparse autoencoder of the sae analysis (field names as in SAELens).",
                blank: SAEAnalysisSettings(), get: { $0.analyses.contains("sae") ? $0.sae : nil },
                set: { $0.sae = $1 }),
            .section(
                "memscore", fields: memscoreFields, when: Condition(key: "analyses", values: ["memscore"]),
                required: false, example: nil,
                doc: "The memscore analysis: memorisation scores from models trained on random subsets.",
                blank: MemScoreSettings(), get: { $0.analyses.contains("memscore") ? $0.memscore : nil },
                set: { $0.memscore = $1 }),
        ]
    }

    static let ruleKinds = [TaskKind.rule_of_thumb, .generalising].map(\.rawValue)

    static var taskFields: [Field<TaskSpec>] {
        [
            .choice(
                "kind", \.kind, default: .pure,
                doc: "pure: i.i.d. random labels; rule_of_thumb: a rule with exceptions; "
                    + "correlated: several correlated facts; generalising: a rule without exceptions."),
            .section(
                "domain",
                fields: [
                    .integer(
                        "a", \.domainA, minimum: 1, maximum: TaskSpec.maximumToken, default: 100,
                        doc: "Number of first tokens A."),
                    .integer(
                        "b", \.domainB, minimum: 1, maximum: TaskSpec.maximumToken, default: 100,
                        doc: "Number of second tokens B."),
                ], when: nil, required: false, example: nil, doc: "The grid of pairs: a in [0, A), b in [0, B).",
                blank: nil,
                get: { $0 }, set: { $0 = $1 }),
            Field(
                FieldSpec(
                    key: "entities", type: .integerOrNull(minimum: 1), defaultValue: .null, applies: nil,
                    informational: false,
                    doc: "Number of entities: null for the whole grid, else a seeded random subset.",
                    example: nil),
                set: { $0.entities = $1.intValue }, get: { $0.entities.map(JSONValue.int) ?? .null }),
            .number(
                "heldout_fraction", \.heldoutFraction, .halfOpen(0, 1), default: 0.2,
                doc: "Fraction of entities never trained on."),
            .integer(
                "classes", \.classes, minimum: 2, maximum: TaskSpec.maximumToken, default: 3,
                doc: "Classes C per fact (for the sum_mod rule, the modulus p)."),
            .section(
                "rule", fields: ruleFields, when: Condition(key: "kind", values: ruleKinds), required: true,
                example: #"{"kind": "checkerboard", "block": 10}"#,
                doc: "The rule of rule_of_thumb and generalising tasks.", blank: RuleFields(),
                get: { $0.rule.map(RuleFields.init) }, set: { $0.rule = $1.rule }),
            .number(
                "exception_rate", \.exceptionRate, .closed(0, 1), default: 0.1,
                when: Condition(key: "kind", values: [TaskKind.rule_of_thumb.rawValue]),
                doc: "Fraction q of entities whose label is redrawn among the other classes."),
            .integer(
                "facts", \.facts, minimum: 2, maximum: TaskSpec.maximumFacts, default: 2,
                when: Condition(key: "kind", values: ["correlated"]), doc: "Attributes per entity, one readout each."),
            .number(
                "correlation", \.correlation, .closed(0, 1), default: 0.8,
                when: Condition(key: "kind", values: ["correlated"]),
                doc: "Probability that a further fact is a fixed relabelling of the first."),
        ]
    }

    static var ruleFields: [Field<RuleFields>] {
        [
            Field(
                FieldSpec(
                    key: "kind", type: .choice(RuleFields.Kind.allCases.map(\.rawValue)), defaultValue: nil,
                    applies: nil, informational: false,
                    doc: "checkerboard: ((a/block) + (b/block)) mod C; sum_mod: (a + b) mod C; "
                        + "a_only: a fixed random function of a.", example: nil),
                set: { $0.kind = RuleFields.Kind(rawValue: $1.stringValue!)! }, get: { .string($0.kind.rawValue) }),
            .integer(
                "block", \.block, minimum: 1, maximum: TaskSpec.maximumToken, default: 10,
                when: Condition(key: "kind", values: ["checkerboard"]),
                doc: "Checkerboard block size."),
        ]
    }

    static var modelFields: [Field<ModelConfig>] {
        [
            .integer("embedding", \.embedding, minimum: 1, default: 64, doc: "Embedding width d of each token."),
            .choice(
                "combine", \.combine, default: .sum,
                doc: "sum: W_a[a] + W_b[b] (width d); concat: [W_a[a], W_b[b]] (width 2d)."),
            Field(
                FieldSpec(
                    key: "hidden", type: .integers(minimum: 1), defaultValue: .array([.int(256)]), applies: nil,
                    informational: false, doc: "Hidden width of each MLP block, one per layer.", example: nil),
                set: { $0.hidden = $1.arrayValue!.map { $0.intValue! } },
                get: { .array($0.hidden.map(JSONValue.int)) }),
            .choice(
                "activation", \.activation, default: .relu,
                doc: "gelu is the tanh approximation, gelu_erf the exact form."),
            .boolean(
                "residual", \.residual, default: false,
                doc: "Residual blocks x + act(x W_in + b_in) W_out + b_out instead of plain act(x W_in + b_in)."),
        ]
    }

    static var trainFields: [Field<TrainConfig>] {
        [
            .section("optimizer", \.optimizer, fields: optimizerFields, doc: "The optimizer and its hyperparameters."),
            Field(
                FieldSpec(
                    key: "batch_size", type: .integerOrWord(minimum: 1, word: "full"), defaultValue: .int(256),
                    applies: nil, informational: false,
                    doc: "Examples per step, or \"full\" for full-batch training.", example: nil),
                set: { $0.batchSize = $1.intValue }, get: { $0.batchSize.map(JSONValue.int) ?? .string("full") }),
            .integer("steps", \.steps, minimum: 1, default: 2000, doc: "Optimizer steps."),
            .integer(
                "eval_every", \.evalEvery, minimum: 1, default: 100,
                doc: "Evaluate on trained and held-out entities every this many steps (and at the end)."),
            .boolean(
                "stop_when_memorised", \.stopWhenMemorised, default: false,
                doc: "Stop at the first evaluation with 100% accuracy on trained entities."),
            .integer(
                "threads", \.threads, minimum: 1, maximum: 64, default: 1,
                doc: "Threads sharing each training step (toymem's worker pool; OpenBLAS stays single-threaded). "
                    + "Results are bit-identical for the same config, seed and thread count."),
        ]
    }

    static let adamKinds = [OptimizerConfig.Kind.adam, .adamw].map(\.rawValue)

    static var optimizerFields: [Field<OptimizerConfig>] {
        [
            .choice(
                "kind", \.kind, default: .adamw, doc: "sgd (with momentum), adam, or adamw (decoupled weight decay)."),
            .number("lr", \.learningRate, .float32(above: 0), default: 1e-3, doc: "Learning rate."),
            .number(
                "weight_decay", \.weightDecay, .closed(0, 1e6), default: 0,
                doc: "Decoupled for adamw, an L2 term for adam and sgd."),
            .number(
                "momentum", \.momentum, .closed(0, 1), default: 0, when: Condition(key: "kind", values: ["sgd"]),
                doc: "Heavy-ball momentum."),
            Field(
                FieldSpec(
                    key: "betas", type: .numbers(count: 2, .float32(.halfOpen(0, 1))),
                    defaultValue: .array([.double(0.9), .double(0.999)]),
                    applies: Condition(key: "kind", values: adamKinds), informational: false,
                    doc: "Adam's decay rates of the first and second moments.", example: nil),
                set: { o, v in (o.beta1, o.beta2) = (v.arrayValue![0].doubleValue!, v.arrayValue![1].doubleValue!) },
                get: { .array([.double($0.beta1), .double($0.beta2)]) }),
            .number(
                "eps", \.epsilon, .float32(above: 0), default: 1e-8, when: Condition(key: "kind", values: adamKinds),
                doc: "Adam's ε."),
        ]
    }
}

/// The fields of `task.rule`, converted to and from `Rule`.
struct RuleFields {
    enum Kind: String, CaseIterable { case checkerboard, sum_mod, a_only }
    var kind = Kind.checkerboard
    var block = 0

    init() {}

    init(_ rule: Rule) {
        switch rule {
        case let .checkerboard(block): (kind, self.block) = (.checkerboard, block)
        case .sumMod: kind = .sum_mod
        case .aOnly: kind = .a_only
        }
    }

    var rule: Rule {
        switch kind {
        case .checkerboard: return .checkerboard(block: block)
        case .sum_mod: return .sumMod
        case .a_only: return .aOnly
        }
    }
}
