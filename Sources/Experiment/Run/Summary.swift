import Analysis
import NN
import RunStore
import Tasks

/// The final scalars of a run (`summary.json`). For multi-fact tasks each
/// fact has its own entry under `facts`; the top-level accuracies, losses
/// and base rate are means over facts, while `bits_memorised` is the total
/// (bits of different facts add up).
struct Summary {
    let train: [FactScores]
    let heldout: [FactScores]
    let baseRates: [Double?]
    let parameters: Int
    let embeddingParameters: Int
    let steps: Int
    let memorisedAtStep: Int?
    let wallSeconds: Double

    var json: JSONValue {
        func mean(_ xs: [Double]) -> JSONValue { xs.isEmpty ? .null : .double(xs.reduce(0, +) / Double(xs.count)) }
        func optionalMean(_ xs: [Double?]) -> JSONValue {
            xs.contains { $0 == nil } ? .null : mean(xs.compactMap { $0 })
        }
        let bits = train.map(\.bits).reduce(0, +)
        var pairs: [(key: String, value: JSONValue)] = [
            ("train_accuracy", mean(train.map(\.accuracy))),
            ("heldout_accuracy", mean(heldout.map(\.accuracy))),
            ("base_rate", optionalMean(baseRates)),
            ("train_loss", mean(train.map(\.loss))),
            ("heldout_loss", mean(heldout.map(\.loss))),
            ("params", .int(parameters)),
            ("embedding_params", .int(embeddingParameters)),
            ("bits_memorised", .double(bits)),
            ("bits_per_param", .double(bits / Double(parameters))),
            ("bits_per_non_embedding_param", .double(bits / Double(max(1, parameters - embeddingParameters)))),
            ("train_entities", .int(train.first?.count ?? 0)),
            ("heldout_entities", .int(heldout.first?.count ?? 0)),
            ("steps", .int(steps)),
            ("memorised_at_step", memorisedAtStep.map(JSONValue.int) ?? .null),
            ("wall_seconds", .double(wallSeconds)),
        ]
        if train.count > 1 {
            pairs.append(
                (
                    "facts",
                    .array(
                        train.indices.map { f in
                            .object([
                                ("train_accuracy", .double(train[f].accuracy)),
                                ("heldout_accuracy", heldout.isEmpty ? .null : .double(heldout[f].accuracy)),
                                ("base_rate", baseRates[f].map(JSONValue.double) ?? .null),
                                ("train_loss", .double(train[f].loss)),
                                ("heldout_loss", heldout.isEmpty ? .null : .double(heldout[f].loss)),
                                ("bits_memorised", .double(train[f].bits)),
                            ])
                        })
                ))
        }
        return .object(pairs)
    }

    /// One line of `metrics.jsonl`: flat keys, so `pandas.read_json(..., lines=True)` gives one column each.
    static func metricsLine(
        step: Int, train: [FactScores], heldout: [FactScores], seconds: Double,
        groups: [(key: String, value: JSONValue)] = []
    ) -> JSONValue {
        func mean(_ xs: [Double]) -> JSONValue { xs.isEmpty ? .null : .double(xs.reduce(0, +) / Double(xs.count)) }
        var pairs: [(key: String, value: JSONValue)] =
            [
                ("step", .int(step)),
                ("train_loss", mean(train.map(\.loss))),
                ("train_accuracy", mean(train.map(\.accuracy))),
                ("heldout_loss", mean(heldout.map(\.loss))),
                ("heldout_accuracy", mean(heldout.map(\.accuracy))),
                ("bits_memorised", .double(train.map(\.bits).reduce(0, +))),
                ("wall_seconds", .double(seconds)),
            ] + groups
        if train.count > 1 {
            for f in train.indices {
                pairs.append(("fact\(f)_train_accuracy", .double(train[f].accuracy)))
                pairs.append(("fact\(f)_heldout_accuracy", heldout.isEmpty ? .null : .double(heldout[f].accuracy)))
            }
        }
        return .object(pairs)
    }
}
