import Foundation
import RunStore

/// A sweep: a base config and the parameters to vary, in the shape of W&B
/// sweeps (`method`, `parameters` with `values` or `min`/`max`/`distribution`).
///
/// ```json
/// {"base": "../pure.json", "method": "grid",
///  "parameters": {"model.hidden": {"values": [[64], [256]]}, "seed": {"values": [0, 1]}}}
/// ```
public struct SweepSpec: Sendable {
    public enum Method: String, Sendable, CaseIterable { case grid, random }

    public enum Distribution: String, Sendable, CaseIterable {
        case uniform, log_uniform, int_uniform
    }

    public enum Parameter: Sendable, Equatable {
        case values([JSONValue])
        case range(min: Double, max: Double, distribution: Distribution)
    }

    public var name: String
    public var base: JSONValue
    public var baseName: String
    public var method: Method
    public var seed: UInt64
    public var runCap: Int?
    /// In document order: the order of the grid's nested loops (last varies fastest).
    public var parameters: [(path: String, parameter: Parameter)]

    public static func load(path: String) throws -> SweepSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError("", "cannot read sweep spec '\(path)': no such file or not readable")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch let e as JSONSyntaxError {
            throw ConfigError("", "\(e)").located(in: path)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            return try SweepSpec(
                json: json, directory: directory,
                defaultName: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        } catch let e as ConfigError {
            throw e.located(in: path)
        }
    }

    public init(json: JSONValue, directory: URL, defaultName: String) throws {
        let r = try ObjectReader(
            json, path: "",
            known: ["$schema", "name", "description", "base", "method", "seed", "run_cap", "parameters"])
        name = try r.string("name", default: defaultName)
        // The name becomes the default sweep directory: the same rule as a run's name.
        _ = try ConfigResolver.check(.name, .string(name), path: "name")
        switch r.value("base") {
        case let .string(relative)?:
            let url = URL(fileURLWithPath: relative, relativeTo: directory).standardizedFileURL
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ConfigError("base", "cannot read base config '\(relative)' (looked for \(url.path))")
            }
            do { base = try JSONParser.parse(text) } catch let e as JSONSyntaxError {
                throw ConfigError("base", "\(url.path): \(e)")
            }
            baseName = url.deletingPathExtension().lastPathComponent
        case let .object(pairs)?:
            base = .object(pairs)
            baseName = name
        case let other?:
            throw ConfigError(
                "base", "expected a config file path or an inline config object, got \(other.typeName) \(other.brief)")
        case nil:
            throw ConfigError("base", "a sweep needs a base config (a path relative to the spec, or an object)")
        }
        method = try r.choice("method", default: Method.grid)
        seed = UInt64(try r.int("seed", default: 0, atLeast: 0))
        runCap = r.has("run_cap") ? try r.int("run_cap", default: 1, atLeast: 1) : nil
        if method == .random, runCap == nil {
            throw ConfigError("run_cap", "a random sweep needs a run cap (the number of runs to draw)")
        }
        guard case let .object(params)? = r.value("parameters"), !params.isEmpty else {
            throw ConfigError(
                "parameters",
                "expected an object of dotted config paths, e.g. {\"model.hidden\": {\"values\": [[64], [256]]}}")
        }
        let chosen = method
        parameters = try params.map { key, value in
            let keys = key.split(separator: ".", omittingEmptySubsequences: false)
            guard keys.allSatisfy({ !$0.isEmpty }) else {
                throw ConfigError(
                    "parameters", "\"\(shown(key))\" is not a dotted config path like \"train.optimizer.lr\"")
            }
            return (key, try Self.parameter(value, path: "parameters.\(key)", method: chosen))
        }
    }

    private static func parameter(_ json: JSONValue, path: String, method: Method) throws -> Parameter {
        let r = try ObjectReader(json, path: path, known: ["values", "value", "min", "max", "distribution"])
        if let v = r.value("value") { return .values([v]) }
        if let v = r.value("values") {
            guard case let .array(items) = v, !items.isEmpty else {
                throw ConfigError("\(path).values", "expected a non-empty array")
            }
            return .values(items)
        }
        guard r.has("min"), r.has("max") else {
            throw ConfigError(path, "expected \"values\" (a list) or \"min\" and \"max\" (a range)")
        }
        if method == .grid {
            throw ConfigError(path, "a grid sweep needs \"values\"; ranges need \"method\": \"random\"")
        }
        let aliases = ["log_uniform_values": "log_uniform", "integer": "int_uniform", "q_uniform": "uniform"]
        var distributionName = try r.string("distribution", default: "uniform")
        distributionName = aliases[distributionName] ?? distributionName
        guard let distribution = Distribution(rawValue: distributionName) else {
            throw ConfigError(
                "\(path).distribution",
                "expected one of \"uniform\", \"log_uniform\", \"int_uniform\", got \"\(distributionName)\"")
        }
        let low = try r.double("min", default: 0), high = try r.double("max", default: 0)
        guard low <= high else {
            throw ConfigError(path, "min \(JSONValue.format(low)) is larger than max \(JSONValue.format(high))")
        }
        switch distribution {
        case .uniform:
            guard (high - low).isFinite else {
                throw ConfigError(path, "the range from min to max is too wide to draw from in double precision")
            }
        case .log_uniform:
            guard low > 0 else { throw ConfigError("\(path).min", "a log_uniform range needs min > 0") }
        case .int_uniform:
            let exact = 9_007_199_254_740_992.0  // 2⁵³: integers beyond it are not exact in JSON numbers
            guard low >= -exact, high <= exact else {
                throw ConfigError(path, "an int_uniform range must lie within ±2⁵³")
            }
            guard low.rounded(.up) <= high.rounded(.down) else {
                throw ConfigError(
                    path, "no integer lies between min \(JSONValue.format(low)) and max \(JSONValue.format(high))")
            }
        }
        return .range(min: low, max: high, distribution: distribution)
    }
}
