import Foundation

/// Canonical JSON text: keys sorted, integers without a fraction, other
/// numbers in Swift's shortest round-trip form. The config hash is computed
/// over this text, so equal configs hash equally. `sortedKeys: false` keeps document order instead, for
/// files where order means something (a sweep spec's parameters are its grid's nested loops).
extension JSONValue {
    public func serialized(pretty: Bool = false, sortedKeys: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil, sortedKeys: sortedKeys)
        return out
    }

    private func write(into out: inout String, indent: Int?, sortedKeys: Bool) {
        let newline = indent.map { "\n" + String(repeating: "  ", count: $0 + 1) } ?? ""
        let closing = indent.map { "\n" + String(repeating: "  ", count: $0) } ?? ""
        let inner = indent.map { $0 + 1 }
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(x, _): out += JSONValue.format(x)
        case let .string(s): out += JSONValue.quote(s)
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            // Arrays of scalars stay on one line even when pretty.
            let flat = items.allSatisfy {
                if case .array = $0 { return false }; if case .object = $0 { return false }; return true
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += flat && indent != nil ? ", " : "," }
                if !flat { out += newline }
                item.write(into: &out, indent: inner, sortedKeys: sortedKeys)
            }
            out += (flat ? "" : closing) + "]"
        case let .object(pairs):
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, pair) in (sortedKeys ? pairs.sorted(by: { $0.key < $1.key }) : pairs).enumerated() {
                if i > 0 { out += "," }
                out += newline + JSONValue.quote(pair.key) + (indent == nil ? ":" : ": ")
                pair.value.write(into: &out, indent: inner, sortedKeys: sortedKeys)
            }
            out += closing + "}"
        }
    }

    /// Integers print without a fraction; NaN and infinities, which JSON
    /// cannot hold, print as null.
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x.rounded() == x, abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
