import Analysis
import Foundation
import NN
import RunStore

/// Writes the measurements of the selected instruments to `analysis/`:
/// `summary.json`, `neurons.csv` and `tables.safetensors` (activation tables
/// [A·B, width] by hook name, kept in forward order while they fit in
/// `AnalysisSettings.tableBytes`; the rest are listed as omitted). Every key
/// and column of every registered instrument is present; those of instruments
/// that did not run are null or empty.
public enum AnalysisOutput {
    public typealias Measured = (instrument: any Instrument, measurement: Measurement)

    /// Writes `summary` (from `summary(_:context:)`), `neurons.csv` and `tables.safetensors`.
    static func write(
        _ measured: [Measured], summary: JSONValue, context: AnalysisContext, to directory: URL
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(summary, to: directory.appendingPathComponent("summary.json"))
        try AtomicFile.write(
            neuronsCSV(measured, model: context.model), to: directory.appendingPathComponent("neurons.csv"))
        let spec = context.model.spec
        let grid = context.gridIfComputed
        var tables = SafeTensors(metadata: [
            "layout": "each tensor is [A*B, width]: row a*B + b holds the hook's activations at (a, b)",
            "domain": "\(spec.vocabularyA)x\(spec.vocabularyB)",
            "omitted": (grid?.omittedTables ?? []).map(\.name).joined(separator: ","),
        ])
        for t in grid?.tables ?? [] {
            tables.add(t.point.name, floats: t.values, shape: [t.values.count / t.width, t.width])
        }
        try AtomicFile.write(tables.encoded(), to: directory.appendingPathComponent("tables.safetensors"))
        for (path, data) in measured.flatMap(\.measurement.files) {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(data, to: url)
        }
    }

    static func summary(_ measured: [Measured], context: AnalysisContext) throws -> JSONValue {
        let settings = context.settings
        let ran = Dictionary(uniqueKeysWithValues: measured.map { ($0.instrument.name, $0.measurement) })
        var top: [(key: String, value: JSONValue)] = []
        let hooks = try HookPass.hooks(of: context.model)
        top.append(
            (
                "hooks",
                .object(
                    hooks.map { hook in
                        var fields: [(key: String, value: JSONValue)] = [("width", .int(hook.width))]
                        for instrument in AnalysisRegistry.instruments {
                            let values = ran[instrument.name]?.hookValues[hook.point]
                            for (i, key) in instrument.hookKeys.enumerated() {
                                fields.append((key, values?[i] ?? .null))
                            }
                        }
                        return (hook.point.name, .object(fields))
                    })
            ))
        for instrument in AnalysisRegistry.instruments {
            guard let key = instrument.summaryKey else { continue }
            top.append((key, ran[instrument.name]?.summary ?? .null))
        }
        let grid = context.gridIfComputed
        top.append(
            (
                "tables",
                .object([
                    ("file", .string("tables.safetensors")), ("cap_bytes", .int(settings.tableBytes)),
                    ("hooks", .array((grid?.tables ?? []).map { .string($0.point.name) })),
                    ("omitted", .array((grid?.omittedTables ?? []).map { .string($0.name) })),
                ])
            ))
        top.append(
            (
                "samples",
                .object([
                    ("lookup_entities", .int(settings.lookupSample)),
                    ("covariance_cells", .int(settings.covarianceSample)),
                    ("probe_entities", .int(settings.probeSample)), ("probe_seeds", .int(settings.probeSeeds)),
                    ("hash_quadruples", .int(HashScore.quadruples)),
                ])
            ))
        return .object(top)
    }

    /// One row per neuron of every block: `layer`, `neuron`, then every instrument's columns.
    static func neuronsCSV(_ measured: [Measured], model: ToyModel) -> String {
        let ran = Dictionary(uniqueKeysWithValues: measured.map { ($0.instrument.name, $0.measurement) })
        let columns = ["layer", "neuron"] + AnalysisRegistry.instruments.flatMap(\.neuronColumns)
        var lines = [columns.joined(separator: ",")]
        for (l, block) in model.blocks.enumerated() {
            for j in 0..<block.hiddenWidth {
                var fields = ["\(l)", "\(j)"]
                for instrument in AnalysisRegistry.instruments where !instrument.neuronColumns.isEmpty {
                    let cells = ran[instrument.name]?.neuronCells[NeuronID(layer: l, neuron: j)]
                    fields += cells ?? Array(repeating: "", count: instrument.neuronColumns.count)
                }
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
