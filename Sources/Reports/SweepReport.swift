import Charts
import Experiment
import Foundation
import RunStore

/// `report.html` of a sweep: for every swept parameter other than the seed,
/// the headline numbers against it, one line per combination of the other
/// parameters, mean over seeds with a min–max band; and bits memorised
/// against parameter count.
public enum SweepReport {
    public static func write(directory: URL, spec: SweepSpec) throws {
        let points = try spec.plan()
        let rows: [(assignments: [(path: String, value: JSONValue)], numbers: [String: JSONValue])] = points.compactMap
        { p in
            let run = directory.appendingPathComponent("runs/\(p.id)")
            guard RunMeta.peek(run)?.status == RunStatus.completed.rawValue else { return nil }
            return (p.assignments, SweepIndex.headline(run))
        }
        // Parameters with a single value (fixed settings) are not swept.
        let swept = spec.parameters.filter { path, parameter in
            guard path != "seed" else { return false }
            if case let .values(values) = parameter { return values.count > 1 }
            return true
        }.map(\.path)
        var figures: [Figure] = []
        let unbounded = 0...Double.greatestFiniteMagnitude
        let metrics: [(key: String, label: String, bounds: ClosedRange<Double>)] = [
            ("heldout_accuracy", "held-out accuracy (fraction)", 0...1),
            ("train_accuracy", "trained accuracy (fraction)", 0...1),
            ("bits_per_param", "bits memorised per parameter", unbounded),
            ("probe_label_heldout", "held-out label probe accuracy (last hook_post)", 0...1),
        ]
        for parameter in swept {
            let values = (rows.compactMap { r in r.assignments.first { $0.path == parameter }?.value.serialized() })
                .uniqued()
            let numeric = values.allSatisfy { numericValue($0) != nil }
            let position: (String) -> Double = { numeric ? numericValue($0)! : Double(values.firstIndex(of: $0)!) }
            for metric in metrics {
                var groups: [String: [Double: [Double]]] = [:]
                for r in rows {
                    guard let v = r.assignments.first(where: { $0.path == parameter })?.value.serialized(),
                        let y = r.numbers[metric.key]?.doubleValue
                    else { continue }
                    let others = r.assignments.filter { $0.path != parameter && $0.path != "seed" }
                        .map { "\($0.path)=\(SweepIndex.label($0.value))" }.joined(separator: " ")
                    groups[others.isEmpty ? "all runs" : others, default: [:]][position(v), default: []].append(y)
                }
                guard !groups.isEmpty else { continue }
                let series = groups.keys.sorted().map { key -> Series in
                    let byX = groups[key]!.sorted { $0.key < $1.key }
                    return Series(
                        name: key, points: byX.map { ($0.key, $0.value.reduce(0, +) / Double($0.value.count)) },
                        spread: byX.map { ($0.key, $0.value.min()!, $0.value.max()!) })
                }
                let title = "\(metric.label) vs \(parameter) (mean, min–max over seeds)"
                let name = "\(metric.key)_vs_\(parameter)"
                if numeric {
                    let sum = values.first?.hasPrefix("[") == true ? " (sum over layers)" : ""
                    figures.append(
                        Chart.line(
                            name: name, title: title, x: parameter + sum, y: metric.label, series: series,
                            yBounds: metric.bounds))
                } else {
                    figures.append(
                        Chart.points(
                            name: name, title: title, x: parameter, y: metric.label, series: series,
                            categories: values.map { SweepIndex.label((try? JSONParser.parse($0)) ?? .string($0)) },
                            yBounds: metric.bounds))
                }
            }
        }
        let capacityPoints = rows.compactMap { r -> (x: Double, y: Double)? in
            guard let x = r.numbers["params"]?.doubleValue, let y = r.numbers["bits_memorised"]?.doubleValue else {
                return nil
            }
            return (x, y)
        }.sorted { $0.x < $1.x }
        if !capacityPoints.isEmpty {
            figures.append(
                Chart.line(
                    name: "bits_vs_params", title: "Bits memorised vs parameters", x: "parameters (count)",
                    y: "bits memorised", series: [Series(name: "runs", points: capacityPoints)], yBounds: unbounded))
        }
        let intro =
            "Sweep <code>\(Chart.escape(spec.name))</code>: \(rows.count) of \(points.count) runs completed. "
            + "Numbers per run are in <a href=\"index.csv\">index.csv</a>."
        try ReportPage.write(title: "toymem sweep \(spec.name)", intro: intro, figures: figures, to: directory)
    }

    /// A number, or the sum of an array of numbers (e.g. hidden widths); nil otherwise.
    static func numericValue(_ serialized: String) -> Double? {
        guard let v = try? JSONParser.parse(serialized) else { return nil }
        if let x = v.doubleValue { return x }
        if case let .array(items) = v, !items.isEmpty, items.allSatisfy({ $0.doubleValue != nil }) {
            return items.compactMap(\.doubleValue).reduce(0, +)
        }
        return nil
    }
}
