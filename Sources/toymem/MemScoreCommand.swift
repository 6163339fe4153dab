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

    @Flag(name: .long, help: "Replace existing scores in the output directory.")
    var force = false

    func validate() throws {
        guard (2...100_000).contains(models) else {
            throw ValidationError("--models must be in 2…100000, got \(models)")
        }
        guard fraction > 0, fraction < 1 else { throw ValidationError("--fraction must be in (0, 1), got \(fraction)") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be in 1…64, got \(jobs)") }
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
        let seconds = estimate.seconds(threads: 1) * Double(models) / Double(jobs)
        if seconds > 600 {
            Console.err(
                "warning: \(models) models, \(jobs) at a time, will take up to roughly \(Readable.duration(seconds))"
                    + (config.train.stopWhenMemorised ? " (less when they memorise early)" : ""))
        }
        try? fm.removeItem(at: directory.appendingPathComponent("summary.json"))
        let total = models
        let scores = try MemScore.estimate(config, models: models, fraction: fraction, jobs: jobs) { done in
            if done == total || done % max(1, total / 20) == 0 { Console.err("memscore: \(done)/\(total) models") }
        }
        try MemScoreReport.write(scores, to: directory)
        try scores.write(to: directory, config: config, jobs: jobs)
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
    }
}
