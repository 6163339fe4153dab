import Analysis
import Charts
import Foundation
import NN
import RunStore

extension SAEInstrument {
    /// The lookup tables over the grid of the four most frequently active features that are not
    /// dense, from the SAE's files (grids of at most 65,536 cells).
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        guard let hook = run.summary["sae"]?["hook"]?.stringValue, let point = HookPoint(name: hook) else { return [] }
        let directory = run.directory.file("analysis/sae/\(hook)")
        guard
            let weights = try? SafeTensors(
                decoding: Data(contentsOf: directory.appendingPathComponent("sae_weights.safetensors"))),
            let sparsity = try? SafeTensors(
                decoding: Data(contentsOf: directory.appendingPathComponent("sparsity.safetensors"))),
            let encoder = weights.floats("W_enc"), let encoderBias = weights.floats("b_enc"),
            let decoder = weights.floats("W_dec"), let decoderBias = weights.floats("b_dec"),
            let logDensity = sparsity.floats("sparsity"), let dIn = weights.entry("W_enc")?.shape.first
        else { return [] }
        let model = try run.model(), spec = model.spec
        guard spec.vocabularyA * spec.vocabularyB <= 65_536 else { return [] }
        var settings = SAESettings()
        if run.summary["sae"]?["architecture"]?.stringValue == SAESettings.Architecture.topK.rawValue {
            settings.architecture = .topK
            settings.k =
                (try? JSONParser.parse(
                    String(contentsOf: directory.appendingPathComponent("cfg.json"), encoding: .utf8)))?[
                    "activation_fn_kwargs"]?["k"]?.intValue ?? settings.k
        }
        let dSAE = logDensity.count
        let sae = SparseAutoencoder(
            dIn: dIn, dSAE: dSAE, settings: settings, encoder: encoder, encoderBias: encoderBias, decoder: decoder,
            decoderBias: decoderBias)
        let scale = Float(run.summary["sae"]?["activation_scale"]?.doubleValue ?? 1)
        let (a, b) = HookPass.grid(spec.vocabularyA, spec.vocabularyB)
        var x: [Float] = []
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            x += chunk.hooks.first { $0.point == point }!.values
        }
        let features = try sae.apply(x.map { $0 * scale }).features
        let threshold = Float(log10(SAEMeasurement.denseThreshold))
        let chosen = logDensity.indices.filter { logDensity[$0] < threshold && logDensity[$0] > -10 }
            .sorted { logDensity[$0] > logDensity[$1] }.prefix(4)
        return chosen.map { i in
            Chart.heatmap(
                name: "sae_feature_\(i)", title: "SAE feature \(i) of \(hook) over (a, b)",
                panel: HeatmapPanel(
                    title: "active on \(String(format: "%.1f", 100 * pow(10, Double(logDensity[i]))))% of entities",
                    values: (0..<a.count).map { Double(features[$0 * dSAE + i]) }, rows: spec.vocabularyA,
                    cols: spec.vocabularyB, scale: .diverging, unit: "feature activation"))
        }
    }
}
