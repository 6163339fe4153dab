import NN
import Tasks

/// One experiment, as declared in a JSON config: the task, the model, the
/// training and the analyses. Every field has a default (see
/// `Configs/toymem.schema.json` and the README's config reference).
///
/// ```swift
/// let config = try ConfigLoader.load(path: "configs/pure.json", overrides: ["train.steps=500"])
/// print(config.json.serialized(pretty: true))   // the resolved config
/// ```
public struct ExperimentConfig: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    public var task: TaskSpec
    public var model: ModelConfig
    public var train: TrainConfig
    public var analyses: [String]

    /// The model this config trains, sized for its task.
    public var modelSpec: ModelSpec {
        ModelSpec(vocabularyA: task.domainA, vocabularyB: task.domainB, embedding: model.embedding,
                  combine: model.combine, hidden: model.hidden, activation: model.activation,
                  residual: model.residual, classes: Array(repeating: task.classes, count: task.facts))
    }
}

/// The architecture fields of a config (`model.*`).
public struct ModelConfig: Sendable, Equatable {
    public var embedding = 64
    public var combine = Combine.sum
    public var hidden = [256]
    public var activation = Activation.relu
    public var residual = false
}

/// The training fields of a config (`train.*`).
public struct TrainConfig: Sendable, Equatable {
    public var optimizer = OptimizerConfig()
    /// nil means full batch.
    public var batchSize: Int? = 256
    public var steps = 2000
    public var evalEvery = 100
    public var stopWhenMemorised = false
    public var threads = 1
}

/// `train.optimizer.*`
public struct OptimizerConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case sgd, adam, adamw }
    public var kind = Kind.adamw
    public var learningRate = 1e-3
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-8
    public var weightDecay = 0.0
    public var momentum = 0.0

    public func make() -> Optimizer {
        switch kind {
        case .sgd:
            return SGD(learningRate: Float(learningRate), momentum: Float(momentum), weightDecay: Float(weightDecay))
        case .adam, .adamw:
            return Adam(learningRate: Float(learningRate), beta1: Float(beta1), beta2: Float(beta2),
                        epsilon: Float(epsilon), weightDecay: Float(weightDecay), decoupled: kind == .adamw)
        }
    }
}
