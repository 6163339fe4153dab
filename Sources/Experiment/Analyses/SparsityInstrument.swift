import Analysis
import Charts
import RunStore

/// Sparsity of every hook over the whole grid: `density` (fraction of
/// entity × neuron above 0), `dead_neurons` (never above 0), `hoyer` (mean over
/// entities of (√n − ‖v‖₁/‖v‖₂)/(√n − 1)) and `effective_dim` (tr(C)² / tr(C²)
/// of the activation covariance on a seeded sample of cells).
struct SparsityInstrument: Instrument {
    let name = "sparsity"
    let doc = "Density, dead neurons, Hoyer sparsity and effective dimensionality per hook."
    let needs: Set<InstrumentInput> = [.gridPass]
    let hookKeys = ["density", "dead_neurons", "hoyer", "effective_dim"]
    let neuronColumns = ["density", "dead"]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        var result = Measurement()
        let grid = context.grid
        for hook in grid.hooks {
            result.hookValues[hook.point] = [
                .double(hook.density), .int(hook.deadNeurons), jsonNumber(hook.hoyer),
                jsonNumber(hook.effectiveDimension),
            ]
        }
        for (l, block) in context.model.blocks.enumerated() {
            guard let post = grid.hook(.post(l)) else { continue }
            for j in 0..<block.hiddenWidth {
                result.neuronCells[NeuronID(layer: l, neuron: j)] = [
                    csvCell(post.neuronDensity[j]), post.dead[j] ? "true" : "false",
                ]
            }
        }
        return result
    }
}
