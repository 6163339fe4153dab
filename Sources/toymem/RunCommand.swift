import ArgumentParser
import Experiment
import Foundation
import Reports
import RunStore

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train one experiment config into a run directory.",
        discussion: """
            Writes config.json (resolved, every default filled), meta.json (status, hash,
            times; written last), metrics.jsonl (one line per evaluation), summary.json,
            model.safetensors and data.safetensors.

            Without --out, the run lands in Results/<config name>/<short config hash>/.
            Re-running a completed identical config does nothing unless --force.
            Overrides set any config field: model.hidden=[512] train.steps=2000
            task.kind=rule_of_thumb (values are JSON; bare words are strings).
            """
    )

    @OptionGroup var configArguments: ConfigArguments

    @Option(name: .long, help: "Run directory to write (default: Results/<name>/<hash>/).")
    var out: String?

    @Flag(name: .long, help: "Replace an existing run in the output directory.")
    var force = false

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    func run() throws {
        let config = try configArguments.load()
        let directory =
            out.map { RunDirectory(url: URL(fileURLWithPath: $0)) }
            ?? config.defaultDirectory(root: URL(fileURLWithPath: "Results"))
        switch directory.state(forHash: config.hash) {
        case .completed where !force:
            Console.out(
                "already completed: \(directory.url.path) (config \(config.shortHash)); use --force to run again")
            return
        case let .completedDifferentConfig(hash) where !force:
            throw OutputError(
                "\(directory.url.path) holds a completed run of a different config (hash \(hash.prefix(8))); use "
                    + "--force to replace it or choose another --out"
            )
        case .foreign where !force:
            throw OutputError(
                "\(directory.url.path) is not empty and is not a toymem run directory; choose another --out")
        default:
            break
        }
        warnIfOversubscribed(config.train.threads)
        let display = ProgressDisplay(quiet: quiet, label: config.name)
        let outcome = try Runner(config: config, directory: directory).run(progress: display.update) {
            try RunReport.write($0, threads: config.train.threads)
        }
        display.finish()
        switch outcome.status {
        case .completed:
            Console.out(SummaryLine.text(outcome.summary!, directory: directory.url.path))
        case .diverged:
            throw RunFailure(
                message:
                    "run diverged (\(outcome.message ?? "non-finite loss")); see \(directory.url.path)/metrics.jsonl")
        case .failed, .running:
            throw RunFailure(message: "run failed: \(outcome.message ?? "unknown error")")
        }
    }
}

/// The one-paragraph result printed after a run.
enum SummaryLine {
    static func text(_ s: JSONValue, directory: String) -> String {
        func pct(_ key: String) -> String { s[key]?.doubleValue.map { String(format: "%.1f%%", 100 * $0) } ?? "n/a" }
        func num(_ key: String, _ format: String) -> String {
            s[key]?.doubleValue.map { String(format: format, $0) } ?? "n/a"
        }
        return """
            trained \(num("steps", "%.0f")) steps in \(num("wall_seconds", "%.1f")) s → \(directory)
              accuracy: trained \(pct("train_accuracy")), held-out \(pct("heldout_accuracy"))\
             (base rate \(pct("base_rate")))
              memorised \(num("bits_memorised", "%.0f")) bits with \(num("params", "%.0f")) parameters\
             = \(num("bits_per_param", "%.3f")) bits/param
            """
    }
}
