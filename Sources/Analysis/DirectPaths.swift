import NN

/// The direct paths from neurons to the logits of one fact.
///
/// Plain model: only the last block's neurons reach the readout, neuron j
/// adding T_j·W_U[j, :]. Residual model: every block's neuron j adds
/// T_j·(W_out[j, :]·W_U), and the embedding adds x₀·W_U. Biases add a constant.
/// So logits = constant + Σ_components T_c·u_c exactly (up to float rounding).
public struct DirectPaths {
    /// One component: a neuron (layer, index) and its direction u in logit space.
    public struct Component {
        public let layer: Int
        public let neuron: Int
        public let direction: [Double]
    }

    public let classes: Int
    public let components: [Component]
    /// The constant part of the logits: b_U (+ Σ_l b_out_l·W_U for residual models).
    public let constant: [Double]
    /// W_U as [width, classes] for the embedding path of residual models, else nil.
    public let embeddingReadout: [Double]?
    public let embeddingWidth: Int

    public init(_ model: ToyModel, fact: Int = 0) {
        let readout = model.readouts[fact]
        let c = readout.weight.cols, d = readout.weight.rows
        classes = c
        let wU = readout.weight.values.map(Double.init)
        var constant = readout.bias.values.map(Double.init)
        var components: [Component] = []
        if model.spec.residual {
            for (l, block) in model.blocks.enumerated() {
                let wOut = block.output!.weight.values.map(Double.init), h = block.hiddenWidth
                let bOut = block.output!.bias.values.map(Double.init)
                for k in 0..<c { for i in 0..<d { constant[k] += bOut[i] * wU[i * c + k] } }
                for j in 0..<h {
                    var u = [Double](repeating: 0, count: c)
                    for i in 0..<d { for k in 0..<c { u[k] += wOut[j * d + i] * wU[i * c + k] } }
                    components.append(Component(layer: l, neuron: j, direction: u))
                }
            }
            embeddingReadout = wU
        } else {
            let last = model.blocks.count - 1
            for j in 0..<d {
                components.append(Component(layer: last, neuron: j, direction: Array(wU[(j * c)..<(j * c + c)])))
            }
            embeddingReadout = nil
        }
        embeddingWidth = d
        self.components = components
        self.constant = constant
    }

    /// u[y] − mean_{c ≠ y} u[c]: a direction's contribution to the margin of class y, per unit activation.
    public static func margin(_ u: [Double], label y: Int) -> Double {
        let others = (u.reduce(0, +) - u[y]) / Double(u.count - 1)
        return u[y] - others
    }
}
