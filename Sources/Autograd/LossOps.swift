import Foundation

/// Forward rules of the losses. Both return a [1, 1] mean and throw
/// `EngineError.nonFinite` rather than return NaN or infinity.
extension Tape {
    /// Mean over rows of −log softmax(logits)[label], computed with a stable
    /// log-sum-exp; softmax and cross-entropy are fused, and the softmax is
    /// kept for the backward rule (p − onehot) / n.
    public func softmaxCrossEntropy(_ logits: Tensor, labels: UnsafeBufferPointer<Int32>) throws -> Tensor {
        guard labels.count == logits.rows else {
            throw EngineError.shapeMismatch(
                op: "softmaxCrossEntropy", lhs: logits.shape, rhs: [labels.count],
                detail: "one label per row")
        }
        let n = logits.rows, c = logits.cols
        let z = node(logits).value
        let stored = integers.take(n)
        let p = output(n * c)
        var total: Double = 0
        for r in 0..<n {
            let label = labels[r]
            guard label >= 0, Int(label) < c else {
                throw EngineError.indexOutOfRange(op: "softmaxCrossEntropy", index: Int(label), position: r, limit: c)
            }
            stored[r] = label
            let row = z + r * c, prob = p + r * c
            var peak = row[0]
            for j in 1..<c where row[j] > peak { peak = row[j] }
            var sum: Float = 0
            for j in 0..<c {
                prob[j] = expf(row[j] - peak)
                sum += prob[j]
            }
            let inverse = 1 / sum
            for j in 0..<c { prob[j] *= inverse }
            total += Double(peak + logf(sum) - row[Int(label)])
        }
        let out = output(1)
        out[0] = Float(total / Double(n))
        guard out[0].isFinite else {
            throw EngineError.nonFinite(op: "softmaxCrossEntropy", detail: "loss is \(out[0])")
        }
        return append(
            .softmaxCrossEntropy(logits.id, labels: stored, probabilities: p), rows: 1, cols: 1,
            value: out, needsGradient: needsGradient(logits))
    }

    public func softmaxCrossEntropy(_ logits: Tensor, labels: [Int32]) throws -> Tensor {
        try labels.withUnsafeBufferPointer { try softmaxCrossEntropy(logits, labels: $0) }
    }

    /// Mean over all entries of (prediction − target)².
    public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try requireSameShape("meanSquaredError", prediction, target)
        let x = node(prediction).value, y = node(target).value
        var total: Double = 0
        for i in 0..<prediction.count {
            let d = Double(x[i] - y[i])
            total += d * d
        }
        let out = output(1)
        out[0] = Float(total / Double(prediction.count))
        guard out[0].isFinite else {
            throw EngineError.nonFinite(op: "meanSquaredError", detail: "loss is \(out[0])")
        }
        return append(
            .meanSquaredError(prediction.id, target: target.id), rows: 1, cols: 1, value: out,
            needsGradient: needsGradient(prediction, target))
    }
}
