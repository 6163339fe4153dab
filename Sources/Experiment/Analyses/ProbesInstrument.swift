import Analysis
import Charts
import NN
import RunStore

/// Linear probes (`ProbeSuite`) for the labels, the rule and irrelevant
/// macrofeatures at `hook_embed`, every `hook_post` and (residual models) every
/// `hook_resid_post`, fit on trained entities and tested on other trained
/// entities and on held-out ones, over several seeds.
struct ProbesInstrument: Instrument {
    let name = "probes"
    let doc = "Linear probes for labels, rule and irrelevant features at each hook, trained and held-out."
    let needs: Set<InstrumentInput> = []
    let summaryKey: String? = "probes"
    let headlines = [
        Headline("probe_label_heldout") { Self.lastHeldoutLabelProbe($0)?["accuracy"] },
        Headline("probe_label_heldout_base_rate") { Self.lastHeldoutLabelProbe($0)?["base_rate"] },
    ]

    /// The held-out label probe of the last `hook_post`.
    static func lastHeldoutLabelProbe(_ analysis: JSONValue) -> JSONValue? {
        heldoutLabelProbes(analysis).last {
            if case .post? = $0["hook"]?.stringValue.flatMap(HookPoint.init(name:)) { return true }
            return false
        }
    }

    static func heldoutLabelProbes(_ analysis: JSONValue) -> [JSONValue] {
        guard case let .array(probes)? = analysis["probes"] else { return [] }
        return probes.filter { $0["feature"] == .string("label") && $0["regime"] == .string("heldout") }
    }

    /// Hooks with a held-out label probe in any of `analyses`, in first-seen order.
    static func probedHooks(_ analyses: [JSONValue]) -> [String] {
        analyses.flatMap(heldoutLabelProbes).compactMap { $0["hook"]?.stringValue }.uniqued()
    }

    /// One column per probed hook: `probe_label_heldout@<hook>`.
    func comparisonColumns(_ analyses: [JSONValue]) -> [Headline] {
        Self.probedHooks(analyses).map { hook in
            Headline("probe_label_heldout@\(hook)", inComparison: true) { analysis in
                Self.heldoutLabelProbes(analysis).first { $0["hook"] == .string(hook) }?["accuracy"]
            }
        }
    }

    func measure(_ context: AnalysisContext) throws -> Measurement {
        let probes = try ProbeSuite.run(context.model, data: context.data, settings: context.settings)
        let summary = JSONValue.array(
            probes.map { p in
                .object([
                    ("hook", .string(p.hook.name)), ("feature", .string(p.feature)), ("regime", .string(p.regime)),
                    ("accuracy", .double(p.accuracy)), ("accuracy_std", .double(p.accuracyStd)),
                    ("base_rate", .double(p.baseRate)), ("seeds", .int(context.settings.probeSeeds)),
                ])
            })
        return Measurement(summary: summary)
    }

    /// Accuracy of every probe per hook, beside the label's base rate.
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let probes = (run.summary["probes"]?.arrayValue ?? []).compactMap { p -> ProbeResult? in
            guard let hook = p["hook"]?.stringValue.flatMap(HookPoint.init(name:)),
                let feature = p["feature"]?.stringValue, let regime = p["regime"]?.stringValue,
                let accuracy = p["accuracy"]?.doubleValue, let base = p["base_rate"]?.doubleValue
            else { return nil }
            return ProbeResult(
                hook: hook, feature: feature, regime: regime, accuracy: accuracy,
                accuracyStd: p["accuracy_std"]?.doubleValue ?? 0, baseRate: base)
        }
        let hooks = probes.map(\.hook.name).uniqued()
        guard !hooks.isEmpty else { return [] }
        var series: [Series] = []
        for key in probes.map({ "\($0.feature) (\($0.regime))" }).uniqued() {
            let points = probes.filter { "\($0.feature) (\($0.regime))" == key }
                .compactMap { p in hooks.firstIndex(of: p.hook.name).map { (Double($0), p.accuracy) } }
            let spreads = probes.filter { "\($0.feature) (\($0.regime))" == key }
                .compactMap { p in
                    hooks.firstIndex(of: p.hook.name).map {
                        (Double($0), p.accuracy - p.accuracyStd, p.accuracy + p.accuracyStd)
                    }
                }
            series.append(Series(name: key, points: points, spread: spreads))
        }
        let base = probes.filter { $0.feature == "label" && $0.regime == "heldout" }
            .compactMap { p in hooks.firstIndex(of: p.hook.name).map { (Double($0), p.baseRate) } }
        if !base.isEmpty { series.append(Series(name: "label base rate", points: base, dashed: true)) }
        return [
            Chart.points(
                name: "probes", title: "Linear probe accuracy per hook", x: "hook",
                y: "accuracy (fraction of test entities)", series: series, categories: hooks, yBounds: 0...1,
                spreadMeaning: "error bars: mean ± sd over probe seeds")
        ]
    }
}
