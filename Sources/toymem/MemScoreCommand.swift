import ArgumentParser
import Experiment
import Foundation
import Reports
import RunStore

struct MemScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memscore",
        abstract: "Memorisation scores of every trained entity (Feldman & Zhang's subsampled estimator).",
        discussion: """
            Trains --models models of the config, each on a seeded random --fraction of the trained
            entities, in this process (--jobs at a time), and scores every trained entity e:
            mem(e) = P[correct on e | e in the subset] − P[correct on e | e not in it], with its
            standard error. Writes config.json, scores.csv (a, b, label, group, mem, se, n_in,
            n_out), summary.json (written last) and report.html. Results do not depend on --jobs.
            Example: toymem memscore configs/rule_of_thumb.json --models 100

            The same models give the influence of each trained entity i on each held-out entity j:
            infl(i, j) = P[correct on j | i in the subset] − P[correct on j | i not in it]. The summary
            averages it by relation (i shares j's row or column or not; same label or not);
            --influence also writes every pair to influence.safetensors (float32 [held-out, trained]).
            Computed where it is cheap: at most \(Influence.pairLimit) pairs.

            In parts: --part I/N trains only models m ≡ I−1 (mod N) into DIR/parts/; --from-parts N
            combines N parts into the scores (equal to one process's). --slurm submits the parts
            not yet computed as a Slurm job array (--runs-per-task models per task) with a collect
            job that combines them; the same command again resumes (docs/slurm.md).
            """
    )

    @OptionGroup var configArguments: ConfigArguments

    @Option(name: .long, help: "Models to train (each on its own random subset).")
    var models = 100

    @Option(name: .long, help: "Fraction of the trained entities in each model's subset, in (0, 1).")
    var fraction = 0.7

    @Option(name: .long, help: "Models trained at once (default: one per core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Output directory (default: Results/memscore/<name>/<short config hash>/).")
    var out: String?

    @Flag(name: .long, help: "Also write the influence of every trained on every held-out entity (safetensors).")
    var influence = false

    @Flag(name: .long, help: "Replace existing scores in the output directory.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Train only part I of N of the models, into DIR/parts/.", valueName: "I/N"))
    var part: String?

    @Option(name: .long, help: ArgumentHelp("Combine the N parts in DIR/parts/ into the scores.", valueName: "N"))
    var fromParts: Int?

    @OptionGroup(title: "Slurm") var slurmArguments: SlurmArguments

    @Flag(name: .long, help: "With --slurm: print the batch scripts and the map; submit and write nothing.")
    var dryRun = false

    func parsedPart() throws -> (index: Int, count: Int)? {
        try part.map { try parseSlice($0, option: "--part", limit: models, limitName: " ≤ --models") }
    }

    func validate() throws {
        guard (2...100_000).contains(models) else {
            throw ValidationError("--models must be in 2…100000, got \(models)")
        }
        guard fraction > 0, fraction < 1 else { throw ValidationError("--fraction must be in (0, 1), got \(fraction)") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be in 1…64, got \(jobs)") }
        _ = try parsedPart()
        if let fromParts, !(1...models).contains(fromParts) {
            throw ValidationError("--from-parts must be between 1 and --models (\(models)), got \(fromParts)")
        }
        if [part != nil, fromParts != nil, slurmArguments.slurm].filter({ $0 }).count > 1 {
            throw ValidationError("--part, --from-parts and --slurm exclude each other")
        }
        if dryRun, !slurmArguments.slurm { throw ValidationError("--dry-run needs --slurm") }
    }

    func run() throws {
        let config = try configArguments.load()
        let directory = URL(
            fileURLWithPath: out ?? "Results/memscore/\(config.name)/\(config.shortHash)")
        let fm = FileManager.default
        if fm.fileExists(atPath: directory.appendingPathComponent("summary.json").path), !force {
            Console.out("already computed: \(directory.path); use --force to compute again")
            return
        }
        if let contents = try? fm.contentsOfDirectory(atPath: directory.path), !contents.isEmpty,
            !fm.fileExists(atPath: directory.appendingPathComponent("scores.csv").path)
                && !fm.fileExists(atPath: directory.appendingPathComponent("config.json").path)
        {
            throw OutputError("\(directory.path) is not empty and holds no memorisation scores; choose another --out")
        }
        // --jobs models are in memory at once, and all --models take their turn.
        let estimate = ResourceEstimate(training: config), limits = MachineLimits.current
        guard estimate.bytes * Double(jobs) <= limits.memoryBytes else {
            throw ConfigError(
                "",
                "--jobs \(jobs): \(jobs) models at once need about \(Readable.bytes(estimate.bytes * Double(jobs))), "
                    + "more than \(limits.memorySource) (\(Readable.bytes(limits.memoryBytes))); use fewer jobs")
        }
        if let (index, count) = try parsedPart() {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            try AtomicFile.write(config.json, to: directory.appendingPathComponent("config.json"))
            let share = Array(stride(from: index - 1, to: models, by: count)).count
            try MemScore.trainPart(
                config, models: models, fraction: fraction, part: index, of: count, jobs: jobs, into: directory
            ) { done in Console.err("memscore part \(index)/\(count): \(done)/\(share) models") }
            Console.out(
                "part \(index)/\(count): \(share) models → \(MemScore.partFile(directory, part: index, of: count).path)"
            )
            return
        }
        if slurmArguments.slurm {
            let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
            // Nothing left to submit: combine the parts here.
            guard
                let parts = try MemScoreSlurm(
                    config: config, models: models, fraction: fraction, directory: directory,
                    arguments: slurmArguments, executable: executable, dryRun: dryRun, influenceFile: influence
                ).run()
            else { return }
            return try combine(config, parts: parts, directory: directory)
        }
        if let fromParts { return try combine(config, parts: fromParts, directory: directory) }
        try? fm.removeItem(at: directory.appendingPathComponent("summary.json"))
        let total = models
        let scores: MemScore
        do {
            let seconds = estimate.seconds(threads: 1) * Double(models) / Double(jobs)
            if seconds > 600 {
                Console.err(
                    "warning: \(models) models, \(jobs) at a time, will take up to roughly "
                        + Readable.duration(seconds)
                        + (config.train.stopWhenMemorised ? " (less when they memorise early)" : ""))
            }
            scores = try MemScore.estimate(config, models: models, fraction: fraction, jobs: jobs) { done in
                if done == total || done % max(1, total / 20) == 0 { Console.err("memscore: \(done)/\(total) models") }
            }
        }
        try finish(scores, config: config, directory: directory)
    }

    private func combine(_ config: ExperimentConfig, parts: Int, directory: URL) throws {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("summary.json"))
        let scores = try MemScore.combine(config, models: models, fraction: fraction, parts: parts, from: directory)
        try finish(scores, config: config, directory: directory)
    }

    private func finish(_ scores: MemScore, config: ExperimentConfig, directory: URL) throws {
        try MemScoreReport.write(scores, to: directory)
        try scores.write(to: directory, config: config, jobs: jobs, influenceFile: influence)
        let summary = scores.summary(jobs: jobs)
        var line =
            "memorisation scores of \(scores.entities.count) entities from \(models) models in "
            + String(format: "%.1f s", scores.seconds)
        if case let .object(groups)? = summary["groups"] {
            for (group, numbers) in groups {
                let mean = String(format: "%.3f", numbers["mean"]?.doubleValue ?? .nan)
                let above = String(format: "%.0f", 100 * (numbers["fraction_above_half"]?.doubleValue ?? .nan))
                line += "; \(group): mean \(mean), \(above)% above 0.5"
            }
        }
        Console.out(line + " → \(directory.path)")
        if case let .object(relations)? = summary["influence"]?["relations"] {
            let parts = relations.map { relation, numbers in
                "\(relation) \(String(format: "%+.4f", numbers["mean"]?.doubleValue ?? .nan))"
            }
            Console.out("mean influence on held-out entities: " + parts.joined(separator: ", "))
        } else if influence {
            Console.err("warning: no influence: no held-out entities, or more than \(Influence.pairLimit) pairs")
        }
    }
}
