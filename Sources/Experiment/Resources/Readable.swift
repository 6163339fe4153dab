import Foundation

/// Bytes and seconds as people read them: "3.2 GiB", "2.1 h".
public enum Readable {
    public static func bytes(_ b: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = b, unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) bytes" }
        return String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    public static func duration(_ s: Double) -> String {
        switch s {
        case ..<120: return String(format: "%.0f s", s)
        case ..<7200: return String(format: "%.0f min", s / 60)
        case ..<(2 * 86400): return String(format: "%.1f h", s / 3600)
        case ..<(2 * 365 * 86400): return String(format: "%.0f days", s / 86400)
        default: return String(format: "%.1g years", s / (365 * 86400))
        }
    }
}
