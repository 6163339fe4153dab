/// SVG elements as the charts write them (coordinates in the figure's viewBox units).
enum SVG {
    static func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: String = "start", bold: Bool = false,
        rotated: Bool = false
    ) -> String {
        let place = rotated ? "transform=\"translate(\(x),\(y)) rotate(-90)\"" : "x=\"\(x)\" y=\"\(y)\""
        return "<text \(place) font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(bold ? " font-weight=\"bold\"" : "")>"
            + "\(Chart.escape(content))</text>"
    }

    static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1,
        dashed: String? = nil
    ) -> String {
        "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(color)\" stroke-width=\"\(width)\""
            + (dashed.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>"
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil) -> String
    {
        "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"\(fill)\""
            + (stroke.map { " stroke=\"\($0)\"" } ?? "") + "/>"
    }
}
