import Analysis
import RunStore

extension ExperimentConfig {
    static let topK = [SAESettings.Architecture.topK.rawValue]

    /// The fields of the `sae` section; names follow SAELens's config.
    static var saeFields: [Field<SAEAnalysisSettings>] {
        [
            Field(
                FieldSpec(
                    key: "hook", type: .text, defaultValue: .string("blocks.0.mlp.hook_post"), applies: nil,
                    informational: false, doc: "The hook whose activations the SAE reconstructs (its hook_name).",
                    example: nil),
                set: { $0.hook = $1.stringValue! }, get: { .string($0.hook) }),
            .choice(
                "entities", \.entities, default: .trained,
                doc: "The activations it trains on: at the trained entities, or at every cell of the grid."),
            .choice(
                "normalize_activations", \.normalization, default: .expected_average_only_in,
                doc: "none, or expected_average_only_in: scaled so that their mean norm is √d_in."),
            .choice(
                "architecture", \.training.architecture, default: .relu,
                doc: "relu: ReLU with an L1 penalty and unit-norm decoder rows; topk: keeps the k largest."),
            Field(
                FieldSpec(
                    key: "d_sae", type: .integerOrNull(minimum: 1), defaultValue: .null, applies: nil,
                    informational: false, doc: "Dictionary size; null for expansion_factor × d_in.", example: nil),
                set: { $0.training.dSAE = $1.intValue }, get: { $0.training.dSAE.map(JSONValue.int) ?? .null }),
            .integer(
                "expansion_factor", \.training.expansionFactor, minimum: 1, maximum: 1024, default: 4,
                doc: "d_sae / d_in when d_sae is null."),
            .number(
                "l1_coefficient", \.training.l1Coefficient, .atLeast(0), default: 1,
                when: Condition(key: "architecture", values: [SAESettings.Architecture.relu.rawValue]),
                doc: "λ in ‖x − x̂‖² + λ Σ f_i (per entity)."),
            .integer(
                "k", \.training.k, minimum: 1, default: 8, when: Condition(key: "architecture", values: topK),
                doc: "Features kept per entity."),
            .number("lr", \.training.learningRate, .float32(above: 0), default: 1e-3, doc: "Adam's learning rate."),
            .integer("steps", \.training.steps, minimum: 1, default: 2000, doc: "Adam steps."),
            .integer("batch_size", \.training.batchSize, minimum: 1, default: 512, doc: "Activations per step."),
            .integer(
                "seed", \.training.seedValue, minimum: 0, default: 0,
                doc: "Fixes the initialisation and the batches."),
        ]
    }
}
