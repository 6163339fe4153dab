import Foundation
import Randomness
import RunStore

/// One planned run of a sweep: its swept values, validated config and id.
public struct SweepPoint: Sendable {
    public let index: Int
    public let assignments: [(path: String, value: JSONValue)]
    public let config: ExperimentConfig
    /// The run's directory name: the short config hash.
    public var id: String { config.shortHash }

    /// Its run directory in a sweep directory: `DIR/runs/<id>`.
    public func runDirectory(in sweep: URL) -> RunDirectory {
        RunDirectory(url: sweep.appendingPathComponent("runs").appendingPathComponent(id))
    }

    /// Whether the sweep directory holds a completed run of this point's config.
    public func isCompleted(in sweep: URL) -> Bool {
        runDirectory(in: sweep).state(forHash: config.hash) == .completed
    }
}

extension SweepSpec {
    /// The most points a sweep may plan: each is a run directory and a config in memory, and
    /// 100,000 runs of even a few seconds are days of work.
    public static let maximumPoints = 100_000

    /// How many points the spec describes, computed without building them (saturating, never overflowing).
    public var pointCount: Int {
        switch method {
        case .grid:
            var count = 1
            for case let (_, .values(values)) in parameters {
                let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
                count = overflow ? Int.max : product
            }
            return min(count, runCap ?? Int.max)
        case .random:
            return runCap ?? 1
        }
    }

    /// Every point of the sweep, each config validated as the run will read it, and checked against
    /// this machine's memory; a bad point stops the sweep before anything runs (its error names the point).
    public func plan(limits: MachineLimits = .current) throws -> [SweepPoint] {
        guard pointCount <= Self.maximumPoints else {
            throw ConfigError(
                method == .grid && runCap == nil ? "parameters" : "run_cap",
                "this sweep has \(pointCount == Int.max ? "more than \(Int.max)" : "\(pointCount)") points; "
                    + "at most \(Self.maximumPoints) are supported (set run_cap or split the sweep)")
        }
        var assignments: [[(path: String, value: JSONValue)]] = []
        switch method {
        case .grid:
            assignments = [[]]
            for (path, parameter) in parameters {
                guard case let .values(values) = parameter else { continue }
                assignments = assignments.flatMap { prefix in values.map { prefix + [(path, $0)] } }
            }
            if let runCap { assignments = Array(assignments.prefix(runCap)) }
        case .random:
            var rng = SeededGenerator(seed: seed).split(salt: 71)
            for _ in 0..<(runCap ?? 1) {
                assignments.append(parameters.map { path, parameter in (path, Self.draw(parameter, using: &rng)) })
            }
        }
        var points: [SweepPoint] = [], seen: Set<String> = []
        for (i, point) in assignments.enumerated() {
            var json = base
            if case .object = json {} else { json = .object([]) }
            do {
                for (path, value) in point { json = try ConfigLoader.apply(path, value: value, to: json) }
                let config = try ExperimentConfig(json: json, defaultName: baseName)
                // The run reads the config back from its file: it must mean the same there.
                let reread = try ExperimentConfig(json: try JSONParser.parse(config.json.serialized()), defaultName: "")
                guard reread.hash == config.hash else {
                    throw ConfigError("parameters", "a drawn value does not survive being written as JSON")
                }
                try ResourceEstimate(training: config).check(against: limits)
                guard seen.insert(config.hash).inserted else { continue }  // a repeated draw is one run
                points.append(SweepPoint(index: points.count, assignments: point, config: config))
            } catch let error as ConfigError {
                let described = point.map { "\(shown($0.path))=\(shown($0.value.serialized()))" }.joined(separator: " ")
                throw ConfigError(error.path, "\(error.message) (sweep point \(i + 1): \(described))")
            }
        }
        return points
    }

    static func draw(_ parameter: Parameter, using rng: inout SeededGenerator) -> JSONValue {
        switch parameter {
        case let .values(values):
            return values[Int.random(in: 0..<values.count, using: &rng)]
        case let .range(low, high, .uniform):
            return .double(low + (high - low) * rng.nextUnitDouble())
        case let .range(low, high, .log_uniform):
            return .double(exp(log(low) + (log(high) - log(low)) * rng.nextUnitDouble()))
        case let .range(low, high, .int_uniform):
            return .int(Int.random(in: Int(low.rounded(.up))...Int(high.rounded(.down)), using: &rng))
        }
    }
}
