import Tasks

/// `ExperimentConfig` → the resolved JSON written to `config.json`: every
/// default filled in, only the fields the chosen variants use.
extension ExperimentConfig {
    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("seed", .int(Int(seed))),
            ("task", taskJSON),
            ("model", .object([
                ("embedding", .int(model.embedding)),
                ("combine", .string(model.combine.rawValue)),
                ("hidden", .array(model.hidden.map(JSONValue.int))),
                ("activation", .string(model.activation.rawValue)),
                ("residual", .bool(model.residual)),
            ])),
            ("train", trainJSON),
            ("analyses", .array(analyses.map(JSONValue.string))),
        ])
    }

    private var taskJSON: JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("kind", .string(task.kind.rawValue)),
            ("domain", .object([("a", .int(task.domainA)), ("b", .int(task.domainB))])),
            ("entities", task.entities.map(JSONValue.int) ?? .null),
            ("heldout_fraction", .double(task.heldoutFraction)),
            ("classes", .int(task.classes)),
        ]
        if let rule = task.rule {
            var r: [(key: String, value: JSONValue)] = [("kind", .string(rule.name))]
            if case let .checkerboard(block) = rule { r.append(("block", .int(block))) }
            pairs.append(("rule", .object(r)))
        }
        if task.kind == .rule_of_thumb { pairs.append(("exception_rate", .double(task.exceptionRate))) }
        if task.kind == .correlated {
            pairs.append(("facts", .int(task.facts)))
            pairs.append(("correlation", .double(task.correlation)))
        }
        return .object(pairs)
    }

    private var trainJSON: JSONValue {
        let o = train.optimizer
        var optimizer: [(key: String, value: JSONValue)] = [
            ("kind", .string(o.kind.rawValue)), ("lr", .double(o.learningRate)), ("weight_decay", .double(o.weightDecay)),
        ]
        if o.kind == .sgd {
            optimizer.append(("momentum", .double(o.momentum)))
        } else {
            optimizer.append(("betas", .array([.double(o.beta1), .double(o.beta2)])))
            optimizer.append(("eps", .double(o.epsilon)))
        }
        return .object([
            ("optimizer", .object(optimizer)),
            ("batch_size", train.batchSize.map(JSONValue.int) ?? .string("full")),
            ("steps", .int(train.steps)),
            ("eval_every", .int(train.evalEvery)),
            ("stop_when_memorised", .bool(train.stopWhenMemorised)),
            ("threads", .int(train.threads)),
        ])
    }

    /// FNV-1a 64 of the canonical resolved config: equal configs, equal hash.
    public var hash: String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in json.serialized().utf8 {
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public var shortHash: String { String(hash.prefix(8)) }
}
