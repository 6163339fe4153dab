import Foundation
import NN
import Tasks

/// Memorisation capacity: bits memorised = Σ over trained
/// entities (and facts) of max(0, log₂ C + log₂ p(y | e)); per parameter
/// with and without the embedding tables; and the most a model could hold,
/// N_trained · F · log₂ C.
public struct Capacity: Sendable {
    public let bitsMemorised: Double
    public let bitsPerParameter: Double
    public let bitsPerNonEmbeddingParameter: Double
    public let maximumBits: Double

    public init(_ model: ToyModel, data: Dataset, threads: Int) throws {
        let scores = try Evaluation.scores(model, data, entities: data.trainIndices, threads: threads)
        bitsMemorised = scores.map(\.bits).reduce(0, +)
        bitsPerParameter = bitsMemorised / Double(model.parameterCount)
        bitsPerNonEmbeddingParameter =
            bitsMemorised / Double(max(1, model.parameterCount - model.embeddingParameterCount))
        maximumBits = Double(data.trainIndices.count * data.factCount) * log2(Double(data.spec.classes))
    }
}
