import Analysis
import Foundation
import NN
import RunStore
import Tasks

/// One experiment, as declared in a JSON config: the task, the model, the
/// training and the analyses. Every field, its default and its range are
/// declared once in `ConfigFields.swift`.
///
/// ```swift
/// let config = try ConfigLoader.load(path: "configs/pure.json", overrides: ["train.steps=500"])
/// print(config.json.serialized(pretty: true))   // the resolved config
/// ```
public struct ExperimentConfig: Sendable, Equatable {
    public var name = ""
    public var seed: UInt64 = 0
    public var task = TaskSpec(kind: .pure, domainA: 1, domainB: 1, classes: 2)
    public var model = ModelConfig()
    public var train = TrainConfig()
    public var analyses: [String] = []
    /// The `sae` analysis's settings; in the resolved config only when `analyses` lists "sae".
    public var sae = SAEAnalysisSettings()
    /// The `memscore` analysis's settings; in the resolved config only when `analyses` lists "memscore".
    public var memscore = MemScoreSettings()

    /// Decodes and validates a config; a missing `name` becomes `defaultName`.
    public init(json: JSONValue, defaultName: String) throws {
        var json = json
        if case var .object(pairs) = json, !pairs.contains(where: { $0.key == "name" }) {
            pairs.append(("name", .string(defaultName)))
            json = .object(pairs)
        }
        let resolved = try ConfigResolver.resolve(Self.fields.map(\.spec), json, path: "")
        Field.assign(Self.fields, resolved, to: &self)
        do {
            try TaskValidation.check(task)
        } catch let e as TaskError {
            throw ConfigError(e.path, e.message)
        }
        if analyses.contains("sae") {
            let hooks = modelSpec.hookPoints
            guard let point = HookPoint(name: sae.hook), hooks.contains(point) else {
                throw ConfigError(
                    "sae.hook",
                    "no hook '\(shown(sae.hook))' in this model; its hooks are "
                        + hooks.map(\.name).joined(separator: ", "))
            }
        }
        if let batch = train.batchSize, batch > task.trainCount {
            throw ConfigError(
                "train.batch_size",
                "\(batch) is larger than the \(task.trainCount) training entities; "
                    + "use \"full\" or a smaller batch")
        }
    }

    /// The resolved config written to `config.json`: every default filled in, only the fields that apply.
    public var json: JSONValue { Field.encode(Self.fields, self) }

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

    /// Where a run of this config lands by default: `<root>/<name>/<short hash>/`.
    public func defaultDirectory(root: URL) -> RunDirectory {
        RunDirectory(url: root.appendingPathComponent(name).appendingPathComponent(shortHash))
    }

    /// The model this config trains, sized for its task.
    public var modelSpec: ModelSpec {
        ModelSpec(
            vocabularyA: task.domainA, vocabularyB: task.domainB, embedding: model.embedding,
            combine: model.combine, hidden: model.hidden, activation: model.activation,
            residual: model.residual, classes: Array(repeating: task.classes, count: task.facts))
    }
}

/// The architecture fields of a config (`model.*`); defaults come from the field table.
public struct ModelConfig: Sendable, Equatable {
    public var embedding = 1
    public var combine = Combine.sum
    public var hidden = [1]
    public var activation = Activation.relu
    public var residual = false
}

/// The training fields of a config (`train.*`); defaults come from the field table.
public struct TrainConfig: Sendable, Equatable {
    public var optimizer = OptimizerConfig()
    /// nil means full batch.
    public var batchSize: Int? = 1
    public var steps = 1
    public var evalEvery = 1
    public var stopWhenMemorised = false
    public var threads = 1
}

/// `train.optimizer.*`; defaults come from the field table.
public struct OptimizerConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case sgd, adam, adamw }
    public var kind = Kind.adamw
    public var learningRate = 0.0
    public var beta1 = 0.0
    public var beta2 = 0.0
    public var epsilon = 0.0
    public var weightDecay = 0.0
    public var momentum = 0.0

    public func make() -> Optimizer {
        switch kind {
        case .sgd:
            return SGD(learningRate: Float(learningRate), momentum: Float(momentum), weightDecay: Float(weightDecay))
        case .adam, .adamw:
            return Adam(
                learningRate: Float(learningRate), beta1: Float(beta1), beta2: Float(beta2),
                epsilon: Float(epsilon), weightDecay: Float(weightDecay), decoupled: kind == .adamw)
        }
    }
}
