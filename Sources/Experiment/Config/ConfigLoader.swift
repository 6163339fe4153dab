import Foundation
import RunStore

/// Reads a config file, applies command-line overrides and validates it.
public enum ConfigLoader {
    /// Loads `path` (name defaults to the file's stem) with `key.path=JSON` overrides applied.
    /// Errors name the file; an override's error names the override.
    public static func load(path: String, overrides: [String] = []) throws -> ExperimentConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError("", "cannot read config file '\(path)': \(Self.reason(error, path: path))")
        }
        var json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch let e as JSONSyntaxError {
            throw ConfigError("", "\(e)").located(in: path)
        }
        for override in overrides {
            do { json = try apply(override, to: json) } catch let e as ConfigError {
                throw e.located(in: "override '\(shown(override))'")
            }
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        do { return try ExperimentConfig(json: json, defaultName: stem) } catch let e as ConfigError {
            throw e.located(in: path)
        }
    }

    private static func reason(_ error: Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return "not valid UTF-8 text"
    }

    /// Applies one `dotted.path=value` override. The value is parsed as
    /// JSON; a bare word that is not JSON (`model.activation=gelu`) is taken
    /// as a string. Unknown keys are caught by validation afterwards.
    public static func apply(_ override: String, to json: JSONValue) throws -> JSONValue {
        guard let eq = override.firstIndex(of: "="), eq != override.startIndex else {
            throw ConfigError("", "expected key.path=value, e.g. train.steps=500")
        }
        let keyPath = String(override[..<eq])
        let text = String(override[override.index(after: eq)...])
        let value: JSONValue
        if let parsed = try? JSONParser.parse(text) {
            value = parsed
        } else if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) {
            value = .string(text)
        } else {
            throw ConfigError(
                keyPath, "value '\(shown(text))' is not valid JSON (quote strings: \(keyPath)='\"text\"')")
        }
        return try apply(keyPath, value: value, to: json)
    }

    /// Sets the value at a dotted key path, creating objects on the way.
    public static func apply(_ keyPath: String, value: JSONValue, to json: JSONValue) throws -> JSONValue {
        let keys = keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard keys.allSatisfy({ !$0.isEmpty }) else { throw ConfigError(keyPath, "key path has an empty component") }
        return try set(value, at: keys[...], in: json, path: "")
    }

    private static func set(_ value: JSONValue, at keys: ArraySlice<String>, in json: JSONValue, path: String) throws
        -> JSONValue
    {
        guard let key = keys.first else { return value }
        let here = path.isEmpty ? key : "\(path).\(key)"
        var pairs: [(key: String, value: JSONValue)]
        switch json {
        case let .object(p): pairs = p
        case .null: pairs = []
        default: throw ConfigError(path, "cannot set '\(key)' inside \(json.typeName)")
        }
        let existing = pairs.first { $0.key == key }?.value ?? .null
        let updated = try set(value, at: keys.dropFirst(), in: existing, path: here)
        if let i = pairs.firstIndex(where: { $0.key == key }) {
            pairs[i].value = updated
        } else {
            pairs.append((key, updated))
        }
        return .object(pairs)
    }
}
