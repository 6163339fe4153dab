/// The frame every x–y chart shares: title, plot area, nice y ticks, axis titles and a legend
/// below the plot that wraps onto as many rows as it needs (never clipped). The SVG's viewBox
/// grows to hold everything placed in it.
struct Plot {
    static let width = 560.0, left = 64.0, right = 16.0, plotHeight = 240.0

    let title: [String]
    let y: NiceScale
    var top: Double { 12 + 16 * Double(title.count) }
    var plotWidth: Double { Self.width - Self.left - Self.right }
    var bottom: Double { top + Self.plotHeight }

    init(title: String, y: NiceScale) {
        self.title = TextLayout.wrap(title, width: Self.width - 16, size: 13)
        self.y = y
    }

    func py(_ value: Double) -> Double { bottom - y.fraction(value) * Self.plotHeight }

    /// Title, frame, y gridlines and tick labels, and the y-axis title.
    func frame(yLabel: String) -> String {
        var s = ""
        for (i, line) in title.enumerated() {
            s += SVG.text(line, x: 8, y: 18 + 16 * Double(i), size: 13, bold: true)
        }
        s += SVG.rect(x: Self.left, y: top, width: plotWidth, height: Self.plotHeight, fill: "none", stroke: "#999")
        for tick in y.ticks {
            let yy = py(tick)
            s += SVG.line(Self.left - 4, yy, Self.left + plotWidth, yy, color: "#e5e5e5")
            s += SVG.text(y.label(tick), x: Self.left - 6, y: yy + 4, size: 10, anchor: "end")
        }
        let lines = TextLayout.wrap(yLabel, width: Self.plotHeight, size: 11)
        for (i, line) in lines.enumerated() {
            let x = max(10, 14 + 13 * Double(i) - 6.5 * Double(lines.count - 1))
            s += SVG.text(line, x: x, y: top + Self.plotHeight / 2, size: 11, anchor: "middle", rotated: true)
        }
        return s
    }

    /// The x-axis title at `y`, wrapped; returns the SVG and the y below it.
    func xTitle(_ label: String, at y: Double) -> (String, Double) {
        var s = "", yy = y
        for line in TextLayout.wrap(label, width: plotWidth, size: 11) {
            yy += 14
            s += SVG.text(line, x: Self.left + plotWidth / 2, y: yy, size: 11, anchor: "middle")
        }
        return (s, yy)
    }

    /// The legend from `y` down, entries flowing left to right and wrapping; returns the SVG and the y below it.
    static func legend(_ entries: [(name: String, color: String, dashed: Bool)], at y: Double) -> (String, Double) {
        guard !entries.isEmpty else { return ("", y) }
        var s = "", x = 8.0, yy = y + 16
        for entry in entries {
            let lines = TextLayout.wrap(entry.name, width: width - 16 - 28, size: 11)
            let w = 28 + (lines.map { TextLayout.width($0, size: 11) }.max() ?? 0) + 14
            if x + w > width - 8, x > 8 { (x, yy) = (8, yy + 16) }
            s += SVG.line(x, yy - 4, x + 22, yy - 4, color: entry.color, width: 2, dashed: entry.dashed ? "6 4" : nil)
            for (i, line) in lines.enumerated() { s += SVG.text(line, x: x + 28, y: yy + 14 * Double(i), size: 11) }
            if lines.count > 1 { (x, yy) = (width, yy + 14 * Double(lines.count - 1)) } else { x += w }
        }
        return (s, yy + 8)
    }

    /// The x-axis title from `y` down, the legend of `series` below it, and the whole figure's SVG.
    func finish(title: String, body: String, xLabel: String, at y: Double, series: [Series]) -> String {
        let (xTitle, below) = self.xTitle(xLabel, at: y)
        let legend = Self.legend(
            series.enumerated().map {
                (name: $1.name, color: Palette.color(for: $1.name, index: $0), dashed: $1.dashed)
            },
            at: below)
        return Self.svg(title: title, height: legend.1 + 6, body: body + xTitle + legend.0)
    }

    static func svg(title: String, height: Double, body: String) -> String {
        let h = Int(height.rounded(.up))
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(h)\" "
            + "viewBox=\"0 0 \(Int(width)) \(h)\" role=\"img\"><title>\(Chart.escape(title))</title>" + body + "</svg>"
    }
}
