import ArgumentParser
import Experiment
import Foundation
import Reports
import RunStore

/// A sweep directory argument, shared by status, cancel and collect.
struct SweepDirectoryArgument: ParsableArguments {
    @Argument(help: "The sweep directory (holds sweep.json, runs/, index.csv).")
    var directory: String

    var url: URL { URL(fileURLWithPath: directory).standardizedFileURL }
}

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Where a sweep's runs stand: counts by status, Slurm job states, failed runs and their logs.",
        discussion: """
            Statuses come from the run directories: completed, failed, diverged, running, pending (no run
            yet). For a Slurm sweep the recorded jobs are looked up in squeue (not sacct, which needs
            accounting); once none is queued, runs still marked running were killed and show as interrupted.
            Exit code 0 whatever the runs' states; 2 if DIR is not a sweep directory or squeue fails.
            """)

    @OptionGroup var sweep: SweepDirectoryArgument

    @Flag(name: .long, help: "Print the status as JSON (counts, problems with log paths, Slurm jobs).")
    var json = false

    func run() throws {
        let status = try SweepStatus(directory: sweep.url, client: { try SlurmClient() })
        Console.out(json ? status.json.serialized(pretty: true) : status.text)
    }
}

struct SweepCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract:
            "Cancel the queued and running Slurm jobs of a sweep (or of memscore --slurm), by their recorded ids.",
        discussion: """
            Jobs are cancelled by id, never by name, collect jobs first (so none starts on a cancelled
            array), and the command waits until none is queued. Runs killed mid-way are not completed;
            submitting the sweep again resumes them.
            """)

    @OptionGroup var sweep: SweepDirectoryArgument

    func run() throws {
        if try SlurmJobs.read(sweep.url).submissions.isEmpty { _ = try SweepRecord.read(sweep.url) }
        let cancelled = try SlurmArray.cancel(directory: sweep.url, client: try SlurmClient())
        Console.out(
            cancelled.isEmpty
                ? "sweep \(sweep.url.path): no job of this sweep is queued or running"
                : "cancelled Slurm jobs \(cancelled.joined(separator: ", ")); nothing of this sweep is queued")
    }
}

struct SweepCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Rebuild a sweep's index.csv and report.html from its run directories.",
        discussion: """
            Re-plans the sweep from DIR/spec.json (written by every sweep), so it needs neither the spec
            file nor its base config. A Slurm sweep's collect job runs this when its array ends.
            """)

    @OptionGroup var sweep: SweepDirectoryArgument

    @Flag(name: .long, help: "Do not write the sweep report (report.html).")
    var noReport = false

    func run() throws {
        let directory = sweep.url
        let record = try SweepRecord.read(directory)
        let spec = try SweepSpec.load(directory: directory)
        let points = try spec.plan()
        guard points.map(\.config.hash) == record.runs.map(\.configHash) else {
            throw InputError(
                "\(directory.path): spec.json no longer plans the runs listed in sweep.json; run the sweep again")
        }
        try SweepIndex.write(points, spec: spec, to: directory)
        if !noReport { try SweepReport.write(directory: directory, spec: spec) }
        Console.out(try SweepStatus(directory: directory, client: nil).text)
    }
}
