import NN

/// Sample sizes, seed and threads shared by every analysis of one run.
///
/// ```swift
/// var settings = AnalysisSettings(seed: config.seed, threads: 2)
/// settings.lookupSample = 5_000
/// let sample = try TrainedSample(model, data: data, settings: settings)
/// ```
public struct AnalysisSettings: Sendable {
    /// Trained entities sampled for the lookup decomposition and ablation.
    public var lookupSample = 20_000
    /// Grid cells sampled for the covariance behind the effective dimensionality.
    public var covarianceSample = 4096
    /// Entities per probe fit and per probe test set.
    public var probeSample = 1500
    public var probeSeeds = 3
    /// Total bytes of activation tables kept for `tables.safetensors`.
    public var tableBytes = 128 << 20
    public var seed: UInt64 = 0
    public var threads = 1
    /// The sparse autoencoder of the `sae` analysis.
    public var sae = SAEAnalysisSettings()

    public init(seed: UInt64 = 0, threads: Int = 1) {
        self.seed = seed
        self.threads = threads
    }
}

/// One probe result: mean and spread over seeds, beside its base rate.
public struct ProbeResult: Sendable {
    public let hook: HookPoint, feature: String, regime: String
    public let accuracy: Double, accuracyStd: Double, baseRate: Double

    public init(
        hook: HookPoint, feature: String, regime: String, accuracy: Double, accuracyStd: Double, baseRate: Double
    ) {
        self.hook = hook
        self.feature = feature
        self.regime = regime
        self.accuracy = accuracy
        self.accuracyStd = accuracyStd
        self.baseRate = baseRate
    }
}
