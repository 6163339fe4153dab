import Analysis
import Foundation
import NN
import RunStore
import Tasks

/// Runs the selected instruments (`AnalysisRegistry`) on a trained model and
/// writes `analysis/`.
public enum Analyze {
    /// Measures and writes `directory/analysis/`; returns what `analysis/summary.json` holds.
    @discardableResult
    public static func run(
        model: ToyModel, data: Dataset, config: ExperimentConfig, names: [String],
        threads: Int, into directory: RunDirectory
    ) throws -> JSONValue {
        var settings = AnalysisSettings(seed: config.seed, threads: threads)
        settings.sae = config.sae
        return try measure(model: model, data: data, names: names, settings: settings, config: config) {
            context, measured, summary in
            try AtomicFile.replaceDirectory(directory.file("analysis")) {
                try AnalysisOutput.write(measured, summary: summary, context: context, to: $0)
            }
        }
    }

    /// Measures, hands the results and the analysis summary to `write`, and returns the summary.
    public static func measure(
        model: ToyModel, data: Dataset, names: [String], settings: AnalysisSettings, config: ExperimentConfig? = nil,
        write: (AnalysisContext, [AnalysisOutput.Measured], JSONValue) throws -> Void = { _, _, _ in }
    ) throws -> JSONValue {
        let instruments = AnalysisRegistry.selected(names)
        let inputs = instruments.reduce(into: Set<InstrumentInput>()) { $0.formUnion($1.needs) }
        let context = try AnalysisContext(
            model: model, data: data, settings: settings, config: config, inputs: inputs)
        let measured = try instruments.map { (instrument: $0, measurement: try $0.measure(context)) }
        let summary = try AnalysisOutput.summary(measured, context: context)
        try write(context, measured, summary)
        return summary
    }

    /// Re-analyses an existing completed run; `saeHook` overrides the config's `sae.hook`.
    public static func run(
        directory: RunDirectory, names: [String]?, threads: Int?, saeHook: String? = nil
    ) throws -> JSONValue {
        let run = try LoadedRun(directory)
        let chosen = names ?? (run.config.analyses.isEmpty ? [AnalysisRegistry.everything] : run.config.analyses)
        var config = run.config
        if let saeHook { config.sae.hook = saeHook }
        return try Self.run(
            model: run.model, data: run.data, config: config, names: chosen,
            threads: threads ?? run.config.train.threads, into: directory)
    }
}
