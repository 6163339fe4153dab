import Foundation
import RunStore

/// One figure of a report: an inline SVG for the page and the same data as
/// a Vega-Lite spec, written beside the page so it can be re-rendered.
public struct Figure {
    public let name: String
    public let title: String
    public let svg: String
    public let vegaLite: JSONValue
}

/// A data series of a line chart; `spread` draws a band (e.g. min–max over seeds).
public struct Series {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public var spread: [(x: Double, low: Double, high: Double)] = []
    public var dashed = false

    public init(
        name: String, points: [(x: Double, y: Double)], spread: [(x: Double, low: Double, high: Double)] = [],
        dashed: Bool = false
    ) {
        self.name = name
        self.points = points
        self.spread = spread
        self.dashed = dashed
    }
}

/// Small, dependency-free SVG charts.
public enum Chart {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let width = 560.0, height = 320.0, left = 60.0, right = 150.0, top = 30.0, bottom = 45.0

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }

    static func tick(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e4 || abs(x) < 1e-2 { return String(format: "%.1e", x) }
        return String(format: abs(x) >= 100 ? "%.0f" : abs(x) >= 10 ? "%.1f" : "%.2f", x)
    }

    /// A line chart; with `categories`, x positions 0..<n are labelled by them.
    public static func line(
        name: String, title: String, x xLabel: String, y yLabel: String, series: [Series],
        categories: [String]? = nil, logX: Bool = false, yRange: ClosedRange<Double>? = nil
    ) -> Figure {
        let tx: (Double) -> Double = logX ? { log10(max($0, 1e-300)) } : { $0 }
        let xs = series.flatMap { $0.points.map { tx($0.x) } }
        let ys = series.flatMap { s in s.points.map(\.y) + s.spread.flatMap { [$0.low, $0.high] } }.filter(\.isFinite)
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1),
            (y0, y1) = (yRange?.lowerBound ?? ys.min() ?? 0, yRange?.upperBound ?? ys.max() ?? 1)
        if x0 == x1 { x0 -= 0.5; x1 += 0.5 }
        if y0 == y1 { y0 -= 0.5; y1 += 0.5 }
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (tx(x) - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        var svg = header(title)
        svg += axes(x0: x0, x1: x1, y0: y0, y1: y1, xLabel: xLabel, yLabel: yLabel, categories: categories, logX: logX)
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            if !s.spread.isEmpty {
                let upper = s.spread.map { "\(px($0.x)),\(py($0.high))" },
                    lower = s.spread.reversed().map { "\(px($0.x)),\(py($0.low))" }
                svg +=
                    "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" opacity=\"0.18\"/>"
            }
            let path = s.points.filter { $0.y.isFinite }.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ")
            svg +=
                "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" "
                + "stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            for p in s.points where p.y.isFinite {
                svg += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"2.5\" fill=\"\(color)\"/>"
            }
            let ly = top + 14 + Double(i) * 16
            svg +=
                "<line x1=\"\(width - right + 10)\" y1=\"\(ly - 4)\" x2=\"\(width - right + 28)\" "
                + "y2=\"\(ly - 4)\" stroke=\"\(color)\" stroke-width=\"2\""
                + "\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
            svg += "<text x=\"\(width - right + 32)\" y=\"\(ly)\" font-size=\"11\">\(escape(s.name))</text>"
        }
        svg += "</svg>"
        var values: [JSONValue] = []
        for s in series {
            for p in s.points {
                var row: [(key: String, value: JSONValue)] = [("series", .string(s.name)), ("y", .double(p.y))]
                row.append(("x", categories.map { c in .string(c[Int(p.x)]) } ?? .double(p.x)))
                if let band = s.spread.first(where: { $0.x == p.x }) {
                    row += [("low", .double(band.low)), ("high", .double(band.high))]
                }
                values.append(.object(row))
            }
        }
        let xType = categories == nil ? "quantitative" : "ordinal"
        var xEncoding: [(key: String, value: JSONValue)] = [
            ("field", .string("x")), ("type", .string(xType)), ("title", .string(xLabel)),
        ]
        if logX { xEncoding.append(("scale", .object([("type", .string("log"))]))) }
        let spec = vegaLite(
            title: title, values: values,
            body: [
                ("mark", .object([("type", .string("line")), ("point", .bool(true))])),
                (
                    "encoding",
                    .object([
                        ("x", .object(xEncoding)),
                        (
                            "y",
                            .object([
                                ("field", .string("y")), ("type", .string("quantitative")), ("title", .string(yLabel)),
                            ])
                        ),
                        ("color", .object([("field", .string("series")), ("type", .string("nominal"))])),
                    ])
                ),
            ])
        return Figure(name: name, title: title, svg: svg, vegaLite: spec)
    }

    /// A histogram of values in [low, high] with `bins` bins.
    public static func histogram(
        name: String, title: String, x xLabel: String, values: [Double], low: Double, high: Double,
        bins: Int = 20
    ) -> Figure {
        var counts = [Int](repeating: 0, count: bins)
        for v in values where v.isFinite {
            counts[min(bins - 1, max(0, Int((v - low) / (high - low) * Double(bins))))] += 1
        }
        let peak = Double(max(1, counts.max() ?? 1))
        let plotW = width - left - right, plotH = height - top - bottom
        var svg =
            header(title)
            + axes(x0: low, x1: high, y0: 0, y1: peak, xLabel: xLabel, yLabel: "neurons", categories: nil, logX: false)
        for (i, c) in counts.enumerated() where c > 0 {
            let x = left + Double(i) / Double(bins) * plotW, h = Double(c) / peak * plotH
            svg +=
                "<rect x=\"\(x + 1)\" y=\"\(top + plotH - h)\" width=\"\(plotW / Double(bins) - 2)\" "
                + "height=\"\(h)\" fill=\"\(palette[0])\"/>"
        }
        svg += "</svg>"
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
                                ("field", .string("value")), ("bin", .object([("maxbins", .int(bins))])),
                                ("title", .string(xLabel)),
                            ])
                        ),
                        ("y", .object([("aggregate", .string("count")), ("title", .string("neurons"))])),
                    ])
                ),
            ])
        return Figure(name: name, title: title, svg: svg, vegaLite: spec)
    }

    /// A heatmap of a [rows, cols] table (rows = a, columns = b), blue–white–red around 0.
    public static func heatmap(name: String, title: String, table: [Double], rows: Int, cols: Int) -> Figure {
        let size = 220.0, cell = size / Double(max(rows, cols))
        let bound = max(1e-12, table.map(abs).max() ?? 1)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(size + 70)\" height=\"\(size + 50)\" "
            + "role=\"img\"><title>\(escape(title))</title>"
        svg += "<text x=\"4\" y=\"14\" font-size=\"12\">\(escape(title))</text>"
        for r in 0..<rows {
            for c in 0..<cols {
                let v = table[r * cols + c] / bound
                let (red, green, blue) =
                    v >= 0 ? (255.0, 255 * (1 - v), 255 * (1 - v)) : (255 * (1 + v), 255 * (1 + v), 255.0)
                svg +=
                    "<rect x=\"\(30 + Double(c) * cell)\" y=\"\(22 + Double(r) * cell)\" width=\"\(cell + 0.3)\" "
                    + "height=\"\(cell + 0.3)\" fill=\"rgb(\(Int(red)),\(Int(green)),\(Int(blue)))\"/>"
            }
        }
        svg +=
            "<text x=\"30\" y=\"\(size + 40)\" font-size=\"11\">b →  (a ↓; red +, blue −, max |v| = "
            + "\(tick(bound)))</text></svg>"
        var values: [JSONValue] = []
        for r in 0..<rows {
            for c in 0..<cols {
                values.append(.object([("a", .int(r)), ("b", .int(c)), ("value", .double(table[r * cols + c]))]))
            }
        }
        let spec = vegaLite(
            title: title, values: values,
            body: [
                ("mark", .string("rect")),
                (
                    "encoding",
                    .object([
                        ("x", .object([("field", .string("b")), ("type", .string("ordinal"))])),
                        ("y", .object([("field", .string("a")), ("type", .string("ordinal"))])),
                        (
                            "color",
                            .object([
                                ("field", .string("value")), ("type", .string("quantitative")),
                                (
                                    "scale",
                                    .object([
                                        ("scheme", .string("redblue")), ("reverse", .bool(true)),
                                        ("domainMid", .int(0)),
                                    ])
                                ),
                            ])
                        ),
                    ])
                ),
            ])
        return Figure(name: name, title: title, svg: svg, vegaLite: spec)
    }

    static func vegaLite(title: String, values: [JSONValue], body: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(
            [
                ("$schema", .string("https://vega.github.io/schema/vega-lite/v5.json")), ("title", .string(title)),
                ("width", .int(420)), ("height", .int(260)), ("data", .object([("values", .array(values))])),
            ] + body)
    }

    static func header(_ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "role=\"img\"><title>\(escape(title))</title>"
            + "<text x=\"\(left)\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
    }

    static func axes(
        x0: Double, x1: Double, y0: Double, y1: Double, xLabel: String, yLabel: String,
        categories: [String]?, logX: Bool
    ) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        var s =
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#999\"/>"
        for i in 0...4 {
            let fy = Double(i) / 4, y = top + (1 - fy) * plotH
            s += "<line x1=\"\(left - 4)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#eee\"/>"
            s +=
                "<text x=\"\(left - 6)\" y=\"\(y + 4)\" font-size=\"10\" "
                + "text-anchor=\"end\">\(tick(y0 + fy * (y1 - y0)))</text>"
        }
        if let categories {
            for (i, c) in categories.enumerated() {
                let x = left + (Double(i) - x0) / (x1 - x0) * plotW
                s +=
                    "<text x=\"\(x)\" y=\"\(top + plotH + 14)\" font-size=\"9\" "
                    + "text-anchor=\"middle\">\(escape(String(c.prefix(28))))</text>"
            }
        } else {
            for i in 0...4 {
                let fx = Double(i) / 4, x = left + fx * plotW, v = x0 + fx * (x1 - x0)
                s +=
                    "<text x=\"\(x)\" y=\"\(top + plotH + 14)\" font-size=\"10\" "
                    + "text-anchor=\"middle\">\(tick(logX ? pow(10, v) : v))</text>"
            }
        }
        s +=
            "<text x=\"\(left + plotW / 2)\" y=\"\(height - 8)\" font-size=\"11\" "
            + "text-anchor=\"middle\">\(escape(xLabel))</text>"
        s +=
            "<text transform=\"translate(14,\(top + plotH / 2)) rotate(-90)\" font-size=\"11\" "
            + "text-anchor=\"middle\">\(escape(yLabel))</text>"
        return s
    }
}

extension Sequence where Element: Hashable {
    /// The elements in first-seen order, without repeats.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
