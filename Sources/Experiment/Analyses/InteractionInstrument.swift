import Analysis
import NN

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
            if let post {
                result.figures.append(
                    Chart.histogram(
                        name: "interaction_\(post.point.name)", title: "Interaction share, \(post.point.name)",
                        x: "‖I‖² / ‖T − μ‖² per neuron", values: post.interactionShares.compactMap { $0 }, low: 0,
                        high: 1))
            }
        }
        return result
    }
}
