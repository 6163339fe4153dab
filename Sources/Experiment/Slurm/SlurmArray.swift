import Foundation
import RunStore

/// One Slurm job array over a list of work items plus a dependent collect job, recorded in
/// `DIR/slurm/jobs.json`: what sweeps and memorisation scores submit. Never submits while an earlier
/// submission of the same directory is still queued or running, so no item runs twice.
public struct SlurmArray {
    public let scripts: SlurmScripts
    public var directory: URL { scripts.directory }

    public init(scripts: SlurmScripts) { self.scripts = scripts }

    public struct Submission {
        public let arrayJob: String
        public let collectJob: String
        public let items: [String]
        public let tasks: Int
    }

    /// Refuses (exit 2) paths `#SBATCH` lines cannot hold, and a directory whose earlier jobs are in flight.
    public static func check(directory: URL, executable: URL, client: SlurmClient) throws {
        for path in [directory.path, executable.path] where path.contains(where: \.isWhitespace) {
            throw SlurmError("\(path) contains white space, which #SBATCH lines cannot hold; use a path without spaces")
        }
        let inFlight = try client.queued(try SlurmJobs.read(directory).allIDs)
        guard inFlight.isEmpty else {
            let ids = Set(inFlight.map(\.jobID)).sorted().joined(separator: ", ")
            throw SlurmError(
                "jobs \(ids) submitted from \(directory.path) are still queued or running; submitting now would "
                    + "run their work twice. Wait for them (toymem sweep status \(directory.path)) or cancel them "
                    + "(toymem sweep cancel \(directory.path)), then submit again")
        }
    }

    /// Writes the scripts and the map, submits the array and its collect job, and records their ids.
    public func submit(client: SlurmClient) throws -> Submission {
        let fm = FileManager.default
        for sub in ["logs", "slurm"] {
            try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try AtomicFile.write(scripts.map, to: scripts.mapFile)
        try AtomicFile.write(scripts.array, to: scripts.arrayScript)
        try AtomicFile.write(scripts.collect, to: scripts.collectScript)
        for script in [scripts.arrayScript, scripts.collectScript] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        var jobs = try SlurmJobs.read(directory)
        let arguments = scripts.options.sbatchArguments
        let arrayJob = try client.submit(scripts.arrayScript, arguments: arguments)
        let items = scripts.tasks.flatMap { $0 }
        jobs.submissions.append(
            .init(
                arrayJob: arrayJob, collectJob: nil, items: items, runsPerTask: scripts.options.runsPerTask,
                submittedAt: ISO8601DateFormatter().string(from: Date())))
        try jobs.write(to: directory)
        let collectJob: String
        do {
            collectJob = try client.submit(
                scripts.collectScript, arguments: arguments + ["--dependency=afterany:\(arrayJob)"])
        } catch {
            try? client.cancel([arrayJob])
            throw error
        }
        jobs.submissions[jobs.submissions.count - 1].collectJob = collectJob
        try jobs.write(to: directory)
        return Submission(arrayJob: arrayJob, collectJob: collectJob, items: items, tasks: scripts.tasks.count)
    }

    /// Blocks until `job` has left the queue, calling `progress` (which reports what is done) as it goes.
    public static func wait(for job: String, client: SlurmClient, progress: () -> Void) throws {
        var delay = 0.5
        while try !client.queued([job]).isEmpty {
            progress()
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 5)
        }
    }

    /// Cancels every recorded job of the directory that is still queued or running, and waits (at most
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
