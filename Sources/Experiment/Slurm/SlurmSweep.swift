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
    public var pending: [SweepPoint] {
        points.filter {
            RunDirectory(url: directory.appendingPathComponent("runs/\($0.id)")).state(forHash: $0.config.hash)
                != .completed
        }
    }

    public var scripts: SlurmScripts {
        SlurmScripts(
            sweepName: spec.name, directory: directory, executable: executable, options: options,
            runIDs: pending.map(\.id))
    }

    /// What was submitted.
    public struct Submission {
        public let arrayJob: String
        public let collectJob: String
        public let runIDs: [String]
        public let tasks: Int
    }

    /// Refuses (exit 2) a directory Slurm's `#SBATCH` lines cannot name, one holding another sweep,
    /// or a sweep whose earlier jobs are still in flight.
    public func check(client: SlurmClient) throws {
        if directory.path.contains(where: \.isWhitespace) || executable.path.contains(where: \.isWhitespace) {
            throw SlurmError(
                "\(directory.path.contains(where: \.isWhitespace) ? directory.path : executable.path) contains "
                    + "white space, which #SBATCH lines cannot hold; use a path without spaces")
        }
        try SweepRecord.checkBelongs(directory, to: spec)
        let inFlight = try client.queued(try SlurmJobs.read(directory).allIDs)
        guard inFlight.isEmpty else {
            let ids = Set(inFlight.map(\.jobID)).sorted().joined(separator: ", ")
            throw SlurmError(
                "jobs \(ids) of this sweep are still queued or running; submitting now would run their points "
                    + "twice. Wait for them (toymem sweep status \(directory.path)) or cancel them "
                    + "(toymem sweep cancel \(directory.path)), then submit again")
        }
    }

    /// Writes the configs, scripts and map, submits the array and its collect job, and records their ids.
    /// Returns nil when every point is already completed (nothing is submitted).
    public func submit(client: SlurmClient) throws -> Submission? {
        try check(client: client)
        let fm = FileManager.default
        for sub in ["runs", "configs", "logs", "slurm"] {
            try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try SweepRecord.write(spec: spec, points: points, to: directory)
        let todo = pending
        guard !todo.isEmpty else {
            try SweepIndex.write(points, spec: spec, to: directory)
            return nil
        }
        for point in todo {
            try AtomicFile.write(point.config.json, to: directory.appendingPathComponent("configs/\(point.id).json"))
        }
        let scripts = scripts
        try AtomicFile.write(scripts.map, to: scripts.mapFile)
        try AtomicFile.write(scripts.array, to: scripts.arrayScript)
        try AtomicFile.write(scripts.collect, to: scripts.collectScript)
        for script in [scripts.arrayScript, scripts.collectScript] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        try SweepIndex.write(points, spec: spec, to: directory)
        var jobs = try SlurmJobs.read(directory)
        let arrayJob = try client.submit(scripts.arrayScript, arguments: options.sbatchArguments)
        let iso = ISO8601DateFormatter()
        jobs.submissions.append(
            .init(
                arrayJob: arrayJob, collectJob: nil, runIDs: todo.map(\.id), runsPerTask: options.runsPerTask,
                submittedAt: iso.string(from: Date())))
        try jobs.write(to: directory)
        let collectJob: String
        do {
            collectJob = try client.submit(
                scripts.collectScript, arguments: options.sbatchArguments + ["--dependency=afterany:\(arrayJob)"])
        } catch {
            try? client.cancel([arrayJob])
            throw error
        }
        jobs.submissions[jobs.submissions.count - 1].collectJob = collectJob
        try jobs.write(to: directory)
        return Submission(
            arrayJob: arrayJob, collectJob: collectJob, runIDs: todo.map(\.id), tasks: scripts.tasks.count)
    }

    /// Blocks until `job` has left the queue, reporting progress (completed runs out of `runs`) as it changes.
    public static func wait(
        for job: String, runs: [SweepPoint], directory: URL, client: SlurmClient, log: (String) -> Void
    ) throws {
        var last = -1
        var delay = 0.5
        while try !client.queued([job]).isEmpty {
            let done = runs.filter {
                RunMeta.peek(directory.appendingPathComponent("runs/\($0.id)"))?.status == "completed"
            }.count
            if done != last {
                log("slurm: \(done)/\(runs.count) runs completed")
                last = done
            }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 5)
        }
    }

    /// Cancels every recorded job of the sweep that is still queued or running, and waits (at most
    /// `timeout` seconds) until none is left. Returns the job ids cancelled.
    @discardableResult
    public static func cancel(directory: URL, client: SlurmClient, timeout: Double = 60) throws -> [String] {
        let ids = try SlurmJobs.read(directory).allIDs
        let inFlight = Set(try client.queued(ids).map(\.jobID))
        let targets = ids.filter(inFlight.contains)
        try client.cancel(targets)
        let deadline = Date().addingTimeInterval(timeout)
        while try !client.queued(targets).isEmpty {
            guard Date() < deadline else {
                throw SlurmError(
                    "jobs \(targets.joined(separator: ", ")) are still queued \(Int(timeout)) s after scancel")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return targets
    }
}
