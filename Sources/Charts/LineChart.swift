import Foundation
import RunStore

extension Chart {
    /// A line chart over a quantitative x (steps, widths, k): nice ticks on both axes, y within
    /// `yBounds` for bounded quantities (accuracy: 0...1), bands for series with a spread, and the
    /// legend below the plot.
    public static func line(
        name: String, title: String, x xLabel: String, y yLabel: String, series: [Series], logX: Bool = false,
        yBounds: ClosedRange<Double>? = nil
    ) -> Figure {
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0.isFinite && (!logX || $0 > 0) }
        let ys = series.flatMap { s in s.points.map(\.y) + s.spread.flatMap { [$0.low, $0.high] } }.filter(\.isFinite)
        let xScale =
            logX ? NiceScale(logarithmic: xs.min() ?? 1, xs.max() ?? 10) : NiceScale(xs.min() ?? 0, xs.max() ?? 1)
        let plot = Plot(title: title, y: NiceScale(ys.min() ?? 0, ys.max() ?? 1, bounds: yBounds))
        func px(_ x: Double) -> Double { Plot.left + xScale.fraction(x) * plot.plotWidth }
        var body = plot.frame(yLabel: yLabel)
        for tick in xScale.ticks {
            body +=
                "<text x=\"\(px(tick))\" y=\"\(plot.bottom + 14)\" font-size=\"10\" text-anchor=\"middle\">"
                + "\(xScale.label(tick))</text>"
        }
        for (i, s) in series.enumerated() {
            let color = Palette.color(for: s.name, index: i)
            let band = s.spread.filter { $0.low.isFinite && $0.high.isFinite && (!logX || $0.x > 0) }
            if !band.isEmpty {
                let upper = band.map { "\(px($0.x)),\(plot.py($0.high))" }
                let lower = band.reversed().map { "\(px($0.x)),\(plot.py($0.low))" }
                body +=
                    "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" opacity=\"0.18\"/>"
            }
            let points = s.points.filter { $0.y.isFinite && (!logX || $0.x > 0) }
            body +=
                "<polyline points=\"\(points.map { "\(px($0.x)),\(plot.py($0.y))" }.joined(separator: " "))\" "
                + "fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            for p in points where points.count <= 60 {
                body += "<circle cx=\"\(px(p.x))\" cy=\"\(plot.py(p.y))\" r=\"2.5\" fill=\"\(color)\"/>"
            }
        }
        let svg = plot.finish(title: title, body: body, xLabel: xLabel, at: plot.bottom + 16, series: series)
        let values = Series.rows(series) { .double($0) }
        let yDomain = [plot.y.low, plot.y.high]
        let spec = vegaLite(
            title: title, values: values,
            body: [
                ("mark", .object([("type", .string("line")), ("point", .bool(true))])),
                (
                    "encoding",
                    .object([
                        ("x", encoding("x", "quantitative", title: xLabel, log: logX)),
                        ("y", encoding("y", "quantitative", title: yLabel, domain: yDomain)),
                        ("color", colorEncoding(series.map(\.name))),
                    ])
                ),
            ])
        return Figure(name: name, title: title, svg: svg, vegaLite: spec)
    }
}
