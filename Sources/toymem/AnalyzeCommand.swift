import ArgumentParser
import Experiment
import Foundation
import Reports
import RunStore

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "(Re)compute the analysis of a completed run into RUN_DIR/analysis/.",
        discussion: """
            Writes analysis/summary.json (per hook: interaction share, sparsity, effective
            dimension, hash scores; the lookup decomposition; probes; ablation curves;
            capacity), analysis/neurons.csv (one row per neuron per layer) and
            analysis/tables.safetensors (activation tables over the grid). See
            docs/measurements.md for what every number means.
            The run must be completed and its files intact; otherwise exit code 2.
            """
    )

    @Argument(help: "A run directory written by toymem run.")
    var runDirectory: String

    @Option(
        name: .long, parsing: .upToNextOption,
        help: "Analyses to run (default: the config's list, or all).")
    var only: [AnalysisChoice] = []

    @Option(
        name: .long,
        help: "The hook the sae analysis reads (default: the config's sae.hook, else blocks.0.mlp.hook_post).")
    var hook: String?

    @OptionGroup var threadsOption: ThreadsOption

    func run() throws {
        let directory = RunDirectory(url: URL(fileURLWithPath: runDirectory))
        Console.err("analysing \(directory.url.path) (a million-entity grid takes about 20 s) …")
        if let threads = threadsOption.threads { warnIfOversubscribed(threads) }
        let summary = try Analyze.run(
            directory: directory, names: only.isEmpty ? nil : only.map(\.name),
            threads: threadsOption.threads, saeHook: hook)
        try RunReport.write(directory, threads: threadsOption.threads ?? 1)
        Console.out("analysis written to \(directory.file("analysis").path)")
        if let lookup = summary["lookup"], let k90 = lookup["k90_median"]?.doubleValue {
            Console.out(
                String(
                    format: "  lookup: k90 median %.0f of %d components, reconstruction error %.2g",
                    k90, lookup["components"]?.intValue ?? 0, lookup["reconstruction_max_error"]?.doubleValue ?? .nan))
        }
        if case let .array(probes)? = summary["probes"] {
            for p in probes where p["feature"]?.stringValue == "label" && p["regime"]?.stringValue == "heldout" {
                Console.out(
                    "  probe \(p["hook"]?.stringValue ?? "") label on held-out entities: "
                        + String(
                            format: "%.1f%% (base rate %.1f%%)", 100 * (p["accuracy"]?.doubleValue ?? .nan),
                            100 * (p["base_rate"]?.doubleValue ?? .nan)))
            }
        }
    }
}
