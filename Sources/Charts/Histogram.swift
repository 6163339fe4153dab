import Foundation
import RunStore

extension Chart {
    /// A histogram of values in [low, high] with `bins` bins; y counts `unit` (e.g. "neurons").
    public static func histogram(
        name: String, title: String, x xLabel: String, values: [Double], low: Double, high: Double,
        bins: Int = 20, unit: String = "neurons"
    ) -> Figure {
        var counts = [Int](repeating: 0, count: bins)
        for v in values where v.isFinite {
            counts[min(bins - 1, max(0, Int((v - low) / (high - low) * Double(bins))))] += 1
        }
        let plot = Plot(title: title, y: NiceScale(0, Double(max(1, counts.max() ?? 1))))
        let xScale = NiceScale(low, high, bounds: low...high)
        var body = plot.frame(yLabel: "number of \(unit)")
        for (i, c) in counts.enumerated() where c > 0 {
            let x = Plot.left + Double(i) / Double(bins) * plot.plotWidth
            body +=
                "<rect x=\"\(x + 1)\" y=\"\(plot.py(Double(c)))\" width=\"\(plot.plotWidth / Double(bins) - 2)\" "
                + "height=\"\(plot.bottom - plot.py(Double(c)))\" fill=\"\(Palette.categorical[0])\"/>"
        }
        for tick in xScale.ticks {
            body +=
                "<text x=\"\(Plot.left + xScale.fraction(tick) * plot.plotWidth)\" y=\"\(plot.bottom + 14)\" "
                + "font-size=\"10\" text-anchor=\"middle\">\(xScale.label(tick))</text>"
        }
        let (xTitle, below) = plot.xTitle(xLabel, at: plot.bottom + 16)
        let svg = Plot.svg(title: title, height: below + 10, body: body + xTitle)
        let spec = vegaLite(
            title: title, values: values.map { .object([("value", .double($0))]) },
            body: [
                ("mark", .string("bar")),
                (
                    "encoding",
                    .object([
                        (
                            "x",
                            .object([
                                ("field", .string("value")),
                                (
                                    "bin",
                                    .object([
                                        ("maxbins", .int(bins)), ("extent", .array([.double(low), .double(high)])),
                                    ])
                                ),
                                ("title", .string(xLabel)),
                            ])
                        ),
                        ("y", .object([("aggregate", .string("count")), ("title", .string("number of \(unit)"))])),
                    ])
                ),
            ])
        return Figure(name: name, title: title, svg: svg, vegaLite: spec)
    }
}
