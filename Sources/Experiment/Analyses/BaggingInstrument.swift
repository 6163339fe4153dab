import Analysis
import Charts
import RunStore

/// The bagging picture (`BaggingPicture`) of the last block on the sampled trained
/// entities: each neuron as a weak classifier voting with the sign of its margin
/// contribution, the correlation of their errors, and the accuracy of the top-k
/// neurons (their summed readout, their majority vote, and the vote of independent
/// neurons with the same accuracies). Its verdict: a bag of weak classifiers when
/// the median neuron votes right more often than chance by three standard errors
/// (0.5 + 3·√(1/4 / (n·v)) for n entities and the median vote rate v), the median
/// error correlation is below 0.1 in size, and the majority vote of all neurons is
/// within 0.05 of the independent one. On 20,000 sampled entities the sampling error
/// of the last two is below 0.01, so those thresholds are about effect size, not noise.
struct BaggingInstrument: Instrument {
    let name = "bagging"
    let doc = "The last block's neurons as a bag of weak classifiers: vote accuracy, error correlation, top-k curves."
    let needs: Set<InstrumentInput> = [.trainedSample]
    let summaryKey: String? = "bagging"
    let neuronColumns = ["vote_rate", "vote_accuracy"]
    let headlines = [
        Headline("bagging_vote_accuracy_median") { $0["bagging"]?["vote_accuracy_median"] },
        Headline("bagging_error_correlation_median", inComparison: true) {
            $0["bagging"]?["error_correlation"]?["median"]
        },
        Headline("bagging_verdict", inComparison: true) { $0["bagging"]?["verdict"]?["bag_of_weak_classifiers"] },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        guard let (layer, bag, sumAccuracy) = context.sample.bagging() else { return Measurement() }
        let accuracies = bag.voteAccuracy.compactMap { $0 }
        let correlations = bag.errorCorrelations.sorted()
        let medianAccuracy = median(accuracies), medianCorrelation = median(correlations)
        // Above chance by three standard errors of one neuron's vote accuracy (n · v votes).
        let votes = Double(bag.entities) * (median(bag.voteRate) ?? 0)
        let weak = votes > 0 && (medianAccuracy ?? 0) > 0.5 + 3 * (0.25 / votes).squareRoot()
        let uncorrelated = abs(medianCorrelation ?? 0) < 0.1
        let gap = (bag.voteCurve.last ?? 0) - (bag.independentCurve.last ?? 0)
        let matches = abs(gap) < 0.05
        func quantile(_ q: Double) -> JSONValue {
            correlations.isEmpty ? .null : .double(correlations[Int(q * Double(correlations.count - 1))])
        }
        let aboveChance: JSONValue =
            accuracies.isEmpty
            ? .null : .double(Double(accuracies.filter { $0 > 0.5 }.count) / Double(accuracies.count))
        let meanCorrelation: JSONValue =
            correlations.isEmpty ? .null : .double(correlations.reduce(0, +) / Double(correlations.count))
        let correlation: JSONValue = .object([
            ("neurons", .int(min(bag.neurons, BaggingPicture.correlatedNeurons))), ("pairs", .int(correlations.count)),
            ("mean", meanCorrelation), ("median", jsonNumber(medianCorrelation)), ("p10", quantile(0.1)),
            ("p90", quantile(0.9)),
        ])
        let verdict: JSONValue = .object([
            ("bag_of_weak_classifiers", .bool(weak && uncorrelated && matches)), ("weak_classifiers", .bool(weak)),
            ("uncorrelated_errors", .bool(uncorrelated)), ("matches_independent", .bool(matches)),
            ("vote_minus_independent", .double(gap)),
        ])
        var summary: [(key: String, value: JSONValue)] = [
            ("layer", .int(layer)), ("neurons", .int(bag.neurons)), ("entities", .int(bag.entities)),
        ]
        summary.append(("vote_rate_median", jsonNumber(median(bag.voteRate))))
        summary.append(("vote_accuracy_median", jsonNumber(medianAccuracy)))
        summary.append(("vote_accuracy_above_chance_fraction", aboveChance))
        summary.append(("error_correlation", correlation))
        summary.append(("kept", .array(bag.kept.map(JSONValue.int))))
        summary.append(("sum_accuracy", .array(sumAccuracy.map(JSONValue.double))))
        summary.append(("vote_accuracy", .array(bag.voteCurve.map(JSONValue.double))))
        summary.append(("independent_vote_accuracy", .array(bag.independentCurve.map(JSONValue.double))))
        summary.append(("verdict", verdict))
        var result = Measurement(summary: .object(summary))
        for j in 0..<bag.neurons {
            result.neuronCells[NeuronID(layer: layer, neuron: j)] = [
                csvCell(bag.voteRate[j]), csvCell(bag.voteAccuracy[j]),
            ]
        }
        return result
    }

    /// Accuracy of the top k neurons against k: summed readout, majority vote, independent vote.
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let b = run.summary["bagging"]
        guard let layer = b?["layer"]?.intValue, let kept = b?["kept"]?.arrayValue?.compactMap(\.doubleValue)
        else { return [] }
        func series(_ key: String, _ name: String, dashed: Bool = false) -> Series {
            let ys = b?[key]?.arrayValue?.compactMap(\.doubleValue) ?? []
            return Series(name: name, points: zip(kept, ys).map { ($0, $1) }, dashed: dashed)
        }
        return [
            Chart.line(
                name: "bagging", title: "Top-k neurons of block \(layer) as classifiers", x: "neurons kept (k)",
                y: "accuracy on trained entities",
                series: [
                    series("sum_accuracy", "summed readout"), series("vote_accuracy", "majority vote"),
                    series("independent_vote_accuracy", "independent neurons (exact)", dashed: true),
                ], logX: true, yBounds: 0...1)
        ]
    }
}
