import Analysis
import Charts
import NN
import RunStore

/// The two-way decomposition of every neuron's lookup table over the grid,
/// T = μ + r_a + c_b + I_ab: `interaction_share_median` is the median over
/// neurons of ‖I‖² / ‖T − μ‖² (constant neurons skipped), `a_share_median` that
/// of B‖r‖² / ‖T − μ‖².
struct InteractionInstrument: Instrument {
    let name = "interaction"
    let doc = "Interaction (AND) share of every neuron's lookup table, per hook."
    let needs: Set<InstrumentInput> = [.gridPass]
    let hookKeys = ["interaction_share_median", "a_share_median"]
    let neuronColumns = ["interaction_share_pre", "interaction_share_post", "a_share_post"]
    let headlines = [
        Headline("interaction_share_pre0", inComparison: true) {
            $0["hooks"]?[HookPoint.pre(0).name]?["interaction_share_median"]
        },
        Headline("interaction_share_post0", inComparison: true) {
            $0["hooks"]?[HookPoint.post(0).name]?["interaction_share_median"]
        },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        var result = Measurement()
        let grid = context.grid
        for hook in grid.hooks {
            result.hookValues[hook.point] = [
                jsonNumber(median(hook.interactionShares.compactMap { $0 })),
                jsonNumber(median(hook.aShares.compactMap { $0 })),
            ]
        }
        for (l, block) in context.model.blocks.enumerated() {
            let pre = grid.hook(.pre(l)), post = grid.hook(.post(l))
            for j in 0..<block.hiddenWidth {
                result.neuronCells[NeuronID(layer: l, neuron: j)] = [
                    csvCell(pre?.interactionShares[j]), csvCell(post?.interactionShares[j]), csvCell(post?.aShares[j]),
                ]
            }
        }
        return result
    }

    /// The distribution of interaction shares of each block's neurons (after the activation).
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let shares = run.neuronColumn("interaction_share_post")
        return Array(Set(shares.map(\.id.layer))).sorted().map { layer in
            let point = HookPoint.post(layer)
            return Chart.histogram(
                name: "interaction_\(point.name)", title: "Interaction share, \(point.name)",
                x: "‖I‖² / ‖T − μ‖² per neuron", values: shares.filter { $0.id.layer == layer }.map(\.value),
                low: 0, high: 1)
        }
    }
}
