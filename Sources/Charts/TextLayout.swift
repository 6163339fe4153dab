/// Text sizes for layout without a font engine: widths are estimated generously (0.62 em per
/// character), so that text placed by them stays inside its box in a real browser.
public enum TextLayout {
    public static func width(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.62 }

    /// `text` broken at spaces (or anywhere, for long words) into lines of at most `width` points.
    public static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let perLine = max(4, Int(width / (size * 0.62)))
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ").map(String.init) {
            var word = word
            while word.count > perLine {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(perLine)))
                word = String(word.dropFirst(perLine))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= perLine {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
