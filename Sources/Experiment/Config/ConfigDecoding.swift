import NN
import Tasks

/// JSON → `ExperimentConfig`, checking every field and naming its path.
extension ExperimentConfig {
    static let topLevelKeys = ["$schema", "name", "description", "seed", "task", "model", "train", "analyses"]

    public init(json: JSONValue, defaultName: String) throws {
        let root = try ObjectReader(json, path: "", known: Self.topLevelKeys)
        name = try root.string("name", default: defaultName)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ConfigError("name", "expected letters, digits, '-', '_' or '.', got \"\(name)\"")
        }
        seed = UInt64(try root.int("seed", default: 0, atLeast: 0))
        task = try Self.decodeTask(root.value("task"))
        model = try Self.decodeModel(root.value("model"))
        train = try Self.decodeTrain(root.value("train"))
        analyses = try Self.decodeAnalyses(root.value("analyses"))
        do {
            try TaskValidation.check(task)
        } catch let e as TaskError {
            throw ConfigError(e.path, e.message)
        }
        if let batch = train.batchSize, batch > task.trainCount {
            throw ConfigError("train.batch_size", "\(batch) is larger than the \(task.trainCount) training entities; use \"full\" or a smaller batch")
        }
    }

    static func decodeTask(_ json: JSONValue?) throws -> TaskSpec {
        let r = try ObjectReader(json, path: "task", known: [
            "kind", "domain", "entities", "heldout_fraction", "classes", "rule", "exception_rate", "facts", "correlation",
        ])
        let kind = try r.choice("kind", default: TaskKind.pure)
        let domain = try ObjectReader(r.value("domain"), path: "task.domain", known: ["a", "b"])
        var spec = TaskSpec(kind: kind, domainA: try domain.int("a", default: 100, atLeast: 1),
                            domainB: try domain.int("b", default: 100, atLeast: 1),
                            classes: try r.int("classes", default: 3, atLeast: 2))
        if r.has("entities") { spec.entities = try r.int("entities", default: 0, atLeast: 1) }
        spec.heldoutFraction = try r.double("heldout_fraction", default: 0.2, in: 0...1)
        if spec.heldoutFraction >= 1 {
            throw ConfigError("task.heldout_fraction", "expected a number in [0, 1), got \(JSONValue.format(spec.heldoutFraction)): nothing would be left to train on")
        }
        let usesRule = kind == .rule_of_thumb || kind == .generalising
        if usesRule {
            guard r.has("rule") else { throw ConfigError("task.rule", "a \(kind.rawValue) task needs a rule, e.g. {\"kind\": \"checkerboard\", \"block\": 10}") }
            spec.rule = try decodeRule(r.value("rule"))
        } else {
            try r.forbid("rule", because: "by \(kind.rawValue) tasks")
        }
        if kind == .rule_of_thumb {
            spec.exceptionRate = try r.double("exception_rate", default: 0.1, in: 0...1)
        } else {
            try r.forbid("exception_rate", because: "by \(kind.rawValue) tasks (only rule_of_thumb)")
        }
        if kind == .correlated {
            spec.facts = try r.int("facts", default: 2, atLeast: 2)
            spec.correlation = try r.double("correlation", default: 0.8, in: 0...1)
        } else {
            try r.forbid("facts", because: "by \(kind.rawValue) tasks (only correlated)")
            try r.forbid("correlation", because: "by \(kind.rawValue) tasks (only correlated)")
        }
        return spec
    }

    static func decodeRule(_ json: JSONValue?) throws -> Rule {
        let r = try ObjectReader(json, path: "task.rule", known: ["kind", "block"])
        let kinds = ["checkerboard", "sum_mod", "a_only"]
        let kind = try r.string("kind", default: "")
        switch kind {
        case "checkerboard":
            return .checkerboard(block: try r.int("block", default: 10, atLeast: 1))
        case "sum_mod":
            try r.forbid("block", because: "by the sum_mod rule")
            return .sumMod
        case "a_only":
            try r.forbid("block", because: "by the a_only rule")
            return .aOnly
        default:
            let hint = suggestion(for: kind, among: kinds).map { "; did you mean \"\($0)\"?" } ?? ""
            throw ConfigError("task.rule.kind", "expected one of \"checkerboard\", \"sum_mod\", \"a_only\", got \(kind.isEmpty ? "nothing" : "\"\(kind)\"")\(hint)")
        }
    }

    static func decodeModel(_ json: JSONValue?) throws -> ModelConfig {
        let r = try ObjectReader(json, path: "model", known: ["embedding", "combine", "hidden", "activation", "residual"])
        var m = ModelConfig()
        m.embedding = try r.int("embedding", default: m.embedding, atLeast: 1)
        m.combine = try r.choice("combine", default: m.combine)
        m.activation = try r.choice("activation", default: m.activation)
        m.residual = try r.bool("residual", default: m.residual)
        if let v = r.value("hidden") {
            guard case let .array(items) = v, !items.isEmpty else {
                throw ConfigError("model.hidden", "expected a non-empty array of positive integers (one width per layer), got \(v.typeName) \(v.brief)")
            }
            m.hidden = try items.enumerated().map { i, item in try ObjectReader.int(item, path: "model.hidden[\(i)]", atLeast: 1) }
        }
        return m
    }

    static func decodeTrain(_ json: JSONValue?) throws -> TrainConfig {
        let r = try ObjectReader(json, path: "train", known: [
            "optimizer", "batch_size", "steps", "eval_every", "stop_when_memorised", "threads",
        ])
        var t = TrainConfig()
        t.optimizer = try decodeOptimizer(r.value("optimizer"))
        if let v = r.value("batch_size") {
            if v == .string("full") { t.batchSize = nil } else {
                guard case .number = v else {
                    throw ConfigError("train.batch_size", "expected a positive integer or \"full\", got \(v.typeName) \(v.brief)")
                }
                t.batchSize = try ObjectReader.int(v, path: "train.batch_size", atLeast: 1)
            }
        }
        t.steps = try r.int("steps", default: t.steps, atLeast: 1)
        t.evalEvery = try r.int("eval_every", default: t.evalEvery, atLeast: 1)
        t.stopWhenMemorised = try r.bool("stop_when_memorised", default: t.stopWhenMemorised)
        t.threads = try r.int("threads", default: t.threads, atLeast: 1)
        if t.threads > 64 { throw ConfigError("train.threads", "expected at most 64 threads, got \(t.threads)") }
        return t
    }

    static func decodeOptimizer(_ json: JSONValue?) throws -> OptimizerConfig {
        let r = try ObjectReader(json, path: "train.optimizer", known: ["kind", "lr", "betas", "eps", "weight_decay", "momentum"])
        var o = OptimizerConfig()
        o.kind = try r.choice("kind", default: o.kind)
        o.learningRate = try r.double("lr", default: o.learningRate, above: 0)
        o.weightDecay = try r.double("weight_decay", default: o.weightDecay, in: 0...1e6)
        if o.kind == .sgd {
            o.momentum = try r.double("momentum", default: o.momentum, in: 0...1)
            try r.forbid("betas", because: "by sgd")
            try r.forbid("eps", because: "by sgd")
        } else {
            try r.forbid("momentum", because: "by \(o.kind.rawValue) (only sgd)")
            o.epsilon = try r.double("eps", default: o.epsilon, above: 0)
            if let v = r.value("betas") {
                guard case let .array(items) = v, items.count == 2,
                      let b1 = items[0].doubleValue, let b2 = items[1].doubleValue,
                      (0..<1).contains(b1), (0..<1).contains(b2)
                else {
                    throw ConfigError("train.optimizer.betas", "expected two numbers in [0, 1), got \(v.brief)")
                }
                (o.beta1, o.beta2) = (b1, b2)
            }
        }
        return o
    }

    static func decodeAnalyses(_ json: JSONValue?) throws -> [String] {
        guard let json else { return [] }
        guard case let .array(items) = json else {
            throw ConfigError("analyses", "expected an array of analysis names, got \(json.typeName) \(json.brief)")
        }
        return try items.enumerated().map { i, item in
            let names = AnalysisRegistry.names
            guard case let .string(s) = item, names.contains(s) else {
                let hint = item.stringValue.flatMap { suggestion(for: $0, among: names) }.map { "; did you mean \"\($0)\"?" } ?? ""
                throw ConfigError("analyses[\(i)]", "expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got \(item.brief)\(hint)")
            }
            return s
        }
    }
}
