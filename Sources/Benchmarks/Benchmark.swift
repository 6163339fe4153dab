import Analysis
import Autograd
import Dispatch
import Experiment
import Foundation
import NN
import Randomness
import RunStore

/// The standard speed workloads: the full 100 × 100 grid with 3
/// random classes, trained with AdamW (lr 1e-3), warm-up epoch excluded.
public struct BenchmarkWorkload: Sendable {
    public let name: String
    public let spec: ModelSpec
    public let batch: Int

    public static let standard: [BenchmarkWorkload] = [
        .init(name: "small", spec: grid(embedding: 64, hidden: [256]), batch: 256),
        .init(name: "medium", spec: grid(embedding: 128, hidden: [512]), batch: 512),
        .init(name: "wide", spec: grid(embedding: 256, hidden: [2048]), batch: 1024),
        .init(
            name: "residual", spec: grid(embedding: 64, hidden: [256, 256], activation: .gelu_erf, residual: true),
            batch: 256),
    ]

    static func grid(embedding: Int, hidden: [Int], activation: Activation = .relu, residual: Bool = false) -> ModelSpec
    {
        ModelSpec(
            vocabularyA: 100, vocabularyB: 100, embedding: embedding, hidden: hidden,
            activation: activation, residual: residual, classes: [3])
    }

    /// Multiply-adds per example of the layers' matrix products, computed directly.
    var directMultiplyAdds: Int {
        let input = spec.combine == .sum ? spec.embedding : 2 * spec.embedding
        var width = input, total = 0
        for h in spec.hidden {
            total += width * h
            if spec.residual { total += h * width } else { width = h }
        }
        return total + width * spec.classes.reduce(0, +)
    }

    /// The equivalent command line of the PyTorch reference script.
    public var referenceArguments: String {
        var s = "--embed \(spec.embedding) --hidden \(spec.hidden[0]) --layers \(spec.hidden.count) --batch \(batch)"
        if spec.residual { s += " --residual" }
        if spec.activation != .relu { s += " --act gelu" }
        return s
    }
}

/// What one workload measured.
public struct BenchmarkResult: Codable, Sendable {
    public let workload: String
    public let threads: Int
    public let examples: Int
    public let seconds: Double
    public let examplesPerSecond: Double
    public let parameters: Int
    /// Matrix-product GFLOP/s the engine actually executed.
    public let matmulGFLOPS: Double
    /// GFLOP/s counted as a direct implementation would need them (6 · n · Σ fan_in·fan_out
    /// per step: forward, input gradient, weight gradient), so that the factored first
    /// layer's savings show up; comparable with PyTorch and with raw sgemm.
    public let effectiveGFLOPS: Double
    /// Resident memory (MiB) after the warm-up epoch and after the last epoch.
    public let rssMebibytesAfterWarmup: Double
    public let rssMebibytesAtEnd: Double
    public let trainAccuracy: Double
}

extension BenchmarkWorkload {
    /// Trains `epochs` timed epochs after one warm-up epoch, like the reference script.
    public func run(epochs: Int, threads: Int, seed: UInt64 = 0) throws -> BenchmarkResult {
        var rng = SeededGenerator(seed: seed)
        let n = spec.vocabularyA * spec.vocabularyB
        let a = (0..<n).map { Int32($0 / spec.vocabularyB) }
        let b = (0..<n).map { Int32($0 % spec.vocabularyB) }
        let y = (0..<n).map { _ in Int32.random(in: 0..<Int32(spec.classes[0]), using: &rng) }
        let model = ToyModel(spec, using: &rng)
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-3, decoupled: true), threads: threads)
        var order = Array(0..<n)
        var ba = [Int32](repeating: 0, count: batch), bb = ba, by = ba

        func epoch() throws {
            order.shuffle(using: &rng)
            for start in stride(from: 0, to: n, by: batch) {
                let size = min(batch, n - start)
                for i in 0..<size {
                    let e = order[start + i]
                    ba[i] = a[e]; bb[i] = b[e]; by[i] = y[e]
                }
                try trainer.step(a: ba[0..<size], b: bb[0..<size], labels: [by[0..<size]])
            }
        }

        try epoch()
        let residentAfterWarmup = ResidentMemory.mebibytes()
        let flopsBefore = trainer.matmulFlops
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<epochs { try epoch() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let flops = trainer.matmulFlops - flopsBefore
        let residentAtEnd = ResidentMemory.mebibytes()
        let accuracy = try Self.accuracy(model, a: a, b: b, y: y, threads: threads)
        return BenchmarkResult(
            workload: name, threads: threads, examples: n * epochs, seconds: seconds,
            examplesPerSecond: Double(n * epochs) / seconds, parameters: model.parameterCount,
            matmulGFLOPS: flops / seconds / 1e9,
            effectiveGFLOPS: 6 * Double(n * epochs) * Double(directMultiplyAdds) / seconds / 1e9,
            rssMebibytesAfterWarmup: residentAfterWarmup,
            rssMebibytesAtEnd: residentAtEnd, trainAccuracy: accuracy)
    }

    static func accuracy(_ model: ToyModel, a: [Int32], b: [Int32], y: [Int32], threads: Int) throws -> Double {
        let tape = Tape(recordsGradients: false, threads: threads)
        let logits = try model.forward(tape, a: a, b: b).logits[0]
        return classificationAccuracy(Array(tape.values(of: logits)), classes: logits.cols, labels: y)
    }
}

/// Resident set size of this process, from /proc/self/statm (Linux).
public enum ResidentMemory {
    public static func mebibytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
