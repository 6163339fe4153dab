import Autograd
import NN
import Randomness

/// A multinomial logistic-regression probe, trained with the project's own
/// engine: standardised features, zero-initialised weights, full-batch
/// AdamW (lr 0.05, weight decay 1e-3) for a fixed number of steps.
///
/// ```swift
/// let accuracy = try LinearProbe.fitAndScore(train: x, trainLabels: y, test: xt, testLabels: yt,
///                                            width: 256, classes: 3)
/// ```
public enum LinearProbe {
    public static let steps = 150

    public static func fitAndScore(
        train: [Float], trainLabels: [Int32], test: [Float], testLabels: [Int32],
        width: Int, classes: Int, threads: Int = 1
    ) throws -> Double {
        let n = trainLabels.count
        var mean = [Float](repeating: 0, count: width), scale = [Float](repeating: 1, count: width)
        for j in 0..<width {
            var s = 0.0, s2 = 0.0
            for i in 0..<n { let v = Double(train[i * width + j]); s += v; s2 += v * v }
            let m = s / Double(n), variance = max(0, s2 / Double(n) - m * m)
            mean[j] = Float(m)
            scale[j] = variance > 1e-12 ? Float(1 / variance.squareRoot()) : 0
        }
        func standardised(_ x: [Float], rows: Int) -> [Float] {
            var out = x
            for i in 0..<rows { for j in 0..<width { out[i * width + j] = (x[i * width + j] - mean[j]) * scale[j] } }
            return out
        }
        let xTrain = standardised(train, rows: n)
        let weight = Parameter(name: "probe.W", rows: width, cols: classes)
        let bias = Parameter(name: "probe.b", rows: 1, cols: classes)
        let optimizer = Adam(learningRate: 0.05, weightDecay: 1e-3, decoupled: true)
        let tape = Tape(threads: threads)
        for _ in 0..<steps {
            tape.reset()
            let x = tape.constant(xTrain, rows: n, cols: width)
            let loss = try tape.softmaxCrossEntropy(
                tape.linear(x, tape.parameter(weight), tape.parameter(bias)), labels: trainLabels)
            optimizer.step([weight, bias], try tape.backward(loss))
        }
        let evaluation = Tape(recordsGradients: false, threads: threads)
        let rows = testLabels.count
        let x = evaluation.constant(standardised(test, rows: rows), rows: rows, cols: width)
        let z = evaluation.values(
            of: try evaluation.linear(x, evaluation.parameter(weight), evaluation.parameter(bias)))
        return classificationAccuracy(z, classes: classes, labels: testLabels)
    }

    /// Accuracy on `test` of always predicting the most frequent label of `train`.
    public static func baseRate(trainLabels: [Int32], testLabels: [Int32], classes: Int) -> Double {
        var counts = [Int](repeating: 0, count: classes)
        for y in trainLabels { counts[Int(y)] += 1 }
        let majority = Int32(counts.firstIndex(of: counts.max()!)!)
        return Double(testLabels.filter { $0 == majority }.count) / Double(max(1, testLabels.count))
    }
}
