import Analysis
import Charts
import Foundation
import RunStore

/// Memorisation scores as an analysis of a run (`MemScore`, Feldman & Zhang's subsampled estimator):
/// `memscore.models` models of the run's config, each trained on a random `memscore.fraction` of its trained
/// entities. Writes `analysis/memscore/scores.csv` (as `toymem memscore` does) and its summary under
/// `memscore`; not selected by "all", since it trains models of its own.
struct MemScoreInstrument: Instrument {
    let name = "memscore"
    let doc = "Memorisation score of every trained entity, from models trained on random subsets (not in all)."
    let needs: Set<InstrumentInput> = []
    let summaryKey: String? = "memscore"
    let inAll = false
    let headlines = [
        Headline("memscore_mean", inComparison: true) { $0["memscore"]?["mean"] },
        Headline("memscore_exception_mean", inComparison: true) { $0["memscore"]?["groups"]?["exception"]?["mean"] },
        Headline("memscore_rule_mean", inComparison: true) { $0["memscore"]?["groups"]?["rule"]?["mean"] },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        guard let config = context.config else {
            throw ConfigError("memscore", "the memscore analysis needs the run's config to train its models")
        }
        let threads = context.settings.threads
        let scores = try MemScore.estimate(
            config, models: config.memscore.models, fraction: config.memscore.fraction, jobs: threads
        ) { _ in }
        // The wall time would make the analysis differ between identical reruns: left out.
        let summary = scores.summary(jobs: threads).objectPairs?.filter { $0.key != "seconds" } ?? []
        var result = Measurement(summary: .object(summary))
        result.files = [("memscore/scores.csv", Data(scores.csv.utf8))]
        return result
    }

    /// Histograms of the scores, one per group.
    func figures(_ run: AnalysedRun, threads: Int) throws -> [Figure] {
        let url = run.directory.file("analysis/memscore/scores.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var byGroup: [String: [Double]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == 8, let mem = Double(cells[4]) else { continue }
            byGroup[String(cells[3]), default: []].append(mem)
        }
        return byGroup.keys.sorted().map { group in
            Chart.histogram(
                name: "memscore_\(group)", title: "Memorisation scores, \(group) entities", x: "mem(e)",
                values: byGroup[group]!, low: -1, high: 1, unit: "entities")
        }
    }
}
