import Analysis
import Dispatch
import Foundation
import NN
import Randomness
import Tasks

/// Memorisation scores by the subsampled estimator of Feldman & Zhang (2020), "What Neural
/// Networks Memorize and Why": M models, each trained (with the config's training settings) on a
/// seeded random fraction of the trained entities; for every trained entity e,
///
///     mem(e) = P[correct on e | e in the subset] − P[correct on e | e not in the subset]
///
/// each probability the fraction of models of that kind that classify e correctly (fact 0), with
/// standard error √(p_in(1 − p_in)/n_in + p_out(1 − p_out)/n_out). Model m's subset, initialisation
/// and batch order come from streams split off the config seed, so results do not depend on `jobs`.
///
/// ```swift
/// let scores = try MemScore.estimate(config, models: 200, fraction: 0.7, jobs: 2) { done in }
/// scores.mem[i]   // entity data.trainIndices[i]
/// ```
public struct MemScore: Sendable {
    public let data: Dataset
    /// The trained entities scored, ascending (indices into `data`).
    public let entities: [Int]
    public let models: Int
    public let fraction: Double
    public let inCount: [Int], inCorrect: [Int], outCount: [Int], outCorrect: [Int]
    /// The influence of trained on held-out entities; nil where it is not cheap (`Influence.pairLimit`).
    public let influence: Influence?
    public let seconds: Double

    /// mem(e), or nil when e was never in (or never out of) a subset.
    public var mem: [Double?] {
        entities.indices.map { i in
            guard inCount[i] > 0, outCount[i] > 0 else { return nil }
            return Double(inCorrect[i]) / Double(inCount[i]) - Double(outCorrect[i]) / Double(outCount[i])
        }
    }

    public var standardError: [Double?] {
        entities.indices.map { i in
            guard inCount[i] > 0, outCount[i] > 0 else { return nil }
            let pIn = Double(inCorrect[i]) / Double(inCount[i]), pOut = Double(outCorrect[i]) / Double(outCount[i])
            return (pIn * (1 - pIn) / Double(inCount[i]) + pOut * (1 - pOut) / Double(outCount[i])).squareRoot()
        }
    }

    /// "exception" or "rule" for rule-of-thumb tasks (label against the rule), else "all".
    public var groups: [String] {
        guard data.spec.kind == .rule_of_thumb, let rule = data.ruleFeature else {
            return Array(repeating: "all", count: entities.count)
        }
        return entities.map { data.labels[0][$0] == rule[$0] ? "rule" : "exception" }
    }

    public static func estimate(
        _ config: ExperimentConfig, models: Int, fraction: Double, jobs: Int,
        progress: @escaping @Sendable (Int) -> Void
    ) throws -> MemScore {
        let start = Date()
        let data = try Dataset(config.task, seed: config.seed)
        let results = try train(
            config, data: data, fraction: fraction, models: Array(0..<models), jobs: jobs, progress: progress)
        return MemScore(data: data, fraction: fraction, results: results, seconds: Date().timeIntervalSince(start))
    }

    /// The scores from every model's membership and correctness over the trained (and held-out) entities.
    init(data: Dataset, fraction: Double, results: ModelResults, seconds: Double) {
        let (membership, correct) = (results.membership, results.correct)
        self.data = data
        entities = data.trainIndices
        models = membership.count
        self.fraction = fraction
        self.seconds = seconds
        influence = Influence(data: data, membership: membership, correctHeldOut: results.correctHeldOut)
        var inCount = [Int](repeating: 0, count: entities.count), inCorrect = inCount, outCount = inCount
        var outCorrect = inCount
        for m in membership.indices {
            for i in entities.indices {
                let right = Int(correct[m][i])
                if membership[m][i] == 1 {
                    inCount[i] += 1
                    inCorrect[i] += right
                } else {
                    outCount[i] += 1
                    outCorrect[i] += right
                }
            }
        }
        (self.inCount, self.inCorrect, self.outCount, self.outCorrect) = (inCount, inCorrect, outCount, outCorrect)
    }

    /// Per model, one byte per entity: membership of its subset and correctness over the trained entities,
    /// and correctness over the held-out entities.
    struct ModelResults {
        var membership: [[UInt8]], correct: [[UInt8]], correctHeldOut: [[UInt8]]
    }

    /// Trains the given models (`jobs` at a time); their results, in the order given.
    static func train(
        _ config: ExperimentConfig, data: Dataset, fraction: Double, models: [Int], jobs: Int,
        progress: @escaping @Sendable (Int) -> Void
    ) throws -> ModelResults {
        let entities = data.trainIndices
        let subsetSize = Int((fraction * Double(entities.count)).rounded())
        let collected = Collected(models: models.count)
        let workers = max(1, min(jobs, models.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for position in stride(from: worker, to: models.count, by: workers) where !collected.failed {
                do {
                    let result = try trainOne(
                        config, data: data, entities: entities, subsetSize: subsetSize, model: models[position])
                    progress(collected.store(position, result))
                } catch {
                    collected.fail(error)
                }
            }
        }
        if let error = collected.error { throw error }
        return ModelResults(
            membership: collected.membership, correct: collected.correct, correctHeldOut: collected.correctHeldOut)
    }

    /// Trains model `m` on its subset; returns membership and correctness over `entities`, and correctness
    /// over the held-out entities.
    static func trainOne(
        _ config: ExperimentConfig, data: Dataset, entities: [Int], subsetSize: Int, model m: Int
    ) throws -> (inSubset: [UInt8], correct: [UInt8], correctHeldOut: [UInt8]) {
        let root = SeededGenerator(seed: config.seed).split(salt: 0x6D65_6D00 + UInt64(m))
        var subsetStream = root.split(salt: 1), initialisation = root.split(salt: 2), batches = root.split(salt: 3)
        let chosen = Array(entities.indices.shuffled(using: &subsetStream).prefix(subsetSize)).sorted()
        let subset = chosen.map { entities[$0] }
        let model = ToyModel(config.modelSpec, using: &initialisation)
        let trainer = Trainer(model: model, optimizer: config.train.optimizer.make(), threads: 1)
        _ = try TrainingLoop.run(
            trainer, data: data, entities: subset, settings: config.train, batches: &batches
        ) { _ in
            guard config.train.stopWhenMemorised else { return false }
            return try Evaluation.scores(model, data, entities: subset, threads: 1).allSatisfy { $0.accuracy == 1 }
        }
        var inSubset = [UInt8](repeating: 0, count: entities.count)
        for i in chosen { inSubset[i] = 1 }
        let scored = entities + data.heldoutIndices
        var right = [UInt8](repeating: 0, count: scored.count)
        let a = scored.map { data.a[$0] }, b = scored.map { data.b[$0] }
        try HookPass.run(model, a: a, b: b, threads: 1, hooks: false) { chunk in
            let predicted = Evaluation.predictions(chunk.logits[0].values, width: chunk.logits[0].width)
            for (r, p) in predicted.enumerated() {
                right[chunk.offset + r] = p == Int(data.labels[0][scored[chunk.offset + r]]) ? 1 : 0
            }
        }
        return (inSubset, Array(right[..<entities.count]), Array(right[entities.count...]))
    }
}

/// The models' results as workers finish them, in model order whatever the finishing order.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    /// Per model: which entities were in its subset and which it classified correctly (one byte each).
    private(set) var membership: [[UInt8]], correct: [[UInt8]], correctHeldOut: [[UInt8]]
    private(set) var error: Error?
    private var finished = 0

    init(models: Int) {
        membership = [[UInt8]](repeating: [], count: models)
        (correct, correctHeldOut) = (membership, membership)
    }

    var failed: Bool { lock.withLock { error != nil } }

    /// Stores model `m`'s result; returns how many models have finished.
    func store(_ m: Int, _ result: (inSubset: [UInt8], correct: [UInt8], correctHeldOut: [UInt8])) -> Int {
        lock.withLock {
            (membership[m], correct[m], correctHeldOut[m]) = result
            finished += 1
            return finished
        }
    }

    func fail(_ error: Error) { lock.withLock { self.error = self.error ?? error } }
}
