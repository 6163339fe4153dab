import Analysis
import Autograd
import Dispatch
import Foundation
import NN
import Randomness
import RunStore
import Tasks

/// Where a training run is, for progress displays.
public struct TrainingProgress: Sendable {
    public let step: Int
    public let steps: Int
    public let seconds: Double
    public let trainAccuracy: Double?
    public let heldoutAccuracy: Double?
}

/// How a run ended.
public struct RunOutcome: Sendable {
    public let status: RunStatus
    public let directory: RunDirectory
    public let summary: JSONValue?
    public let message: String?
}

/// Trains one config into one run directory: config.json and meta.json
/// (running) first, metrics.jsonl as it goes, then summary.json and the
/// safetensors files, and meta.json (completed) last.
///
/// Randomness: the dataset uses the config seed's streams (see `Dataset`);
/// initialisation and batch order use streams 10 and 11 split off the same seed.
public struct Runner {
    public let config: ExperimentConfig
    public let directory: RunDirectory

    public init(config: ExperimentConfig, directory: RunDirectory) {
        self.config = config
        self.directory = directory
    }

    /// Trains, writes the run's files and, if the config lists analyses, `analysis/`; then calls
    /// `finishing` (the CLI writes the report there) before `meta.json` says completed.
    public func run(
        progress: (TrainingProgress) -> Void = { _ in }, finishing: (RunDirectory) throws -> Void = { _ in }
    ) throws -> RunOutcome {
        try directory.prepare()
        let start = Date(), clock = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9 }
        var meta = RunMeta(
            status: .running, configHash: config.hash, seed: config.seed,
            threads: config.train.threads, startedAt: start)
        try AtomicFile.write(config.json, to: directory.file("config.json"))
        try AtomicFile.write(meta.json, to: directory.file("meta.json"))
        func finish(_ status: RunStatus, _ message: String?) throws {
            meta.status = status
            meta.endedAt = Date()
            meta.wallSeconds = elapsed()
            meta.error = message
            try AtomicFile.write(meta.json, to: directory.file("meta.json"))
        }
        do {
            let summary = try train(progress: progress, elapsed: elapsed, finishing: finishing)
            try finish(.completed, nil)
            return RunOutcome(status: .completed, directory: directory, summary: summary, message: nil)
        } catch let error as EngineError {
            if case .nonFinite = error {
                try finish(.diverged, "\(error)")
                return RunOutcome(status: .diverged, directory: directory, summary: nil, message: "\(error)")
            }
            try finish(.failed, "\(error)")
            return RunOutcome(status: .failed, directory: directory, summary: nil, message: "\(error)")
        } catch {
            try? finish(.failed, "\(error)")
            throw error
        }
    }

    private func train(
        progress: (TrainingProgress) -> Void, elapsed: () -> Double, finishing: (RunDirectory) throws -> Void
    ) throws -> JSONValue {
        let data = try Dataset(config.task, seed: config.seed)
        let root = SeededGenerator(seed: config.seed)
        var initialisation = root.split(salt: 10), batches = root.split(salt: 11)
        let model = ToyModel(config.modelSpec, using: &initialisation)
        let threads = config.train.threads
        let trainer = Trainer(model: model, optimizer: config.train.optimizer.make(), threads: threads)
        let trainSet = data.trainIndices, heldoutSet = data.heldoutIndices
        let metrics = try MetricsLog(directory.file("metrics.jsonl"))

        var lastTrain: [FactScores] = [], lastHeldout: [FactScores] = []
        var memorisedAt: Int?
        let groups = RuleGroups(data)
        let stepsDone = try TrainingLoop.run(
            trainer, data: data, entities: trainSet, settings: config.train, batches: &batches
        ) { step in
            lastTrain = try Evaluation.scores(model, data, entities: trainSet, threads: threads)
            lastHeldout = try Evaluation.scores(model, data, entities: heldoutSet, threads: threads)
            try metrics.append(
                Summary.metricsLine(
                    step: step, train: lastTrain, heldout: lastHeldout, seconds: elapsed(),
                    groups: try groups.accuracies(model, train: lastTrain, heldout: lastHeldout, threads: threads)))
            progress(
                TrainingProgress(
                    step: step, steps: config.train.steps, seconds: elapsed(),
                    trainAccuracy: lastTrain.map(\.accuracy).min(),
                    heldoutAccuracy: lastHeldout.first?.accuracy))
            guard memorisedAt == nil, lastTrain.allSatisfy({ $0.accuracy == 1 }) else { return false }
            memorisedAt = step
            return config.train.stopWhenMemorised
        }
        let summary = Summary(
            train: lastTrain, heldout: lastHeldout,
            baseRates: data.labels.map {
                Evaluation.baseRate($0, classes: config.task.classes, train: trainSet, heldout: heldoutSet)
            },
            parameters: model.parameterCount, embeddingParameters: model.embeddingParameterCount,
            steps: stepsDone, memorisedAtStep: memorisedAt, wallSeconds: elapsed())
        try AtomicFile.write(Export.model(model, config: config).encoded(), to: directory.file("model.safetensors"))
        try AtomicFile.write(Export.data(data).encoded(), to: directory.file("data.safetensors"))
        try AtomicFile.write(summary.json, to: directory.file("summary.json"))
        if !config.analyses.isEmpty {
            try Analyze.run(
                model: model, data: data, config: config, names: config.analyses, threads: threads, into: directory)
        }
        try finishing(directory)
        return summary.json
    }
}

/// `metrics.jsonl`, one canonical JSON object per line, appended and flushed per evaluation.
final class MetricsLog {
    private let handle: FileHandle

    init(_ url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    func append(_ line: JSONValue) throws {
        try handle.write(contentsOf: Data((line.serialized() + "\n").utf8))
    }

    deinit { try? handle.close() }
}
