import ArgumentParser
import Experiment
import Foundation
import Reports
import RunStore

struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every point of a sweep spec as an ordinary run directory (locally or on Slurm).",
        discussion: """
            A sweep spec (JSON, schema in Configs/sweep.schema.json) names a base config,
            a method (grid or random, with seed and run_cap) and parameters keyed by dotted
            config paths with "values" or "min"/"max"/"distribution" (uniform, log_uniform,
            int_uniform), as in W&B sweeps. Seeds are an ordinary parameter ("seed").

            Runs land in DIR/runs/<id>/ (id = short config hash); DIR/index.csv has one row
            per run (id, swept values, status, headline numbers) and loads in pandas.
            Re-running the same command resumes: completed runs are skipped, failed or
            missing ones rerun. Exit code 1 if any run failed or diverged.

            With --slurm the points not yet completed are submitted as one Slurm job array
            (docs/slurm.md); the same command again resumes.
            """
    )

    @Argument(help: "The sweep spec (JSON).")
    var spec: String

    @Option(name: .long, help: "Sweep directory (default: Results/sweeps/<sweep name>/).")
    var out: String?

    @Option(
        name: .long,
        help:
            "Runs in parallel (default: one per core; each run uses one BLAS thread unless its config says otherwise).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "List the planned runs and what would be done, then exit.")
    var dryRun = false

    @Flag(name: .long, help: "Stop starting new runs after the first failure.")
    var failFast = false

    @Option(name: .long, help: "Run only shard I of N (1-based, e.g. 2/4): points whose index ≡ I−1 mod N.")
    var shard: String?

    @Flag(name: .long, help: "Do not write the sweep report (report.html).")
    var noReport = false

    @OptionGroup(title: "Slurm") var slurmArguments: SlurmArguments

    func parsedShard() throws -> (index: Int, count: Int)? {
        try shard.map { try parseSlice($0, option: "--shard") }
    }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        _ = try parsedShard()
        if slurmArguments.slurm, shard != nil || failFast {
            throw ValidationError("--shard and --fail-fast are for local sweeps; a Slurm sweep is one job array")
        }
    }

    func run() throws {
        let sweep = try SweepSpec.load(path: spec)
        let points: [SweepPoint]
        do { points = try sweep.plan() } catch let e as ConfigError { throw e.located(in: spec) }
        let directory = URL(fileURLWithPath: out ?? "Results/sweeps/\(sweep.name)").standardizedFileURL
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if slurmArguments.slurm {
            let slurm = SlurmSweep(
                spec: sweep, points: points, directory: directory, executable: Bundle.main.executableURL ?? executable,
                options: slurmArguments.options(threads: points.map(\.config.train.threads).max() ?? 1))
            return try SlurmSubmission(sweep: slurm, wait: slurmArguments.wait, dryRun: dryRun).run()
        }
        try SweepRecord.checkBelongs(directory, to: sweep)
        let runner = SweepRunner(
            spec: sweep, points: points, directory: directory, jobs: jobs, failFast: failFast,
            shard: try parsedShard(), executable: Bundle.main.executableURL ?? executable)
        if dryRun {
            Console.out("sweep \(sweep.name): \(points.count) runs planned → \(directory.path)")
            for point in runner.myPoints {
                let label = point.assignments.map { "\($0.path)=\($0.value.serialized())" }.joined(separator: " ")
                Console.out("  \(point.id)  \(runner.isCompleted(point) ? "completed, skip" : "would run")  \(label)")
            }
            return
        }
        let outcome = try runner.run(log: Console.err)
        if !noReport {
            try SweepReport.write(directory: directory, spec: sweep)
        }
        Console.out(
            "sweep \(sweep.name): \(outcome.completed.count) completed, \(outcome.skipped.count) skipped "
                + "(already done), "
                + "\(outcome.failed.count) failed → \(directory.appendingPathComponent("index.csv").path)")
        if !outcome.failed.isEmpty {
            for f in outcome.failed {
                Console.err("failed: \(f.point.id) (\(f.status)); log: \(directory.path)/logs/\(f.point.id).log")
            }
            if !outcome.notStarted.isEmpty {
                Console.err("not started (--fail-fast): \(outcome.notStarted.count) runs")
            }
            throw RunFailure(message: "\(outcome.failed.count) of \(runner.myPoints.count) runs failed")
        }
    }
}
