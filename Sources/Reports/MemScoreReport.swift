import Charts
import Experiment
import Foundation
import RunStore

/// `report.html` of a memorisation-score directory: the scores' distribution per group
/// (rule-following entities and exceptions in a rule-of-thumb task) and the score over the
/// [A, B] grid (cells that are not trained entities left blank).
public enum MemScoreReport {
    public static func write(_ scores: MemScore, to directory: URL) throws {
        let (mem, groups) = (scores.mem, scores.groups)
        var figures: [Figure] = []
        for group in groups.uniqued().sorted() {
            let values = mem.indices.filter { groups[$0] == group }.compactMap { mem[$0] }
            figures.append(
                Chart.histogram(
                    name: "mem_\(group)", title: "Memorisation scores, \(group) entities (\(values.count))",
                    x: "mem(e) = P[correct | trained on e] − P[correct | not]", values: values, low: -1, high: 1,
                    bins: 40, unit: "entities"))
        }
        let spec = scores.data.spec
        var grid = [Double](repeating: .nan, count: spec.domainA * spec.domainB)
        for (i, e) in scores.entities.enumerated() {
            grid[Int(scores.data.a[e]) * spec.domainB + Int(scores.data.b[e])] = mem[i] ?? .nan
        }
        figures.append(
            Chart.heatmap(
                name: "mem_grid", title: "Memorisation score over (a, b)",
                panel: HeatmapPanel(
                    title: "mem(e) of trained entities", values: grid, rows: spec.domainA, cols: spec.domainB,
                    scale: .diverging, unit: "memorisation score")))
        let intro =
            "\(scores.models) models, each trained on \(Int(scores.fraction * 100))% of the \(scores.entities.count) "
            + "trained entities of a \(spec.kind.rawValue) task; \(String(format: "%.0f", scores.seconds)) s. "
            + "Scores per entity are in <a href=\"scores.csv\">scores.csv</a>."
        try ReportPage.write(
            title: "toymem memorisation scores", intro: intro, tables: influenceTables(scores), figures: figures,
            to: directory)
    }

    /// The mean influence of trained on held-out entities, by relation, as an HTML table.
    static func influenceTables(_ scores: MemScore) -> [String] {
        guard let influence = scores.influence else { return [] }
        let rows = influence.relations.map { row in
            [
                row.relation.replacingOccurrences(of: "_", with: " "), String(format: "%+.4f ± %.4f", row.mean, row.se),
                String(format: "%.1f", row.pairsPerEntity),
            ]
        }
        return [
            "<p>Mean influence infl(i, j) = P[correct on held-out j | i trained] − P[… | not] of a trained entity i "
                + "on a held-out entity j, by relation (a shared row or column; the same label):</p>",
            ReportPage.table([["relation", "mean ± se", "pairs per held-out entity"]] + rows),
        ]
    }
}
