import RunStore

extension ExperimentConfig {
    /// The fields of the `memscore` section, the options of `toymem memscore`.
    static var memscoreFields: [Field<MemScoreSettings>] {
        [
            .integer(
                "models", \.models, minimum: 2, maximum: 100_000, default: 50,
                doc: "Models trained, each on its own random subset of the trained entities (--models)."),
            .number(
                "fraction", \.fraction, FieldType.Bounds(lower: 0, lowerOpen: true, upper: 1, upperOpen: true),
                default: 0.7, doc: "Fraction of the trained entities in each model's subset (--fraction)."),
        ]
    }
}
