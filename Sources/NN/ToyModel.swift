import Autograd
import Randomness

/// The toy model: integer pair (a, b) → embeddings → L MLP blocks → one
/// linear readout per fact.
///
/// Parameters are created in a fixed order from the seeded generator, so a
/// seed fixes the initial weights. Hook points (`HookPoint`) follow
/// TransformerLens; a plain block has no `hook_resid_post`, because its output
/// is its `hook_post`.
///
/// ```swift
/// var rng = SeededGenerator(seed: 0)
/// let model = ToyModel(spec, using: &rng)
/// let pass = try model.forward(tape, a: aBuffer, b: bBuffer)
/// let loss = try tape.softmaxCrossEntropy(pass.logits[0], labels: labels)
/// ```
public final class ToyModel {
    public let spec: ModelSpec
    public let embedding: TokenEmbedding
    public let blocks: [MLPBlock]
    public let readouts: [Linear]
    public let parameters: [Parameter]

    public init(_ spec: ModelSpec, using rng: inout SeededGenerator) {
        self.spec = spec
        embedding = TokenEmbedding(
            vocabularyA: spec.vocabularyA, vocabularyB: spec.vocabularyB,
            dimension: spec.embedding, combine: spec.combine, using: &rng)
        var width = embedding.width
        var blocks: [MLPBlock] = []
        for (l, h) in spec.hidden.enumerated() {
            blocks.append(
                MLPBlock(
                    index: l, width: width, hidden: h, residual: spec.residual,
                    activation: spec.activation, using: &rng))
            if !spec.residual { width = h }
        }
        self.blocks = blocks
        readouts = spec.classes.indices.map { f in
            let prefix = spec.classes.count == 1 ? "unembed." : "unembed.\(f)."
            return Linear(
                weight: prefix + "W_U", bias: prefix + "b_U", inputs: width,
                outputs: spec.classes[f], using: &rng)
        }
        parameters = embedding.parameters + blocks.flatMap(\.parameters) + readouts.flatMap(\.parameters)
    }

    /// Number of scalar parameters, with and without the embedding tables.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    public var embeddingParameterCount: Int { embedding.parameters.reduce(0) { $0 + $1.count } }

    /// The parameter with `name`, if any.
    public func parameter(named name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }

    /// See `ModelSpec.usesFactoredFirstLayer(batch:)`.
    public func usesFactoredFirstLayer(batch: Int) -> Bool { spec.usesFactoredFirstLayer(batch: Double(batch)) }

    /// See `ModelSpec.forwardMultiplyAdds(batch:)`; exact for any model that fits in memory.
    public func forwardMultiplyAdds(batch: Int) -> Int { Int(spec.forwardMultiplyAdds(batch: Double(batch))) }

    /// The factored first layer's pre-activation or, given `then`, its
    /// post-activation in the same pass (the pre-activation never stored).
    private func factoredLayer(
        _ tape: Tape, _ layer: Linear, a: UnsafeBufferPointer<Int32>,
        b: UnsafeBufferPointer<Int32>, then activation: Activation? = nil
    ) throws -> Tensor {
        let w = tape.parameter(layer.weight)
        let projectedA = try tape.linear(tape.parameter(embedding.tableA), w, tape.parameter(layer.bias))
        let projectedB = try tape.matmul(tape.parameter(embedding.tableB), w)
        guard let activation else { return try tape.gatherSum(projectedA, a, projectedB, b) }
        return try tape.gatherSum(projectedA, a, projectedB, b, then: activation.nonlinearity)
    }

    /// The logits of every fact for a batch of pairs (a[i], b[i]); with `hooks`, also
    /// every intermediate activation by hook point, in forward order. The indices are
    /// copied onto the tape, so the slices need not outlive the call.
    ///
    /// `patch` replaces activations as they are computed (activation patching): at every hook
    /// point it receives the point and the activation and returns the tensor the pass continues
    /// with (the same tensor to leave it alone), e.g. an SAE's reconstruction or a mean ablation.
    public func forward(
        _ tape: Tape, a: ArraySlice<Int32>, b: ArraySlice<Int32>, hooks: Bool = false,
        patch: ((HookPoint, Tensor) throws -> Tensor)? = nil
    ) throws -> ForwardPass {
        try a.withUnsafeBufferPointer { pa in
            try b.withUnsafeBufferPointer { pb in try forward(tape, a: pa, b: pb, hooks: hooks, patch: patch) }
        }
    }

    public func forward(_ tape: Tape, a: [Int32], b: [Int32], hooks: Bool = false) throws -> ForwardPass {
        try forward(tape, a: a[...], b: b[...], hooks: hooks)
    }

    func forward(
        _ tape: Tape, a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>,
        hooks: Bool = false, patch: ((HookPoint, Tensor) throws -> Tensor)? = nil
    ) throws -> ForwardPass {
        if let patch { return try patchedForward(tape, a: a, b: b, hooks: hooks, patch: patch) }
        var recorded: [(point: HookPoint, tensor: Tensor)] = []
        let factored = usesFactoredFirstLayer(batch: a.count)
        let needsEmbedding = hooks || !factored || spec.residual
        var x: Tensor? = needsEmbedding ? try embedding(tape, a: a, b: b) : nil
        if hooks, let x { recorded.append((.embed, x)) }
        for (l, block) in blocks.enumerated() {
            if l == 0 && factored && !hooks {  // no hook wants the pre-activation: fuse it away
                x = try block.finish(
                    tape, x,
                    activated: factoredLayer(
                        tape, block.input, a: a, b: b,
                        then: block.activation))
                continue
            }
            let pre =
                l == 0 && factored
                ? try factoredLayer(tape, block.input, a: a, b: b)
                : try block.input(tape, x!)
            let (_, post, out) = try block.finish(tape, x, preactivation: pre)
            if hooks {
                recorded.append((.pre(l), pre))
                recorded.append((.post(l), post))
                if block.isResidual { recorded.append((.residPost(l), out)) }
            }
            x = out
        }
        var logits: [Tensor] = []
        logits.reserveCapacity(readouts.count)
        for (f, readout) in readouts.enumerated() {
            let out = try readout(tape, x!)
            logits.append(out)
            if hooks { recorded.append((.logits(readouts.count == 1 ? nil : f), out)) }
        }
        return ForwardPass(logits: logits, hooks: recorded)
    }

}

extension ToyModel {
    /// The plain (unfactored) forward pass with `patch` applied at every hook point, in order.
    func patchedForward(
        _ tape: Tape, a: UnsafeBufferPointer<Int32>, b: UnsafeBufferPointer<Int32>, hooks: Bool,
        patch: (HookPoint, Tensor) throws -> Tensor
    ) throws -> ForwardPass {
        var recorded: [(point: HookPoint, tensor: Tensor)] = []
        func visit(_ point: HookPoint, _ t: Tensor) throws -> Tensor {
            let patched = try patch(point, t)
            if hooks { recorded.append((point, patched)) }
            return patched
        }
        var x = try visit(.embed, embedding(tape, a: a, b: b))
        for (l, block) in blocks.enumerated() {
            let pre = try visit(.pre(l), block.input(tape, x))
            let post = try visit(.post(l), block.activation(tape, pre))
            let out = try block.finish(tape, x, activated: post)
            x = block.isResidual ? try visit(.residPost(l), out) : out
        }
        var logits: [Tensor] = []
        for (f, readout) in readouts.enumerated() {
            logits.append(try visit(.logits(readouts.count == 1 ? nil : f), readout(tape, x)))
        }
        return ForwardPass(logits: logits, hooks: recorded)
    }
}

/// What one forward pass produced: logits per fact and, if asked, the
/// activations at every hook point.
public struct ForwardPass {
    public let logits: [Tensor]
    public let hooks: [(point: HookPoint, tensor: Tensor)]

    public func hook(_ point: HookPoint) -> Tensor? { hooks.first { $0.point == point }?.tensor }
}
