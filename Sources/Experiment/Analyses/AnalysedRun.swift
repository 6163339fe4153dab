import Foundation
import NN
import RunStore
import Tasks

/// What an instrument's report figures are drawn from: the analysis files of
/// a run directory (`analysis/summary.json`, `analysis/neurons.csv`) and, on
/// demand, its trained model. Reports read only run directories, so a report
/// can be redrawn at any time from what is on disk.
///
/// ```swift
/// let run = try AnalysedRun(directory)
/// let figures = try AnalysisRegistry.instruments.flatMap { try $0.figures(run, threads: 1) }
/// ```
public final class AnalysedRun {
    public let directory: RunDirectory
    public let summary: JSONValue
    /// Rows of `neurons.csv`, by column name.
    public let neurons: [[String: String]]
    private var loaded: LoadedRun?

    /// nil when the run has not been analysed.
    public init?(_ directory: RunDirectory) throws {
        let file = directory.file("analysis/summary.json")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        self.directory = directory
        do {
            summary = try JSONParser.parse(String(contentsOf: file, encoding: .utf8))
            let csv = try String(contentsOf: directory.file("analysis/neurons.csv"), encoding: .utf8)
            let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            let header = lines.first?.map(String.init) ?? []
            neurons = lines.dropFirst().map { row in
                Dictionary(zip(header, row.map(String.init)), uniquingKeysWith: { first, _ in first })
            }
        } catch {
            throw InputError("\(directory.url.path)/analysis: summary.json or neurons.csv is missing or damaged")
        }
    }

    /// The run's trained model, read from `model.safetensors` once.
    public func model() throws -> ToyModel {
        if let loaded { return loaded.model }
        let run = try LoadedRun(directory, requireCompleted: false)
        loaded = run
        return run.model
    }

    /// The run's dataset (entities, labels, split), generated once from its config.
    public func dataset() throws -> Dataset {
        if loaded == nil { _ = try model() }
        return loaded!.data
    }

    /// A numeric column of `neurons.csv` per (layer, neuron); empty cells are left out.
    public func neuronColumn(_ name: String) -> [(id: NeuronID, value: Double)] {
        neurons.compactMap { row in
            guard let layer = row["layer"].flatMap(Int.init), let neuron = row["neuron"].flatMap(Int.init),
                let value = row[name].flatMap(Double.init)
            else { return nil }
            return (NeuronID(layer: layer, neuron: neuron), value)
        }
    }
}
