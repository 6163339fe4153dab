import Autograd
import Foundation
import NN
import Tasks

/// Loss, accuracy and memorised bits of one fact over a set of entities.
public struct FactScores: Sendable {
    public var loss: Double
    public var accuracy: Double
    /// Σ_e max(0, log₂ C + log₂ p(y_e | e)): bits the model holds beyond chance.
    public var bits: Double
    public var count: Int
}

/// Evaluates a model on a subset of a dataset's entities, in chunks on an
/// evaluation tape, so memory stays bounded for large domains.
public enum Evaluation {
    public static func scores(_ model: ToyModel, _ data: Dataset, entities: [Int], threads: Int) throws -> [FactScores]
    {
        let facts = data.factCount
        var loss = [Double](repeating: 0, count: facts), correct = [Int](repeating: 0, count: facts)
        var bits = [Double](repeating: 0, count: facts)
        guard !entities.isEmpty else { return [] }
        try HookPass.run(
            model, a: entities.map { data.a[$0] }, b: entities.map { data.b[$0] }, threads: threads,
            hooks: false
        ) { chunk in
            for f in 0..<facts {
                let c = chunk.logits[f].width
                try chunk.logits[f].values.withUnsafeBufferPointer { logits in
                    for r in 0..<chunk.count {
                        let e = entities[chunk.offset + r]
                        let row = logits.baseAddress! + r * c
                        var best = 0, peak = row[0]
                        for j in 1..<c where row[j] > peak { best = j; peak = row[j] }
                        var sum = 0.0
                        for j in 0..<c { sum += exp(Double(row[j] - peak)) }
                        let label = Int(data.labels[f][e])
                        let logProbability = Double(row[label] - peak) - log(sum)
                        guard logProbability.isFinite else {
                            throw EngineError.nonFinite(op: "evaluation", detail: "logits of entity \(e)")
                        }
                        loss[f] -= logProbability
                        bits[f] += max(0, log2(Double(c)) + logProbability / M_LN2)
                        if best == label { correct[f] += 1 }
                    }
                }
            }
        }
        let n = Double(entities.count)
        return (0..<facts).map {
            FactScores(loss: loss[$0] / n, accuracy: Double(correct[$0]) / n, bits: bits[$0], count: entities.count)
        }
    }

    /// Accuracy on `heldout` of always predicting the most frequent label among `train` (ties: smallest label).
    /// The predicted class of each row of row-major [rows, width] logits: the first largest logit.
    public static func predictions<Logits: RandomAccessCollection>(_ logits: Logits, width: Int) -> [Int]
    where Logits.Element == Float, Logits.Index == Int {
        stride(from: logits.startIndex, to: logits.endIndex, by: width).map { start in
            var best = 0
            for j in 1..<width where logits[start + j] > logits[start + best] { best = j }
            return best
        }
    }

    public static func baseRate(_ labels: [Int32], classes: Int, train: [Int], heldout: [Int]) -> Double? {
        guard !heldout.isEmpty else { return nil }
        var counts = [Int](repeating: 0, count: classes)
        for e in train { counts[Int(labels[e])] += 1 }
        let majority = Int32(counts.firstIndex(of: counts.max()!)!)
        return Double(heldout.filter { labels[$0] == majority }.count) / Double(heldout.count)
    }
}
