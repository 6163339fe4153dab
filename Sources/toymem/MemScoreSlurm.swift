import Experiment
import Foundation
import RunStore

/// `toymem memscore CONFIG --slurm`: the parts not yet computed (`--runs-per-task` models each) as one
/// Slurm job array, and a collect job that combines every part into the scores; with --wait, blocks
/// until the collect job ends and exits 1 if it wrote no scores. When every part is already computed it
/// submits nothing and returns the number of parts, for the caller to combine here.
struct MemScoreSlurm {
    let config: ExperimentConfig
    let models: Int
    let fraction: Double
    let directory: URL
    let arguments: SlurmArguments
    let executable: URL
    let dryRun: Bool
    /// Whether the collect job also writes `influence.safetensors`.
    let influenceFile: Bool

    func run() throws -> Int? {
        let options = arguments.options(threads: config.train.threads)
        let parts = (models + options.runsPerTask - 1) / options.runsPerTask
        let configFile = directory.appendingPathComponent("config.json")
        let common = [
            "--models", "\(models)", "--fraction", "\(fraction)", "--jobs", "\(options.cpusPerTask)", "--out",
            directory.path,
        ]
        let work = SlurmWork(
            title: "toymem memscore '\(config.name)'", itemNoun: "parts", submitter: "toymem memscore --slurm",
            itemCommand: "\"$toymem\" memscore \"$dir/config.json\" --part \"$item/\(parts)\" "
                + common.dropLast(2).map(SlurmScripts.quoted).joined(separator: " ") + " --out \"$dir\"",
            itemLog: "$dir/logs/part-$item.log",
            collectArguments: ["memscore", configFile.path, "--from-parts", "\(parts)"] + common
                + (influenceFile ? ["--influence"] : []),
            collectPurpose: "Combines the \(parts) parts of toymem memscore '\(config.name)' into the scores")
        let missing = MemScore.missingParts(directory, parts: parts).map(String.init)
        // Each part already holds --runs-per-task models: one part per array task.
        var perPart = options
        perPart.runsPerTask = 1
        let scripts = SlurmScripts(
            work: work, directory: directory, executable: executable, options: perPart, items: missing)
        if dryRun {
            Console.out(
                "memscore \(config.name): \(models) models in \(parts) parts, \(missing.count) to submit → "
                    + "\(directory.path) (dry run: nothing submitted)\n" + scripts.preview)
            return nil
        }
        let client = try SlurmClient()
        try SlurmArray.check(directory: directory, executable: executable, client: client)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(config.json, to: configFile)
        guard !missing.isEmpty else { return parts }
        let submission = try SlurmArray(scripts: scripts).submit(client: client)
        Console.out(
            "memscore \(config.name): submitted \(missing.count) of \(parts) parts (\(models) models) as Slurm array "
                + "job \(submission.arrayJob) and collect job \(submission.collectJob) → \(directory.path)")
        guard arguments.wait else { return nil }
        var last = -1
        try SlurmArray.wait(for: submission.collectJob, client: client) {
            let done = parts - MemScore.missingParts(directory, parts: parts).count
            if done != last { Console.err("slurm: \(done)/\(parts) parts computed") }
            last = done
        }
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("summary.json").path) else {
            throw RunFailure(
                message:
                    "the collect job wrote no scores; see \(directory.path)/logs/ (slurm-collect-*.out, part-*.log)")
        }
        Console.out("memorisation scores → \(directory.path)")
        return nil
    }
}
