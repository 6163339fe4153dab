import Analysis
import Charts
import Foundation
import NN
import RunStore

/// A sparse autoencoder on one hook (`SAEMeasurement`), written in SAELens's layout under
/// `analysis/sae/<hook>/`: `cfg.json`, `sae_weights.safetensors` (W_enc [d_in, d_sae], b_enc [d_sae],
/// W_dec [d_sae, d_in], b_dec [d_in]) and `sparsity.safetensors` (`sparsity` = log10(density + 1e-10)).
/// It trains a model of its own, so `"all"` does not select it; the config's `sae` section sets it up.
struct SAEInstrument: Instrument {
    let name = "sae"
    let doc = "A sparse autoencoder on one hook: L0, explained variance, accuracy recovered, feature census."
    let needs: Set<InstrumentInput> = []
    let summaryKey: String? = "sae"
    let inAll = false
    let headlines = [
        Headline("sae_l0", inComparison: true) { $0["sae"]?["l0"] },
        Headline("sae_explained_variance", inComparison: true) { $0["sae"]?["explained_variance"] },
        Headline("sae_accuracy_recovered", inComparison: true) { $0["sae"]?["accuracy_recovered"] },
        Headline("sae_microfeature_fraction") { $0["sae"]?["census_fractions"]?["micro"] },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        let start = Date()
        let m: SAEMeasurement
        do { m = try SAEMeasurement(context.model, data: context.data, settings: context.settings) } catch let e
            as SAEError
        {
            throw InputError(e.description)
        }
        let s = context.settings.sae, sae = m.sae
        let directory = "sae/\(m.point.name)/"
        var weights = SafeTensors(metadata: ["format": "pt"])
        weights.add("W_enc", floats: sae.encoderWeight.values, shape: [sae.dIn, sae.dSAE])
        weights.add("b_enc", floats: sae.encoderBias.values, shape: [sae.dSAE])
        weights.add("W_dec", floats: sae.decoderWeight.values, shape: [sae.dSAE, sae.dIn])
        weights.add("b_dec", floats: sae.decoderBias.values, shape: [sae.dIn])
        var sparsity = SafeTensors(metadata: ["format": "pt"])
        sparsity.add("sparsity", floats: m.density.map { Float(log10($0 + 1e-10)) }, shape: [sae.dSAE])
        let counts = FeatureCensus.Kind.allCases.map { kind in (kind, m.census?.filter { $0 == kind }.count ?? 0) }
        let live = m.census?.compactMap { $0 }.count ?? 0
        let summary = JSONValue.object([
            ("hook", .string(m.point.name)), ("entities", .string(s.entities.rawValue)), ("rows", .int(m.entities)),
            ("d_in", .int(sae.dIn)), ("d_sae", .int(sae.dSAE)),
            ("architecture", .string(s.training.architecture.rawValue)),
            ("activation_scale", .double(Double(m.scale))),
            ("l0", .double(m.l0)), ("explained_variance", .double(m.explainedVariance)),
            ("dead", .int(m.dead)), ("dense", .int(m.dense)),
            ("dense_threshold", .double(SAEMeasurement.denseThreshold)),
            ("accuracy_clean", .double(m.accuracyClean)), ("accuracy_sae", .double(m.accuracySAE)),
            ("accuracy_ablated", .double(m.accuracyAblated)),
            ("accuracy_recovered", m.accuracyRecovered.map(JSONValue.double) ?? .null),
            ("census", m.census == nil ? .null : .object(counts.map { ($0.0.rawValue, .int($0.1)) })),
            (
                "census_fractions",
                m.census == nil || live == 0
                    ? .null : .object(counts.map { ($0.0.rawValue, .double(Double($0.1) / Double(live))) })
            ),
            ("seconds", .double(Date().timeIntervalSince(start))),
        ])
        var result = Measurement(summary: summary)
        result.files = [
            (directory + "cfg.json", Data((config(m, settings: s).serialized(pretty: true) + "\n").utf8)),
            (directory + "sae_weights.safetensors", weights.encoded()),
            (directory + "sparsity.safetensors", sparsity.encoded()),
        ]
        return result
    }

    /// SAELens's `cfg.json`, plus toymem's own keys (prefixed `toymem_`).
    func config(_ m: SAEMeasurement, settings s: SAEAnalysisSettings) -> JSONValue {
        let topK = s.training.architecture == .topK
        return .object([
            ("architecture", .string(topK ? "topk" : "standard")), ("d_in", .int(m.sae.dIn)),
            ("d_sae", .int(m.sae.dSAE)), ("dtype", .string("float32")), ("device", .string("cpu")),
            ("model_name", .string("toymem")), ("hook_name", .string(m.point.name)),
            ("hook_layer", .int(m.point.layer ?? 0)), ("hook_head_index", .null),
            ("activation_fn_str", .string(topK ? "topk" : "relu")),
            ("activation_fn_kwargs", topK ? .object([("k", .int(s.training.k))]) : .object([])),
            ("apply_b_dec_to_input", .bool(false)), ("finetuning_scaling_factor", .bool(false)),
            ("normalize_activations", .string(s.normalization.rawValue)), ("context_size", .int(1)),
            ("prepend_bos", .bool(false)), ("dataset_path", .string("")),
            ("l1_coefficient", .double(topK ? 0 : s.training.l1Coefficient)), ("lr", .double(s.training.learningRate)),
            ("train_batch_size_tokens", .int(s.training.batchSize)), ("training_steps", .int(s.training.steps)),
            ("seed", .int(Int(s.training.seed))), ("toymem_entities", .string(s.entities.rawValue)),
            ("toymem_activation_scale", .double(Double(m.scale))),
        ])
    }
}
