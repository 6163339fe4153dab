import NN
import Randomness
import Tasks

/// Linear probes for every feature at the probed hooks, in two regimes
/// over several seeds:
///
/// - `trained`: fit and test on disjoint sets of entities the model was
///   trained on — is the feature linearly represented?
/// - `heldout`: fit on trained entities, test on held-out ones — does the
///   representation generalise?
///
/// Features: `label` (and `label_f` for further facts), `rule` (the task's
/// rule, for rule_of_thumb and generalising tasks), and two irrelevant
/// macrofeatures, `a_mod_2` and `b_mod_2`. Probed hooks: `hook_embed`, every
/// `hook_post` and, in residual models, every `hook_resid_post`.
public enum ProbeSuite {
    public static func probedHooks(_ model: ToyModel) -> [HookPoint] {
        var points = [HookPoint.embed]
        for l in model.blocks.indices {
            points.append(.post(l))
            if model.spec.residual { points.append(.residPost(l)) }
        }
        return points
    }

    public static func features(_ data: Dataset) -> [(name: String, values: [Int32], classes: Int)] {
        var out: [(String, [Int32], Int)] = [("label", data.labels[0], data.spec.classes)]
        for f in 1..<max(1, data.factCount) { out.append(("label_\(f)", data.labels[f], data.spec.classes)) }
        if let rule = data.ruleFeature { out.append(("rule", rule, data.spec.classes)) }
        out.append(("a_mod_2", data.a.map { $0 % 2 }, 2))
        out.append(("b_mod_2", data.b.map { $0 % 2 }, 2))
        return out
    }

    public static func run(_ model: ToyModel, data: Dataset, settings: AnalysisSettings) throws -> [ProbeResult] {
        let hookNames = probedHooks(model), features = features(data)
        let heldoutAll = data.heldoutIndices
        // results[hook][feature][regime] = accuracies over seeds, base rates over seeds
        var accuracies: [String: [Double]] = [:], baseRates: [String: [Double]] = [:]
        for seed in 0..<settings.probeSeeds {
            var rng = SeededGenerator(seed: settings.seed).split(salt: 60 + UInt64(seed))
            let trained = data.trainIndices.shuffled(using: &rng)
            let half = min(settings.probeSample, trained.count / 2)
            let fit = Array(trained[0..<half]), testTrained = Array(trained[half..<min(trained.count, 2 * half)])
            let testHeldout = Array(heldoutAll.shuffled(using: &rng).prefix(settings.probeSample))
            let entities = fit + testTrained + testHeldout
            var activations: [HookPoint: [Float]] = [:]
            var widths: [HookPoint: Int] = [:]
            try HookPass.run(
                model, a: entities.map { data.a[$0] }, b: entities.map { data.b[$0] }, threads: settings.threads
            ) { chunk in
                for hook in chunk.hooks where hookNames.contains(hook.point) {
                    activations[hook.point, default: []] += hook.values
                    widths[hook.point] = hook.width
                }
            }
            for hook in hookNames {
                let w = widths[hook]!, x = activations[hook]!
                func rows(_ range: Range<Int>) -> [Float] { Array(x[(range.lowerBound * w)..<(range.upperBound * w)]) }
                let xFit = rows(0..<fit.count)
                let regimes: [(String, Range<Int>, [Int])] = [
                    ("trained", fit.count..<(fit.count + testTrained.count), testTrained),
                    ("heldout", (fit.count + testTrained.count)..<entities.count, testHeldout),
                ]
                for feature in features {
                    let yFit = fit.map { feature.values[$0] }
                    for (regime, range, test) in regimes where !test.isEmpty {
                        let yTest = test.map { feature.values[$0] }
                        let key = "\(hook)|\(feature.name)|\(regime)"
                        accuracies[key, default: []].append(
                            try LinearProbe.fitAndScore(
                                train: xFit, trainLabels: yFit, test: rows(range), testLabels: yTest,
                                width: w, classes: feature.classes, threads: settings.threads))
                        baseRates[key, default: []].append(
                            LinearProbe.baseRate(trainLabels: yFit, testLabels: yTest, classes: feature.classes))
                    }
                }
            }
        }
        var results: [ProbeResult] = []
        for hook in hookNames {
            for feature in features {
                for regime in ["trained", "heldout"] {
                    let key = "\(hook)|\(feature.name)|\(regime)"
                    guard let accs = accuracies[key], let bases = baseRates[key] else { continue }
                    let mean = accs.reduce(0, +) / Double(accs.count)
                    let variance =
                        accs.count > 1
                        ? accs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accs.count - 1) : 0
                    results.append(
                        ProbeResult(
                            hook: hook, feature: feature.name, regime: regime, accuracy: mean,
                            accuracyStd: variance.squareRoot(), baseRate: bases.reduce(0, +) / Double(bases.count)))
                }
            }
        }
        return results
    }
}
