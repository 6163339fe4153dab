import Foundation
import ArgumentParser
import Benchmarks
import Experiment
import RunStore

/// A config file and its command-line overrides, shared by `run` and `validate`.
struct ConfigArguments: ParsableArguments {
    @Argument(help: "The experiment config (JSON).")
    var config: String

    @Argument(help: "Overrides, key.path=value (the value parsed as JSON; bare words are strings).")
    var overrides: [String] = []

    /// The config, refused (exit 2) if it cannot fit in this machine's memory; warns when it will take long.
    func load() throws -> ExperimentConfig {
        let loaded = try ConfigLoader.load(path: config, overrides: overrides)
        let estimate = ResourceEstimate(training: loaded)
        do { try estimate.check(against: .current) } catch let e as ConfigError { throw e.located(in: config) }
        if let warning = estimate.longWarning(threads: loaded.train.threads) { Console.err("warning: \(warning)") }
        return loaded
    }
}

/// `--threads`, shared by the commands that compute.
struct ThreadsOption: ParsableArguments {
    @Option(
        name: .long,
        help: """
            Worker threads (toymem's own pool; OpenBLAS stays single-threaded). Results are bit-identical \
            for the same thread count.
            """)
    var threads: Int?

    func validate() throws {
        if let threads, !(1...64).contains(threads) {
            throw ValidationError("--threads must be between 1 and 64, got \(threads)")
        }
    }
}

/// An analysis name from the registry, for `--only`.
struct AnalysisChoice: ExpressibleByArgument {
    let name: String

    init?(argument: String) {
        guard AnalysisRegistry.names.contains(argument) else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { AnalysisRegistry.names }
}

/// A standard benchmark workload, for `--workload`.
struct WorkloadChoice: ExpressibleByArgument {
    let workload: BenchmarkWorkload

    init?(argument: String) {
        guard let w = BenchmarkWorkload.standard.first(where: { $0.name == argument }) else { return nil }
        workload = w
    }

    static var allValueStrings: [String] { BenchmarkWorkload.standard.map(\.name) }
}

/// Warns when more worker threads are asked for than this machine has cores: the run still
/// gives the results of that thread count, but its threads take turns instead of spinning.
func warnIfOversubscribed(_ threads: Int) {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard threads > cores else { return }
    Console.err(
        "warning: \(threads) threads on \(cores) cores; results are those of \(threads) threads, "
            + "but the run will be slower than with \(cores)")
}

/// `I/N` with 1 ≤ I ≤ N ≤ `limit`: one of N slices of some work (`sweep --shard`, `memscore --part`).
func parseSlice(_ text: String, option: String, limit: Int = .max, limitName: String = "") throws -> (
    index: Int, count: Int
) {
    let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
    let numbers = pieces.compactMap { Int($0) }
    guard pieces.count == 2, numbers.count == 2, numbers[1] >= 1, numbers[1] <= limit,
        (1...numbers[1]).contains(numbers[0])
    else {
        throw ValidationError("\(option) expects I/N with 1 ≤ I ≤ N\(limitName), e.g. 1/2; got '\(text)'")
    }
    return (numbers[0], numbers[1])
}
