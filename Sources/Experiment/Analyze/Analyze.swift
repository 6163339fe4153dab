import Analysis
import Foundation
import NN
import Tasks

/// Runs the analyses of GUIDE §5 on a trained model and writes `analysis/`.
public enum Analyze {
    @discardableResult
    public static func run(model: ToyModel, data: Dataset, config: ExperimentConfig, names: [String],
                           threads: Int, into directory: RunDirectory) throws -> ModelAnalysis {
        let options = AnalysisOptions(names: names, seed: config.seed, threads: threads)
        let analysis = try ModelAnalysis(model: model, data: data, options: options)
        let target = directory.file("analysis")
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try AnalysisOutput.write(analysis, options: options, to: target, spec: (config.task.domainA, config.task.domainB))
        return analysis
    }

    /// Re-analyses an existing completed run.
    public static func run(directory: RunDirectory, names: [String]?, threads: Int?) throws -> JSONValue {
        let run = try LoadedRun(directory)
        let chosen = names ?? (run.config.analyses.isEmpty ? ["all"] : run.config.analyses)
        let analysis = try Self.run(model: run.model, data: run.data, config: run.config, names: chosen,
                                    threads: threads ?? run.config.train.threads, into: directory)
        try RunReport.write(directory, config: run.config, model: run.model, analysis: analysis,
                            threads: threads ?? run.config.train.threads)
        return try JSONParser.parse(String(contentsOf: directory.file("analysis/summary.json"), encoding: .utf8))
    }
}
