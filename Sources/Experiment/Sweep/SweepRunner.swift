import Foundation
import RunStore

/// Runs the points of a sweep as ordinary run directories under
/// `DIR/runs/<id>/`, each in its own `toymem run` process, `jobs` at a time.
/// Completed runs of the same config are skipped, so re-running the same
/// command resumes; anything else is (re)run. `index.csv` is rewritten after
/// every finished run.
public struct SweepRunner {
    public let spec: SweepSpec
    public let points: [SweepPoint]
    public let directory: URL
    public let jobs: Int
    public let failFast: Bool
    /// (i, n): run only points whose index ≡ i − 1 (mod n), 1 ≤ i ≤ n.
    public let shard: (index: Int, count: Int)?
    public let executable: URL

    public init(
        spec: SweepSpec, points: [SweepPoint], directory: URL, jobs: Int, failFast: Bool,
        shard: (index: Int, count: Int)?, executable: URL
    ) {
        self.spec = spec
        self.points = points
        self.directory = directory
        self.jobs = jobs
        self.failFast = failFast
        self.shard = shard
        self.executable = executable
    }

    public var myPoints: [SweepPoint] {
        guard let shard else { return points }
        return points.filter { $0.index % shard.count == shard.index - 1 }
    }

    public func runDirectory(_ point: SweepPoint) -> RunDirectory { point.runDirectory(in: directory) }

    public func isCompleted(_ point: SweepPoint) -> Bool { point.isCompleted(in: directory) }

    public struct Outcome {
        public var completed: [SweepPoint] = []
        public var skipped: [SweepPoint] = []
        public var failed: [(point: SweepPoint, status: String)] = []
        public var notStarted: [SweepPoint] = []
    }

    public func run(log: (String) -> Void) throws -> Outcome {
        let fm = FileManager.default
        for sub in ["runs", "configs", "logs"] {
            try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try SweepRecord.write(spec: spec, points: points, to: directory)
        var outcome = Outcome()
        var queue: [SweepPoint] = []
        for point in myPoints {
            if isCompleted(point) { outcome.skipped.append(point) } else { queue.append(point) }
        }
        try SweepIndex.write(points, spec: spec, to: directory)
        log(
            "sweep \(spec.name): \(myPoints.count) runs\(shard.map { " (shard \($0.index)/\($0.count))" } ?? ""), "
                + "\(outcome.skipped.count) already completed, \(queue.count) to run, \(jobs) at a time")
        var running: [(point: SweepPoint, process: Process)] = []
        var finished = 0
        var stop = false
        while !queue.isEmpty || !running.isEmpty {
            while !stop, running.count < jobs, !queue.isEmpty {
                let point = queue.removeFirst()
                running.append((point, try launch(point)))
            }
            if stop, running.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.02)
            for (i, job) in running.enumerated().reversed() where !job.process.isRunning {
                running.remove(at: i)
                finished += 1
                let status = RunMeta.peek(runDirectory(job.point).url)?.status ?? "failed"
                let label = job.point.assignments.map { "\($0.path)=\(SweepIndex.label($0.value))" }.joined(
                    separator: " ")
                if job.process.terminationStatus == 0, status == RunStatus.completed.rawValue {
                    outcome.completed.append(job.point)
                    log("[\(finished)/\(finished + running.count + queue.count)] completed \(job.point.id) \(label)")
                } else {
                    outcome.failed.append((job.point, status))
                    log(
                        "[\(finished)/\(finished + running.count + queue.count)] \(status.uppercased()) "
                            + "\(job.point.id) \(label) "
                            + "(log: \(directory.appendingPathComponent("logs/\(job.point.id).log").path))")
                    if failFast { stop = true }
                }
                try SweepIndex.write(points, spec: spec, to: directory)
            }
        }
        outcome.notStarted = queue
        try SweepIndex.write(points, spec: spec, to: directory)
        return outcome
    }

    private func launch(_ point: SweepPoint) throws -> Process {
        let configURL = directory.appendingPathComponent("configs/\(point.id).json")
        try AtomicFile.write(point.config.json, to: configURL)
        let logURL = directory.appendingPathComponent("logs/\(point.id).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["run", configURL.path, "--out", runDirectory(point).url.path, "--force", "--quiet"]
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        return process
    }
}
