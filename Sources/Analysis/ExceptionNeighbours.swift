import Foundation
import NN
import Tasks

/// Do a rule of thumb's exceptions pull their rows and columns? For every held-out entity (a, b) that
/// follows the rule, k = the number of *trained* exceptions in row a plus those in column b; the
/// accuracy of held-out rule-followers is tabulated by k, and the error (1 − correct) is regressed on k
/// by least squares: `errorSlope` is the extra error per neighbouring exception, with its standard error
/// √(σ̂² / Σ(k − k̄)²). If exceptions only cost themselves, the slope is 0.
public struct ExceptionNeighbours: Sendable {
    public struct Bin: Sendable, Equatable {
        public let exceptions: Int
        public let entities: Int
        public let accuracy: Double

        public init(exceptions: Int, entities: Int, accuracy: Double) {
            self.exceptions = exceptions
            self.entities = entities
            self.accuracy = accuracy
        }
    }

    public let bins: [Bin]
    public let errorSlope: Double?
    public let errorSlopeSE: Double?
    public let entities: Int

    /// Nil for tasks without exceptions.
    public init?(_ model: ToyModel, data: Dataset, threads: Int) throws {
        guard data.spec.kind == .rule_of_thumb, let rule = data.ruleFeature else { return nil }
        let heldout = data.heldoutIndices
        var predicted: [Int] = []
        try HookPass.run(
            model, a: heldout.map { data.a[$0] }, b: heldout.map { data.b[$0] }, threads: threads, hooks: false
        ) { chunk in
            predicted += Evaluation.predictions(chunk.logits[0].values, width: chunk.logits[0].width)
        }
        var correct = [Int32](repeating: -1, count: data.count)
        for (i, e) in heldout.enumerated() { correct[e] = predicted[i] == Int(data.labels[0][e]) ? 1 : 0 }
        self.init(a: data.a, b: data.b, labels: data.labels[0], rule: rule, split: data.split, correct: correct)
    }

    /// The tabulation itself: `correct[e]` is 1 or 0 for held-out entities (split 1), ignored elsewhere.
    public init(a: [Int32], b: [Int32], labels: [Int32], rule: [Int32], split: [UInt8], correct: [Int32]) {
        var rows: [Int32: Int] = [:], columns: [Int32: Int] = [:]
        for e in labels.indices where split[e] == 0 && labels[e] != rule[e] {
            rows[a[e], default: 0] += 1
            columns[b[e], default: 0] += 1
        }
        var ks: [Double] = [], errors: [Double] = []
        var tally: [Int: (n: Int, right: Int)] = [:]
        for e in labels.indices where split[e] == 1 && labels[e] == rule[e] {
            let k = rows[a[e], default: 0] + columns[b[e], default: 0]
            let right = Int(correct[e])
            tally[k, default: (0, 0)].n += 1
            tally[k, default: (0, 0)].right += right
            ks.append(Double(k))
            errors.append(Double(1 - right))
        }
        bins = tally.keys.sorted().map { k in
            Bin(exceptions: k, entities: tally[k]!.n, accuracy: Double(tally[k]!.right) / Double(tally[k]!.n))
        }
        entities = ks.count
        let n = Double(ks.count)
        let kMean = ks.reduce(0, +) / max(n, 1), eMean = errors.reduce(0, +) / max(n, 1)
        var sxx = 0.0, sxy = 0.0
        for (k, e) in zip(ks, errors) {
            sxx += (k - kMean) * (k - kMean)
            sxy += (k - kMean) * (e - eMean)
        }
        guard ks.count > 2, sxx > 0 else {
            errorSlope = nil
            errorSlopeSE = nil
            return
        }
        let slope = sxy / sxx
        var residual = 0.0
        for (k, e) in zip(ks, errors) {
            let r = e - eMean - slope * (k - kMean)
            residual += r * r
        }
        errorSlope = slope
        errorSlopeSE = (residual / (n - 2) / sxx).squareRoot()
    }
}
