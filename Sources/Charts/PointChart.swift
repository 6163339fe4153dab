import Foundation
import RunStore

extension Chart {
    /// A chart over a categorical x (tasks, hooks, settings): each series' value per category as a
    /// point with an error bar for its spread (mean ± sd, or min–max over seeds), series side by side
    /// within a category, no lines joining categories. `Series.points` x is the category's index.
    public static func points(
        name: String, title: String, x xLabel: String, y yLabel: String, series: [Series], categories: [String],
        yBounds: ClosedRange<Double>? = nil, spreadMeaning: String = "error bars: min–max over seeds"
    ) -> Figure {
        let ys = series.flatMap { s in s.points.map(\.y) + s.spread.flatMap { [$0.low, $0.high] } }.filter(\.isFinite)
        let plot = Plot(title: title, y: NiceScale(ys.min() ?? 0, ys.max() ?? 1, bounds: yBounds))
        let slot = plot.plotWidth / Double(max(1, categories.count))
        let dodge = min(14, slot * 0.7 / Double(max(1, series.count)))
        func px(_ category: Double, _ seriesIndex: Int) -> Double {
            Plot.left + (category + 0.5) * slot + (Double(seriesIndex) - Double(series.count - 1) / 2) * dodge
        }
        var body = plot.frame(yLabel: yLabel)
        var labelBottom = plot.bottom
        for (i, category) in categories.enumerated() {
            let lines = TextLayout.wrap(category, width: max(slot - 4, 40), size: 9)
            for (j, line) in lines.enumerated() {
                let y = plot.bottom + 13 + 11 * Double(j)
                body +=
                    "<text x=\"\(Plot.left + (Double(i) + 0.5) * slot)\" y=\"\(y)\" font-size=\"9\" "
                    + "text-anchor=\"middle\">\(escape(line))</text>"
                labelBottom = max(labelBottom, y)
            }
        }
        for (k, s) in series.enumerated() {
            let color = Palette.color(for: s.name, index: k)
            for bar in s.spread where bar.low.isFinite && bar.high.isFinite {
                let x = px(bar.x, k)
                body += SVG.line(x, plot.py(bar.low), x, plot.py(bar.high), color: color, width: 1.5)
                for y in [bar.low, bar.high] {
                    body += SVG.line(x - 3, plot.py(y), x + 3, plot.py(y), color: color, width: 1.5)
                }
            }
            for p in s.points where p.y.isFinite {
                let (x, y) = (px(p.x, k), plot.py(p.y))
                body +=
                    s.dashed
                    ? SVG.line(x - slot * 0.35, y, x + slot * 0.35, y, color: color, width: 1.5, dashed: "4 3")
                    : "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3.5\" fill=\"\(color)\"/>"
            }
        }
        let hasSpread = series.contains { !$0.spread.isEmpty }
        let svg = plot.finish(
            title: title, body: body, xLabel: xLabel + (hasSpread ? " (\(spreadMeaning))" : ""), at: labelBottom + 4,
            series: series)
        let values = Series.rows(series) { categories.indices.contains(Int($0)) ? .string(categories[Int($0)]) : nil }
        let x = JSONValue.object([
            ("field", .string("x")), ("type", .string("nominal")), ("title", .string(xLabel)),
            ("sort", .array(categories.map(JSONValue.string))),
        ])
        let y = encoding("y", "quantitative", title: yLabel, domain: [plot.y.low, plot.y.high])
        let color = colorEncoding(series.map(\.name))
        let spec = vegaLite(
            title: title, values: values,
            body: [
                (
                    "layer",
                    .array([
                        .object([
                            ("mark", .object([("type", .string("point")), ("filled", .bool(true))])),
                            (
                                "encoding",
                                .object([
                                    ("x", x), ("xOffset", .object([("field", .string("series"))])), ("y", y),
                                    ("color", color),
                                ])
                            ),
                        ]),
                        .object([
                            ("mark", .string("rule")),
                            (
                                "encoding",
                                .object([
                                    ("x", x), ("xOffset", .object([("field", .string("series"))])),
                                    ("y", encoding("low", "quantitative", title: yLabel)),
                                    ("y2", .object([("field", .string("high"))])),
                                    ("color", color),
                                ])
                            ),
                        ]),
                    ])
                )
            ])
        return Figure(name: name, title: title, svg: svg, vegaLite: spec)
    }
}
