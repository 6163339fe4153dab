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

/// A data series: points, and optionally their spread (min–max or ± sd over seeds), drawn as a
/// band on a line chart and as error bars on a point chart.
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

extension Series {
    /// The rows of a Vega-Lite spec's data: series, x (as `x` maps it; nil leaves the point out), y, and
    /// the spread's low and high where it has them.
    static func rows(_ series: [Series], x: (Double) -> JSONValue?) -> [JSONValue] {
        series.flatMap { s in
            s.points.compactMap { p -> JSONValue? in
                guard let xValue = x(p.x) else { return nil }
                var row: [(key: String, value: JSONValue)] = [
                    ("series", .string(s.name)), ("x", xValue), ("y", .double(p.y)),
                ]
                if let spread = s.spread.first(where: { $0.x == p.x }) {
                    row += [("low", .double(spread.low)), ("high", .double(spread.high))]
                }
                return .object(row)
            }
        }
    }
}

/// Small, dependency-free SVG charts, each with a matching Vega-Lite spec: `line` (quantitative
/// x), `points` (categorical x, with error bars), `histogram`, `heatmap` and `panels`.
public enum Chart {
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }

    static func vegaLite(title: String, values: [JSONValue], body: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(
            [
                ("$schema", .string("https://vega.github.io/schema/vega-lite/v5.json")), ("title", .string(title)),
                ("width", .int(420)), ("height", .int(240)), ("data", .object([("values", .array(values))])),
            ] + body)
    }

    /// A Vega-Lite colour encoding by series name, with the colours the SVG uses.
    static func colorEncoding(_ names: [String]) -> JSONValue {
        .object([
            ("field", .string("series")), ("type", .string("nominal")), ("title", .string("")),
            (
                "scale",
                .object([
                    ("domain", .array(names.map(JSONValue.string))),
                    (
                        "range",
                        .array(names.enumerated().map { .string(Palette.color(for: $1, index: $0)) })
                    ),
                ])
            ),
        ])
    }

    /// A Vega-Lite axis encoding: field, type, title and, when given, the scale's domain.
    static func encoding(
        _ field: String, _ type: String, title: String, domain: [Double]? = nil, log: Bool = false
    ) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("field", .string(field)), ("type", .string(type)), ("title", .string(title)),
        ]
        var scale: [(key: String, value: JSONValue)] = []
        if let domain { scale.append(("domain", .array(domain.map(JSONValue.double)))) }
        if log { scale.append(("type", .string("log"))) }
        if !scale.isEmpty { pairs.append(("scale", .object(scale))) }
        return .object(pairs)
    }
}

extension Sequence where Element: Hashable {
    /// The elements in first-seen order, without repeats.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
