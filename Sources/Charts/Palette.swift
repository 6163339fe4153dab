/// Colours. Each task kind has one colour in every figure; other series take the categorical
/// palette in order; signed values use a diverging blue–white–red scale centred at 0.
public enum Palette {
    /// Colour-blind-safe categorical colours (Okabe–Ito, without yellow).
    static let categorical = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999"]
    /// The colour of each task kind, wherever it appears.
    public static let tasks: [String: String] = [
        "pure": "#D55E00", "rule_of_thumb": "#0072B2", "correlated": "#CC79A7", "generalising": "#009E73",
    ]

    /// The colour of series `index` named `name`: its task kind's colour if the name is one (or
    /// says `task.kind=…` / `task=…"kind":…`), else the palette's `index`th colour.
    public static func color(for name: String, index: Int) -> String {
        for (kind, color) in tasks where name == kind || name.contains("\"\(kind)\"") || name.contains("=\(kind)") {
            return color
        }
        return categorical[index % categorical.count]
    }

    /// RGB of `v` in [−1, 1] on a diverging scale: blue (−1), white (0), red (+1).
    public static func diverging(_ v: Double) -> (UInt8, UInt8, UInt8) {
        let t = max(-1, min(1, v.isFinite ? v : 0))
        let blue = (33.0, 102.0, 172.0), red = (178.0, 24.0, 43.0), white = (247.0, 247.0, 247.0)
        let end = t < 0 ? blue : red, s = abs(t)
        func mix(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * s).rounded()) }
        return (mix(white.0, end.0), mix(white.1, end.1), mix(white.2, end.2))
    }

    /// RGB of class `c` (categorical colours).
    public static func category(_ c: Int) -> (UInt8, UInt8, UInt8) {
        let hex = Array(categorical[((c % categorical.count) + categorical.count) % categorical.count].dropFirst())
        func byte(_ i: Int) -> UInt8 { UInt8(String(hex[i..<(i + 2)]), radix: 16) ?? 0 }
        return (byte(0), byte(2), byte(4))
    }

    static func css(_ rgb: (UInt8, UInt8, UInt8)) -> String { "rgb(\(rgb.0),\(rgb.1),\(rgb.2))" }
}
