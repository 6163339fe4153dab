import Randomness

/// Mean-ablation curves of the last block's neurons: replace
/// neurons' activations by their mean over the sample, in order of
/// importance (least important first, so the most important are kept) and
/// in a random order, and record accuracy on trained entities against the
/// number of neurons kept. The readout is linear in the last block's
/// activations, so ablating neuron j moves the logits by −(T_j − mean_j)·u_j.
public struct AblationCurves {
    public let kept: [Int]
    public let importanceOrder: [Double]
    public let randomOrder: [Double]

    public init(
        paths: DirectPaths, layer: Int, activations: [Float], width: Int, logits: [Float], labels: [Int32],
        importance: [Double], seed: UInt64
    ) {
        let n = labels.count, c = paths.classes
        let directions = paths.components.filter { $0.layer == layer }.sorted { $0.neuron < $1.neuron }.map(\.direction)
        var means = [Double](repeating: 0, count: width)
        for e in 0..<n { for j in 0..<width { means[j] += Double(activations[e * width + j]) } }
        for j in 0..<width { means[j] /= Double(max(1, n)) }
        var points = Set([0, width])
        for i in 1..<16 { points.insert(width * i / 16) }
        let checkpoints = points.sorted()

        func curve(_ removal: [Int]) -> [Double] {
            var current = logits.map(Double.init)
            var accuracies: [Int: Double] = [:]
            func accuracy() -> Double {
                current.withUnsafeBufferPointer { classificationAccuracy($0, classes: c, labels: labels) }
            }
            accuracies[width] = accuracy()
            for (removed, j) in removal.enumerated() {
                let u = directions[j]
                for e in 0..<n {
                    let delta = Double(activations[e * width + j]) - means[j]
                    for k in 0..<c { current[e * c + k] -= delta * u[k] }
                }
                let keptNow = width - removed - 1
                if points.contains(keptNow) { accuracies[keptNow] = accuracy() }
            }
            return checkpoints.map { accuracies[$0]! }
        }
        let byImportance = curve((0..<width).sorted { importance[$0] < importance[$1] })
        var rng = SeededGenerator(seed: seed).split(salt: 31)
        let random = curve(Array(0..<width).shuffled(using: &rng))
        kept = checkpoints
        importanceOrder = byImportance
        randomOrder = random
    }
}
