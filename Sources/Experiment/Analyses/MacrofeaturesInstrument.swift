import Analysis
import RunStore

/// The share of the logits' variance over trained entities that the task's macrofeatures explain
/// linearly (`MacrofeatureShare`): with the rule and row and column effects, with the rule alone,
/// and with rows and columns alone.
struct MacrofeaturesInstrument: Instrument {
    let name = "macrofeatures"
    let doc = "Share of the logits' variance over trained entities explained by the rule and row/column effects."
    let needs: Set<InstrumentInput> = []
    let summaryKey: String? = "macrofeatures"
    let headlines = [
        Headline("macrofeature_share", inComparison: true) { $0["macrofeatures"]?["share"] },
        Headline("macrofeature_rule_share") { $0["macrofeatures"]?["rule_share"] },
        Headline("macrofeature_token_share") { $0["macrofeatures"]?["token_share"] },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        let m = try MacrofeatureShare(context.model, data: context.data, threads: context.settings.threads)
        return Measurement(
            summary: .object([
                ("share", .double(m.share)), ("rule_share", m.ruleShare.map(JSONValue.double) ?? .null),
                ("token_share", .double(m.tokenShare)),
            ]))
    }
}
