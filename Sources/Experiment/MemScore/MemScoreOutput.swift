import Charts
import Foundation
import RunStore

/// What `toymem memscore` writes to its directory: `config.json` (the resolved config),
/// `scores.csv` (one row per trained entity: a, b, label, group, mem, se, n_in, n_out) and
/// `summary.json` (the settings, the time, per group the count, mean and median score and
/// the fraction scoring above 0.5, and the influence by relation), written last, so a directory with
/// `summary.json` is complete; with `influenceFile`, also `influence.safetensors` (`Influence`).
extension MemScore {
    public func write(to directory: URL, config: ExperimentConfig, jobs: Int, influenceFile: Bool = false) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(config.json, to: directory.appendingPathComponent("config.json"))
        try AtomicFile.write(csv, to: directory.appendingPathComponent("scores.csv"))
        let influenceURL = directory.appendingPathComponent("influence.safetensors")
        if influenceFile, let influence {
            try AtomicFile.write(influence.safetensors(data).encoded(), to: influenceURL)
        } else {
            try? FileManager.default.removeItem(at: influenceURL)
        }
        try AtomicFile.write(summary(jobs: jobs), to: directory.appendingPathComponent("summary.json"))
    }

    /// `scores.csv`: a, b, label, group, mem, se, n_in, n_out, one row per trained entity.
    public var csv: String {
        var csv = "a,b,label,group,mem,se,n_in,n_out\n"
        let (mem, se, groups) = (self.mem, standardError, self.groups)
        for (i, e) in entities.enumerated() {
            let cells = [
                "\(data.a[e])", "\(data.b[e])", "\(data.labels[0][e])", groups[i], mem[i].map { "\($0)" } ?? "",
                se[i].map { "\($0)" } ?? "", "\(inCount[i])", "\(outCount[i])",
            ]
            csv += cells.joined(separator: ",") + "\n"
        }
        return csv
    }

    public func summary(jobs: Int) -> JSONValue {
        let (mem, groups) = (self.mem, self.groups)
        var byGroup: [(key: String, value: JSONValue)] = []
        for group in groups.uniqued().sorted() {
            let scores = mem.indices.filter { groups[$0] == group }.compactMap { mem[$0] }.sorted()
            guard !scores.isEmpty else { continue }
            byGroup.append(
                (
                    group,
                    .object([
                        ("entities", .int(scores.count)),
                        ("mean", .double(scores.reduce(0, +) / Double(scores.count))),
                        ("median", .double(scores[scores.count / 2])),
                        (
                            "fraction_above_half",
                            .double(Double(scores.filter { $0 > 0.5 }.count) / Double(scores.count))
                        ),
                    ])
                ))
        }
        let all = mem.compactMap { $0 }
        return .object([
            ("estimator", .string("subsampled (Feldman & Zhang 2020)")),
            ("models", .int(models)), ("fraction", .double(fraction)), ("jobs", .int(jobs)),
            ("entities", .int(entities.count)), ("scored", .int(all.count)),
            ("mean", all.isEmpty ? .null : .double(all.reduce(0, +) / Double(all.count))),
            ("groups", .object(byGroup)), ("influence", influence?.summary ?? .null),
            ("seconds", .double(seconds)),
            ("task", .string(data.spec.kind.rawValue)),
        ])
    }
}
