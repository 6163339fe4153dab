/// Sizes of a model derived from its spec alone, before anything is allocated: the parameters'
/// names and stored shapes, and the multiply-adds of a forward pass. Counts are Doubles so that
/// an absurd spec (hidden [10¹⁵]) gives a huge number rather than an overflow.
extension ModelSpec {
    /// Every parameter `ToyModel` creates, in its order, with the shape `model.safetensors` stores
    /// (weights [inputs, outputs], biases [outputs]).
    public var parameterLayout: [(name: String, shape: [Int])] {
        var layout: [(name: String, shape: [Int])] = [
            ("embed.W_a", [vocabularyA, embedding]), ("embed.W_b", [vocabularyB, embedding]),
        ]
        var width = embeddingWidth
        for (l, h) in hidden.enumerated() {
            let prefix = "blocks.\(l).mlp."
            layout += [(prefix + "W_in", [width, h]), (prefix + "b_in", [h])]
            if residual { layout += [(prefix + "W_out", [h, width]), (prefix + "b_out", [width])] } else { width = h }
        }
        for (f, c) in classes.enumerated() {
            let prefix = classes.count == 1 ? "unembed." : "unembed.\(f)."
            layout += [(prefix + "W_U", [width, c]), (prefix + "b_U", [c])]
        }
        return layout
    }

    /// Width of the combined embedding: d for sum, 2d for concat.
    public var embeddingWidth: Int { combine == .sum ? embedding : 2 * embedding }

    /// Scalar parameters in the embedding tables, the hidden blocks and the readouts.
    public var parameterCounts: (embedding: Double, blocks: Double, readouts: Double) {
        var counts = (embedding: 0.0, blocks: 0.0, readouts: 0.0)
        for (name, shape) in parameterLayout {
            let n = shape.reduce(1.0) { $0 * Double($1) }
            if name.hasPrefix("embed.") {
                counts.embedding += n
            } else if name.hasPrefix("blocks.") {
                counts.blocks += n
            } else {
                counts.readouts += n
            }
        }
        return counts
    }

    /// Whether the first layer's pre-activation is computed from the tables:
    /// with summed embeddings, (W_a[a] + W_b[b])·W_in + b_in =
    /// (W_a·W_in + b_in)[a] + (W_b·W_in)[b], which costs (A + B) rows of
    /// matrix product instead of one per example. Same function, fewer FLOPs
    /// whenever the batch is larger than A + B.
    public func usesFactoredFirstLayer(batch: Double) -> Bool {
        combine == .sum && !hidden.isEmpty && batch > Double(vocabularyA) + Double(vocabularyB)
    }

    /// Multiply-adds of the matrix products that `forward` runs for a batch
    /// of `batch` pairs (backward runs twice as many). The factored first
    /// layer costs (A + B) rows whatever the batch.
    public func forwardMultiplyAdds(batch: Double) -> Double {
        var width = Double(embeddingWidth), total = 0.0
        for (l, h) in hidden.map(Double.init).enumerated() {
            let factored = l == 0 && usesFactoredFirstLayer(batch: batch)
            total += (factored ? Double(vocabularyA) + Double(vocabularyB) : batch) * width * h
            if residual { total += batch * h * width } else { width = h }
        }
        return total + batch * width * Double(classes.reduce(0, +))
    }
}

extension ModelSpec {
    /// Every hook point of the model, in forward order (what `forward(…, hooks: true)` records).
    public var hookPoints: [HookPoint] {
        var points: [HookPoint] = [.embed]
        for l in hidden.indices { points += [.pre(l), .post(l)] + (residual ? [.residPost(l)] : []) }
        return points + classes.indices.map { .logits(classes.count == 1 ? nil : $0) }
    }

    /// The width of the activations at `point`.
    public func width(of point: HookPoint) -> Int {
        switch point {
        case .embed, .residPost: return embeddingWidth
        case let .pre(l), let .post(l): return hidden[l]
        case let .logits(f): return classes[f ?? 0]
        }
    }
}
