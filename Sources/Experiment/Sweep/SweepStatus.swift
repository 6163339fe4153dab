import Foundation
import RunStore

/// Where every run of a sweep stands, read from the run directories, and — for a sweep submitted to
/// Slurm — where its recorded jobs stand in `squeue`.
///
/// A run's status is its `meta.json` status (completed, failed, diverged, running), or pending when it
/// has no run directory for its config yet. A Slurm sweep whose jobs have all left the queue cannot
/// still be running anything: its "running" runs were killed (time limit, scancel, node failure) and are
/// shown as interrupted; resuming the sweep runs them again. A directory with Slurm jobs but no sweep
/// (memorisation scores submitted with `--slurm`) shows its jobs only.
public struct SweepStatus {
    public static let statuses = ["completed", "failed", "diverged", "running", "interrupted", "pending"]

    public struct Entry {
        public let run: SweepRecord.Run
        public let status: String
        public let log: URL
    }

    /// One recorded Slurm job and its tasks still in the queue (empty once it has ended).
    public struct Job {
        public let id: String
        public let role: String
        public let queued: [SlurmClient.QueuedJob]
    }

    public let directory: URL
    public let name: String
    public let entries: [Entry]
    /// Nil when the sweep was never submitted to Slurm.
    public let slurmJobs: [Job]?

    /// `client` is asked for only if the sweep was submitted to Slurm; nil leaves Slurm out.
    public init(directory: URL, client: (() throws -> SlurmClient)?) throws {
        self.directory = directory
        let jobs = try SlurmJobs.read(directory)
        let record: SweepRecord
        if !FileManager.default.fileExists(atPath: SweepRecord.sweepFile(directory).path), !jobs.submissions.isEmpty {
            record = SweepRecord(name: directory.lastPathComponent, parameterPaths: [], runs: [])
        } else {
            record = try SweepRecord.read(directory)
        }
        name = record.name
        if jobs.submissions.isEmpty || client == nil {
            slurmJobs = nil
        } else {
            let queued = try client!().queued(jobs.allIDs)
            slurmJobs = jobs.submissions.flatMap { s in
                [(s.arrayJob, "array")] + (s.collectJob.map { [($0, "collect")] } ?? [])
            }.map { id, role in Job(id: id, role: role, queued: queued.filter { $0.jobID == id }) }
        }
        let nothingQueued = slurmJobs.map { $0.allSatisfy(\.queued.isEmpty) } ?? false
        entries = record.runs.map { run in
            let url = directory.appendingPathComponent("runs/\(run.id)")
            var status = "pending"
            if let meta = RunMeta.peek(url), meta.hash == run.configHash {
                status = meta.status == "running" && nothingQueued ? "interrupted" : meta.status
            }
            return Entry(run: run, status: status, log: directory.appendingPathComponent("logs/\(run.id).log"))
        }
    }

    public var counts: [(status: String, count: Int)] {
        Self.statuses.map { s in (s, entries.filter { $0.status == s }.count) }
    }

    /// Runs that ended without completing.
    public var problems: [Entry] { entries.filter { ["failed", "diverged", "interrupted"].contains($0.status) } }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("sweep", .string(name)), ("directory", .string(directory.path)), ("runs", .int(entries.count)),
            ("counts", .object(counts.map { ($0.status, .int($0.count)) })),
            (
                "problems",
                .array(
                    problems.map {
                        .object([
                            ("id", .string($0.run.id)), ("status", .string($0.status)),
                            ("parameters", .string($0.run.label)), ("log", .string($0.log.path)),
                        ])
                    })
            ),
        ]
        if let slurmJobs {
            pairs.append(
                (
                    "slurm",
                    .array(
                        slurmJobs.map { job in
                            .object([
                                ("job", .string(job.id)), ("role", .string(job.role)),
                                ("in_queue", .bool(!job.queued.isEmpty)),
                                (
                                    "tasks",
                                    .array(
                                        job.queued.map {
                                            .object([
                                                ("id", .string($0.id)), ("state", .string($0.state)),
                                                ("reason", .string($0.reason)),
                                            ])
                                        })
                                ),
                            ])
                        })
                ))
        }
        return .object(pairs)
    }

    public var text: String {
        var lines = ["sweep \(name): \(entries.count) runs in \(directory.path)"]
        lines.append(
            "  "
                + counts.filter { $0.count > 0 || $0.status == "completed" }.map { "\($0.count) \($0.status)" }
                .joined(separator: ", "))
        if let slurmJobs {
            for job in slurmJobs {
                if job.queued.isEmpty {
                    lines.append("  slurm \(job.role) job \(job.id): no longer queued")
                } else {
                    let states = Dictionary(grouping: job.queued, by: \.state).map { "\($0.value.count) \($0.key)" }
                    lines.append("  slurm \(job.role) job \(job.id): \(states.sorted().joined(separator: ", "))")
                }
            }
        }
        for p in problems {
            lines.append("  \(p.status): \(p.run.id) \(p.run.label) (log: \(p.log.path))")
        }
        return lines.joined(separator: "\n")
    }
}
