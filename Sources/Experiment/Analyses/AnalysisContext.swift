import Analysis
import NN
import RunStore
import Tasks

/// What an instrument measures: the model, its task's data, the settings, and
/// the shared inputs that the selected instruments declared in `needs`, each
/// computed once.
public final class AnalysisContext {
    public let model: ToyModel
    public let data: Dataset
    public let settings: AnalysisSettings
    /// The run's config, for instruments that train models of their own (nil when measuring a bare model).
    public let config: ExperimentConfig?
    private let gridStatistics: GridStatistics?
    private let trainedSample: TrainedSample?

    init(
        model: ToyModel, data: Dataset, settings: AnalysisSettings, config: ExperimentConfig?,
        inputs: Set<InstrumentInput>
    ) throws {
        self.model = model
        self.data = data
        self.settings = settings
        self.config = config
        gridStatistics = inputs.contains(.gridPass) ? try GridStatistics(model, settings: settings) : nil
        trainedSample = inputs.contains(.trainedSample) ? try TrainedSample(model, data: data, settings: settings) : nil
    }

    /// The streamed grid pass; only for instruments that declared `.gridPass`.
    public var grid: GridStatistics {
        guard let gridStatistics else { preconditionFailure("an instrument read the grid pass without declaring it") }
        return gridStatistics
    }

    /// The trained-entity sample; only for instruments that declared `.trainedSample`.
    public var sample: TrainedSample {
        guard let trainedSample else {
            preconditionFailure("an instrument read the trained sample without declaring it")
        }
        return trainedSample
    }

    /// The grid pass, when one was made (for the activation tables).
    var gridIfComputed: GridStatistics? { gridStatistics }
}
