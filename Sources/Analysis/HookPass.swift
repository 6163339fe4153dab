import Autograd
import NN

/// One chunk of activations: for rows `entities[offset..<offset + count]`,
/// the value of every hook as a row-major [count, width] array (copied off the
/// evaluation tape, so a chunk may be kept).
public struct HookChunk: Sendable {
    public let offset: Int
    public let count: Int
    public let hooks: [(point: HookPoint, values: [Float], width: Int)]
    public let logits: [(values: [Float], width: Int)]
}

/// Evaluates a model at every hook point (`HookPoint`) over a list of (a, b)
/// pairs, in chunks on an evaluation tape, so memory stays bounded by the
/// chunk size whatever the domain.
///
/// ```swift
/// try HookPass.run(model, a: a, b: b, threads: 1) { chunk in
///     let post = chunk.hooks.first { $0.point == .post(0) }!
///     ...
/// }
/// ```
public enum HookPass {
    public static let chunkRows = 8192

    /// With `hooks: false` only the logits are recorded (chunk.hooks is empty).
    public static func run(
        _ model: ToyModel, a: [Int32], b: [Int32], threads: Int, hooks: Bool = true,
        body: (HookChunk) throws -> Void
    ) throws {
        let tape = Tape(recordsGradients: false, threads: threads)
        for start in stride(from: 0, to: a.count, by: chunkRows) {
            let end = min(start + chunkRows, a.count)
            tape.reset()
            let pass = try model.forward(tape, a: a[start..<end], b: b[start..<end], hooks: hooks)
            try body(
                HookChunk(
                    offset: start, count: end - start,
                    hooks: pass.hooks.map { ($0.point, Array(tape.values(of: $0.tensor)), $0.tensor.cols) },
                    logits: pass.logits.map { (Array(tape.values(of: $0)), $0.cols) }))
        }
    }

    /// Every (a, b) of the A × B grid in row-major order.
    public static func grid(_ vocabularyA: Int, _ vocabularyB: Int) -> (a: [Int32], b: [Int32]) {
        let n = vocabularyA * vocabularyB
        return ((0..<n).map { Int32($0 / vocabularyB) }, (0..<n).map { Int32($0 % vocabularyB) })
    }

    /// The hook points of a model, in forward order, with their widths.
    public static func hooks(of model: ToyModel) throws -> [(point: HookPoint, width: Int)] {
        let tape = Tape(recordsGradients: false)
        let pass = try model.forward(tape, a: [0], b: [0], hooks: true)
        return pass.hooks.map { ($0.point, $0.tensor.cols) }
    }
}
