import Foundation
import Analysis
import Charts
import NN
import RunStore

/// One analysis toymem can run, declared once. Its name is what configs'
/// `analyses` and `toymem analyze --only` accept; `AnalysisRegistry` lists every
/// instrument, and the schema, the CLI, `analysis/summary.json`,
/// `analysis/neurons.csv`, reports, `index.csv` and `toymem compare` all read
/// what they need from here.
///
/// A minimal instrument, writing one number into `analysis/summary.json`:
///
/// ```swift
/// struct ParameterCountInstrument: Instrument {
///     let name = "parameters"
///     let doc = "Number of trainable parameters."
///     let needs: Set<InstrumentInput> = []
///     let summaryKey: String? = "parameters"
///     func measure(_ context: AnalysisContext) throws -> Measurement {
///         Measurement(summary: .int(context.model.parameterCount))
///     }
/// }
/// ```
public protocol Instrument: Sendable {
    /// The name in configs and on the command line.
    var name: String { get }
    /// One line for `--help`, the schema and the docs.
    var doc: String { get }
    /// Shared inputs it reads from the context; each is computed once per analysis.
    var needs: Set<InstrumentInput> { get }
    /// Keys it fills in every `hooks.<hook>` object of `analysis/summary.json` (null when not run).
    var hookKeys: [String] { get }
    /// Its top-level key in `analysis/summary.json` (null when not run), if any.
    var summaryKey: String? { get }
    /// Its columns of `analysis/neurons.csv` (empty cells when not run).
    var neuronColumns: [String] { get }
    /// Its headline columns in a sweep's `index.csv`, read from `analysis/summary.json`.
    var headlines: [Headline] { get }
    /// Its columns in `toymem compare`, given every compared run's `analysis/summary.json`.
    func comparisonColumns(_ analyses: [JSONValue]) -> [Headline]
    /// Runs the analysis.
    func measure(_ context: AnalysisContext) throws -> Measurement
    /// Its figures in the run's report, drawn from the analysed run directory.
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure]
    /// Whether `"all"` selects it (false for instruments that train models of their own).
    var inAll: Bool { get }
}

extension Instrument {
    public var hookKeys: [String] { [] }
    public var summaryKey: String? { nil }
    public var neuronColumns: [String] { [] }
    public var headlines: [Headline] { [] }
    public func comparisonColumns(_ analyses: [JSONValue]) -> [Headline] { headlines.filter(\.inComparison) }
    public func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] { [] }
    public var inAll: Bool { true }
}

/// Inputs that several instruments share, computed once before any of them runs.
public enum InstrumentInput: Sendable, Hashable {
    /// One streamed pass over the whole grid (`GridStatistics`).
    case gridPass
    /// A sample of trained entities with their direct-path activations (`TrainedSample`).
    case trainedSample
}

/// What one instrument measured, in the shapes the output files take.
public struct Measurement {
    /// Values for the instrument's `hookKeys`, in that order, by hook.
    public var hookValues: [HookPoint: [JSONValue]] = [:]
    /// Its top-level entry in `analysis/summary.json`.
    public var summary: JSONValue = .null
    /// Cells for its `neuronColumns`, by (layer, neuron).
    public var neuronCells: [NeuronID: [String]] = [:]
    /// Further files, by path inside `analysis/` (e.g. `sae/<hook>/cfg.json`).
    public var files: [(path: String, data: Data)] = []

    public init(
        hookValues: [HookPoint: [JSONValue]] = [:], summary: JSONValue = .null,
        neuronCells: [NeuronID: [String]] = [:]
    ) {
        self.hookValues = hookValues
        self.summary = summary
        self.neuronCells = neuronCells
    }
}

/// A neuron of a block: one row of `analysis/neurons.csv`.
public struct NeuronID: Hashable, Sendable {
    public let layer: Int
    public let neuron: Int

    public init(layer: Int, neuron: Int) {
        self.layer = layer
        self.neuron = neuron
    }
}

/// One column of a sweep's `index.csv` (and, if `inComparison`, of `toymem compare`),
/// read from a run's `analysis/summary.json`.
public struct Headline: Sendable {
    public let column: String
    public let inComparison: Bool
    public let read: @Sendable (JSONValue) -> JSONValue?

    public init(_ column: String, inComparison: Bool = false, read: @escaping @Sendable (JSONValue) -> JSONValue?) {
        self.column = column
        self.inComparison = inComparison
        self.read = read
    }
}

/// The number as JSON, or null.
func jsonNumber(_ x: Double?) -> JSONValue { x.map(JSONValue.double) ?? .null }

/// The cell text of an optional number in `neurons.csv`.
func csvCell(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
