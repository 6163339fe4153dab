import Analysis
import RunStore

/// Rule-of-thumb tasks only: held-out accuracy of rule-following entities by the number of trained
/// exceptions that share their row or column, and the extra error per such exception
/// (`ExceptionNeighbours`). Null for other tasks.
struct ExceptionsInstrument: Instrument {
    let name = "exceptions"
    let doc = "Rule of thumb: held-out error of rule-followers against the trained exceptions in their row and column."
    let needs: Set<InstrumentInput> = []
    let summaryKey: String? = "exceptions"
    let headlines = [
        Headline("exception_error_slope", inComparison: true) { $0["exceptions"]?["error_slope"] }
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        guard let x = try ExceptionNeighbours(context.model, data: context.data, threads: context.settings.threads)
        else { return Measurement(summary: .null) }
        return Measurement(
            summary: .object([
                ("heldout_rule_followers", .int(x.entities)),
                ("error_slope", jsonNumber(x.errorSlope)), ("error_slope_se", jsonNumber(x.errorSlopeSE)),
                (
                    "by_exceptions",
                    .array(
                        x.bins.map {
                            .object([
                                ("exceptions", .int($0.exceptions)), ("entities", .int($0.entities)),
                                ("accuracy", .double($0.accuracy)),
                            ])
                        })
                ),
            ]))
    }
}
