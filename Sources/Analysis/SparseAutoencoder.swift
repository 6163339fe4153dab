import Autograd
import NN
import Randomness

/// A sparse autoencoder trained with toymem's engine on rows of activations x ∈ ℝ^d_in:
///
///     f = act(x W_enc + b_enc)           act: ReLU, or TopK-ReLU keeping the k largest
///     x̂ = f W_dec + b_dec
///     L = (1/B) Σ_b ‖x_b − x̂_b‖² + λ (1/B) Σ_b Σ_i f_bi       (λ = 0 for TopK)
///
/// with W_dec's rows renormalised to unit length after every Adam step, so the L1 term cannot
/// be lowered by shrinking f and growing W_dec. W_enc starts as W_decᵀ (random unit rows) and
/// b_dec as the mean of the data. Field names are SAELens's (`d_in`, `d_sae`, `l1_coefficient`,
/// `k`, …); the input is not offset by b_dec (`apply_b_dec_to_input` false).
///
/// ```swift
/// var settings = SAESettings(); settings.dSAE = 64
/// let sae = try SparseAutoencoder.train(rows: x, dIn: 16, settings: settings)
/// let f = try sae.encode(x, rows: n)
/// ```
public struct SparseAutoencoder {
    public let settings: SAESettings
    public let dIn: Int, dSAE: Int
    public let encoderWeight: Parameter, encoderBias: Parameter, decoderWeight: Parameter, decoderBias: Parameter

    public var parameters: [Parameter] { [encoderWeight, encoderBias, decoderWeight, decoderBias] }

    init(dIn: Int, settings: SAESettings, mean: [Float], using rng: inout SeededGenerator) {
        let dSAE = settings.width(dIn: dIn)
        (self.settings, self.dIn, self.dSAE) = (settings, dIn, dSAE)
        encoderWeight = Parameter(name: "W_enc", rows: dIn, cols: dSAE)
        encoderBias = Parameter(name: "b_enc", rows: 1, cols: dSAE)
        decoderWeight = Parameter(name: "W_dec", rows: dSAE, cols: dIn)
        decoderBias = Parameter(name: "b_dec", rows: 1, cols: dIn)
        Initialization.normal(decoderWeight, using: &rng)
        normaliseDecoder()
        for i in 0..<dSAE {
            for j in 0..<dIn { encoderWeight.value[j * dSAE + i] = decoderWeight.value[i * dIn + j] }
        }
        for j in 0..<dIn { decoderBias.value[j] = mean[j] }
    }

    /// An SAE with given weights (W_enc [d_in, d_sae], b_enc [d_sae], W_dec [d_sae, d_in], b_dec [d_in]).
    public init(
        dIn: Int, dSAE: Int, settings: SAESettings, encoder: [Float], encoderBias: [Float], decoder: [Float],
        decoderBias: [Float]
    ) {
        (self.settings, self.dIn, self.dSAE) = (settings, dIn, dSAE)
        encoderWeight = Parameter(name: "W_enc", rows: dIn, cols: dSAE)
        self.encoderBias = Parameter(name: "b_enc", rows: 1, cols: dSAE)
        decoderWeight = Parameter(name: "W_dec", rows: dSAE, cols: dIn)
        self.decoderBias = Parameter(name: "b_dec", rows: 1, cols: dIn)
        (encoderWeight.values, self.encoderBias.values) = (encoder, encoderBias)
        (decoderWeight.values, self.decoderBias.values) = (decoder, decoderBias)
    }

    /// Trains on `rows` (row-major [n, dIn]) with Adam, batches drawn with the settings' seed.
    public static func train(rows x: [Float], dIn: Int, settings: SAESettings) throws -> SparseAutoencoder {
        let n = x.count / dIn
        precondition(n >= 1 && x.count == n * dIn, "SAE training needs rows of \(dIn) values")
        var mean = [Float](repeating: 0, count: dIn)
        for r in 0..<n { for j in 0..<dIn { mean[j] += x[r * dIn + j] / Float(n) } }
        var rng = SeededGenerator(seed: settings.seed).split(salt: 61)
        let sae = SparseAutoencoder(dIn: dIn, settings: settings, mean: mean, using: &rng)
        let optimizer = Adam(learningRate: Float(settings.learningRate))
        let tape = Tape(recordsGradients: true, threads: 1)
        let batch = min(settings.batchSize, n)
        var rows = [Float](repeating: 0, count: batch * dIn)
        for _ in 0..<settings.steps {
            tape.reset()
            for b in 0..<batch {
                let r = Int.random(in: 0..<n, using: &rng)
                for j in 0..<dIn { rows[b * dIn + j] = x[r * dIn + j] }
            }
            let input = tape.constant(rows, rows: batch, cols: dIn)
            let (features, reconstruction) = try sae.forward(tape, input)
            // mean squared error is over all B·d_in entries: × d_in makes it the per-row sum.
            var loss = try tape.mul(
                tape.meanSquaredError(reconstruction, input), tape.constant([Float(dIn)], rows: 1, cols: 1))
            if settings.architecture == .relu, settings.l1Coefficient > 0 {
                let sparsity = try tape.mul(
                    tape.mean(features),
                    tape.constant([Float(settings.l1Coefficient * Double(sae.dSAE))], rows: 1, cols: 1))
                loss = try tape.add(loss, sparsity)
            }
            let gradients = try tape.backward(loss)
            optimizer.step(sae.parameters, gradients, pool: tape.pool)
            sae.normaliseDecoder()
        }
        return sae
    }

    func forward(_ tape: Tape, _ x: Tensor) throws -> (features: Tensor, reconstruction: Tensor) {
        let pre = try tape.linear(x, tape.parameter(encoderWeight), tape.parameter(encoderBias))
        let features =
            settings.architecture == .topK ? try tape.topKReLU(pre, k: min(settings.k, dSAE)) : try tape.relu(pre)
        let reconstruction = try tape.linear(features, tape.parameter(decoderWeight), tape.parameter(decoderBias))
        return (features, reconstruction)
    }

    /// Features and reconstructions of `rows` (row-major [n, d_in]), as [n, d_sae] and [n, d_in].
    public func apply(_ x: [Float]) throws -> (features: [Float], reconstruction: [Float]) {
        let tape = Tape(recordsGradients: false, threads: 1)
        let (f, xHat) = try forward(tape, tape.constant(x, rows: x.count / dIn, cols: dIn))
        return (tape.array(f), tape.array(xHat))
    }

    func normaliseDecoder() {
        for i in 0..<dSAE {
            var norm: Float = 0
            for j in 0..<dIn { norm += decoderWeight.value[i * dIn + j] * decoderWeight.value[i * dIn + j] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for j in 0..<dIn { decoderWeight.value[i * dIn + j] *= scale }
        }
    }
}

/// How an SAE is built and trained; field names follow SAELens.
public struct SAESettings: Sendable, Equatable {
    public enum Architecture: String, Sendable, CaseIterable { case relu, topK = "topk" }
    public var architecture = Architecture.relu
    /// Dictionary size; nil means `expansionFactor` × d_in.
    public var dSAE: Int?
    public var expansionFactor = 4
    public var l1Coefficient = 1.0
    public var k = 8
    public var learningRate = 1e-3
    public var steps = 2000
    public var batchSize = 512
    public var seed: UInt64 = 0
    /// `seed` as an Int, for the config table.
    public var seedValue: Int {
        get { Int(seed) }
        set { seed = UInt64(newValue) }
    }

    public init() {}

    public func width(dIn: Int) -> Int { dSAE ?? expansionFactor * dIn }
}

/// The `sae` analysis: which hook's activations, over which entities, and how the SAE is trained.
public struct SAEAnalysisSettings: Sendable, Equatable {
    public enum Entities: String, Sendable, CaseIterable { case trained, all }
    public enum Normalization: String, Sendable, CaseIterable {
        /// The activations as they are.
        case none
        /// Scaled by one factor so that their mean norm is √d_in (SAELens's `expected_average_only_in`).
        case expected_average_only_in
    }

    public var hook = "blocks.0.mlp.hook_post"
    /// Trained entities, or every cell of the A × B grid.
    public var entities = Entities.trained
    public var normalization = Normalization.expected_average_only_in
    public var training = SAESettings()

    public init() {}
}
