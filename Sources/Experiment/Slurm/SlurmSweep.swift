import Foundation
import RunStore

/// A sweep run as one Slurm job array plus a dependent collect job, in the ordinary sweep directory:
/// runs in `DIR/runs/<id>`, logs in `DIR/logs`, scripts, map and job ids in `DIR/slurm/`.
/// Submitting again resumes: only runs not yet completed are submitted, and never while the sweep's
/// earlier jobs are still queued or running.
public struct SlurmSweep {
    public let spec: SweepSpec
    public let points: [SweepPoint]
    public let directory: URL
    public let executable: URL
    public let options: SlurmOptions

    public init(spec: SweepSpec, points: [SweepPoint], directory: URL, executable: URL, options: SlurmOptions) {
        self.spec = spec
        self.points = points
        self.directory = directory
        self.executable = executable
        self.options = options
    }

    /// The points not yet completed: what a submission carries.
    public var pending: [SweepPoint] { points.filter { !$0.isCompleted(in: directory) } }

    /// Each array task runs its points through the ordinary run path.
    public var work: SlurmWork {
        SlurmWork(
            title: "toymem sweep '\(spec.name)'", itemNoun: "runs", submitter: "toymem sweep --slurm",
            itemCommand: #""$toymem" run "$dir/configs/$item.json" --out "$dir/runs/$item" --force --quiet"#,
            itemLog: "$dir/logs/$item.log", collectArguments: ["sweep", "collect", directory.path],
            collectPurpose: "Rebuilds index.csv and report.html of toymem sweep '\(spec.name)'")
    }

    public var scripts: SlurmScripts {
        SlurmScripts(
            work: work, directory: directory, executable: executable, options: options, items: pending.map(\.id))
    }

    /// Writes the configs and the sweep record, then submits the pending points; nil when every point is
    /// already completed (nothing is submitted). Refuses (exit 2) a directory holding another sweep.
    public func submit(client: SlurmClient) throws -> SlurmArray.Submission? {
        try SlurmArray.check(directory: directory, executable: executable, client: client)
        try SweepRecord.checkBelongs(directory, to: spec)
        for sub in ["runs", "configs"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try SweepRecord.write(spec: spec, points: points, to: directory)
        let todo = pending
        for point in todo {
            try AtomicFile.write(point.config.json, to: directory.appendingPathComponent("configs/\(point.id).json"))
        }
        try SweepIndex.write(points, spec: spec, to: directory)
        guard !todo.isEmpty else { return nil }
        return try SlurmArray(scripts: scripts).submit(client: client)
    }
}
