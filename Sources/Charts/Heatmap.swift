import Foundation
import RunStore

/// A table over the [A, B] grid, drawn as an image (rows a, columns b) at full resolution up to
/// 256 × 256 (larger tables are averaged over blocks of cells), with a colour bar.
public struct HeatmapPanel {
    /// How values become colours.
    public enum Scale {
        /// Signed values: blue–white–red centred at 0, symmetric to the largest |value|.
        case diverging
        /// Class indices 0..<count, one categorical colour each.
        case classes(Int)
    }

    public var title: String
    /// Row-major [rows, cols] values.
    public var values: [Double]
    public var rows: Int
    public var cols: Int
    public var scale: Scale
    /// Cells drawn pale (e.g. held-out entities); row-major, empty for none.
    public var pale: [Bool] = []
    /// What the colour bar measures, with units.
    public var unit: String

    public init(
        title: String, values: [Double], rows: Int, cols: Int, scale: Scale, pale: [Bool] = [], unit: String
    ) {
        (self.title, self.values, self.rows, self.cols, self.scale, self.pale, self.unit) =
            (title, values, rows, cols, scale, pale, unit)
    }

    static let maximumSide = 256

    /// The image's side lengths and RGB bytes.
    public func raster() -> (width: Int, height: Int, rgb: [UInt8]) {
        let stepR = (rows + Self.maximumSide - 1) / Self.maximumSide,
            stepC = (cols + Self.maximumSide - 1) / Self.maximumSide
        let h = (rows + stepR - 1) / stepR, w = (cols + stepC - 1) / stepC
        let bound = self.bound
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                var sum = 0.0, count = 0.0, paleCount = 0.0
                for r in (y * stepR)..<min(rows, (y + 1) * stepR) {
                    for c in (x * stepC)..<min(cols, (x + 1) * stepC) {
                        sum += values[r * cols + c]
                        count += 1
                        if !pale.isEmpty, pale[r * cols + c] { paleCount += 1 }
                    }
                }
                var color: (UInt8, UInt8, UInt8)
                switch scale {
                case .diverging: color = Palette.diverging(sum / count / bound)
                case .classes:  // classes are not averaged: the block's first cell stands for it
                    let v = values[y * stepR * cols + x * stepC]
                    color = v.isFinite ? Palette.category(Int(v.rounded())) : (224, 224, 224)
                }
                if paleCount * 2 > count {
                    func fade(_ v: UInt8) -> UInt8 { UInt8((Double(v) + 2 * 255) / 3) }
                    color = (fade(color.0), fade(color.1), fade(color.2))
                }
                let i = (y * w + x) * 3
                (rgb[i], rgb[i + 1], rgb[i + 2]) = color
            }
        }
        return (w, h, rgb)
    }

    var bound: Double { max(1e-12, values.lazy.filter(\.isFinite).map(abs).max() ?? 1) }
}

extension Chart {
    /// One heatmap with its colour bar.
    public static func heatmap(name: String, title: String, panel: HeatmapPanel) -> Figure {
        panels(name: name, title: title, panels: [panel])
    }

    /// Heatmaps side by side over the same grid, each with its colour bar (or class legend),
    /// axes "b (second token)" across and "a (first token)" down; a note names the pale cells.
    public static func panels(name: String, title: String, panels: [HeatmapPanel], paleMeaning: String? = nil)
        -> Figure
    {
        let side = 180.0, barWidth = 10.0, panelWidth = side + 90, top = 44.0
        let width = max(560, 40 + panelWidth * Double(panels.count))
        var body = "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        var bottom = top + side
        for (i, panel) in panels.enumerated() {
            let x0 = 40 + panelWidth * Double(i)
            let (w, h, rgb) = panel.raster()
            let png = PNG.encode(width: w, height: h, rgb: rgb).base64EncodedString()
            let aspect = Double(panel.rows) / Double(max(1, panel.cols))
            let (iw, ih) = aspect > 1 ? (side / aspect, side) : (side, side * aspect)
            body += "<text x=\"\(x0)\" y=\"\(top - 8)\" font-size=\"11\">\(escape(panel.title))</text>"
            body +=
                "<image x=\"\(x0)\" y=\"\(top)\" width=\"\(iw)\" height=\"\(ih)\" preserveAspectRatio=\"none\" "
                + "style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png)\"/>"
            body += "<rect x=\"\(x0)\" y=\"\(top)\" width=\"\(iw)\" height=\"\(ih)\" fill=\"none\" stroke=\"#999\"/>"
            body +=
                "<text x=\"\(x0 + iw / 2)\" y=\"\(top + ih + 14)\" font-size=\"10\" text-anchor=\"middle\">"
                + "b (second token, 0–\(panel.cols - 1))</text>"
            body +=
                "<text transform=\"translate(\(x0 - 8),\(top + ih / 2)) rotate(-90)\" font-size=\"10\" "
                + "text-anchor=\"middle\">a (first token, 0–\(panel.rows - 1) ↓)</text>"
            let bx = x0 + iw + 8
            switch panel.scale {
            case .diverging:
                let bound = panel.bound
                let steps = 32
                for s in 0..<steps {
                    let v = 1 - 2 * (Double(s) + 0.5) / Double(steps)
                    body +=
                        "<rect x=\"\(bx)\" y=\"\(top + Double(s) * ih / Double(steps))\" width=\"\(barWidth)\" "
                        + "height=\"\(ih / Double(steps) + 0.5)\" fill=\"\(Palette.css(Palette.diverging(v)))\"/>"
                }
                let scale = NiceScale(-bound, bound)
                for tick in scale.ticks where abs(tick) <= bound * (1 + 1e-9) {
                    let y = top + (1 - (tick + bound) / (2 * bound)) * ih
                    body +=
                        "<text x=\"\(bx + barWidth + 3)\" y=\"\(y + 3)\" font-size=\"9\">\(scale.label(tick))</text>"
                }
                body +=
                    "<text transform=\"translate(\(bx + barWidth + 40),\(top + ih / 2)) rotate(-90)\" font-size=\"9\" "
                    + "text-anchor=\"middle\">\(escape(panel.unit))</text>"
            case let .classes(count):
                for c in 0..<min(count, 12) {
                    let y = top + 4 + Double(c) * 13
                    body +=
                        "<rect x=\"\(bx)\" y=\"\(y)\" width=\"9\" height=\"9\" "
                        + "fill=\"\(Palette.css(Palette.category(c)))\"/>"
                    body += "<text x=\"\(bx + 12)\" y=\"\(y + 8)\" font-size=\"9\">\(c)</text>"
                }
                if count > 12 { body += "<text x=\"\(bx)\" y=\"\(top + 4 + 12 * 13 + 8)\" font-size=\"9\">…</text>" }
            }
            bottom = max(bottom, top + ih + 18)
        }
        if let paleMeaning {
            for line in TextLayout.wrap(paleMeaning, width: width - 16, size: 10) {
                bottom += 13
                body += "<text x=\"8\" y=\"\(bottom)\" font-size=\"10\">\(escape(line))</text>"
            }
        }
        let height = Int((bottom + 8).rounded(.up))
        let svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(Int(width)) \(height)\" role=\"img\"><title>\(escape(title))</title>\(body)</svg>"
        return Figure(name: name, title: title, svg: svg, vegaLite: heatmapSpec(title: title, panels: panels))
    }

    /// The Vega-Lite spec of `panels`: one rect layer per panel, concatenated horizontally.
    static func heatmapSpec(title: String, panels: [HeatmapPanel]) -> JSONValue {
        var views: [JSONValue] = []
        var values: [JSONValue] = []
        for (i, panel) in panels.enumerated() {
            for r in 0..<panel.rows {
                for c in 0..<panel.cols {
                    var row: [(key: String, value: JSONValue)] = [
                        ("panel", .int(i)), ("a", .int(r)), ("b", .int(c)),
                        ("value", .double(panel.values[r * panel.cols + c])),
                    ]
                    if !panel.pale.isEmpty { row.append(("pale", .bool(panel.pale[r * panel.cols + c]))) }
                    values.append(.object(row))
                }
            }
            let color: JSONValue
            switch panel.scale {
            case .diverging:
                color = .object([
                    ("field", .string("value")), ("type", .string("quantitative")), ("title", .string(panel.unit)),
                    (
                        "scale",
                        .object([
                            ("scheme", .string("redblue")), ("reverse", .bool(true)), ("domainMid", .int(0)),
                            ("domain", .array([.double(-panel.bound), .double(panel.bound)])),
                        ])
                    ),
                ])
            case .classes:
                color = .object([
                    ("field", .string("value")), ("type", .string("nominal")), ("title", .string(panel.unit)),
                ])
            }
            views.append(
                .object([
                    ("title", .string(panel.title)), ("width", .int(180)), ("height", .int(180)),
                    ("transform", .array([.object([("filter", .string("datum.panel == \(i)"))])])),
                    ("mark", .string("rect")),
                    (
                        "encoding",
                        .object([
                            (
                                "x",
                                .object([
                                    ("field", .string("b")), ("type", .string("ordinal")),
                                    ("title", .string("b (second token)")),
                                ])
                            ),
                            (
                                "y",
                                .object([
                                    ("field", .string("a")), ("type", .string("ordinal")),
                                    ("title", .string("a (first token)")),
                                ])
                            ),
                            ("color", color),
                            (
                                "opacity",
                                panel.pale.isEmpty
                                    ? .object([("value", .int(1))])
                                    : .object([
                                        (
                                            "condition",
                                            .object([("test", .string("datum.pale")), ("value", .double(0.35))])
                                        ), ("value", .int(1)),
                                    ])
                            ),
                        ])
                    ),
                ]))
        }
        return .object([
            ("$schema", .string("https://vega.github.io/schema/vega-lite/v5.json")), ("title", .string(title)),
            ("data", .object([("values", .array(values))])), ("hconcat", .array(views)),
            ("resolve", .object([("scale", .object([("color", .string("independent"))]))])),
        ])
    }
}
