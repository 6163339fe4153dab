/// Fraction of rows whose largest score (first on ties) is the row's label.
///
/// ```swift
/// classificationAccuracy(logits, classes: 3, labels: [0, 2])   // logits holds 2 × 3 scores
/// ```
public func classificationAccuracy<T: Comparable>(_ scores: [T], classes: Int, labels: [Int32]) -> Double {
    scores.withUnsafeBufferPointer { classificationAccuracy($0, classes: classes, labels: labels) }
}

func classificationAccuracy<T: Comparable>(_ scores: UnsafeBufferPointer<T>, classes: Int, labels: [Int32])
    -> Double
{
    var correct = 0
    for (r, label) in labels.enumerated() {
        let row = r * classes
        var best = 0
        for k in 1..<classes where scores[row + k] > scores[row + best] { best = k }
        if best == Int(label) { correct += 1 }
    }
    return Double(correct) / Double(max(1, labels.count))
}
