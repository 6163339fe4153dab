import ArgumentParser
import Experiment

/// The options of `toymem sweep SPEC --slurm`.
struct SlurmArguments: ParsableArguments {
    @Flag(
        name: .long,
        help: """
            Submit the sweep to Slurm as one job array (sbatch --array) plus a collect job that rebuilds \
            index.csv and report.html when the array ends, then return. Scripts, map and job ids go to DIR/slurm/.
            """)
    var slurm = false

    @Option(name: .long, help: "Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(name: .long, help: "Time limit per array task, in Slurm's format: MM, HH:MM:SS, D-HH:MM (sbatch --time).")
    var time: String?

    @Option(name: .long, help: "CPUs per array task (default: the most threads any point's config uses).")
    var cpusPerTask: Int?

    @Option(name: .long, help: "Memory per array task, in Slurm's format: 4G, 500M (sbatch --mem).")
    var mem: String?

    @Option(name: .long, help: "Run at most K array tasks at once (the %K of sbatch --array).")
    var arrayParallelism: Int?

    @Option(name: .long, help: "Runs packed into one array task, run one after another (default 1).")
    var runsPerTask: Int = 1

    @Option(
        name: .long, help: "An argument passed to every sbatch call unchanged; repeatable (--sbatch-arg=--qos=low).")
    var sbatchArg: [String] = []

    @Flag(name: .long, help: "With --slurm: block until the collect job ends; exit 1 if any submitted run failed.")
    var wait = false

    /// Slurm-only options given without --slurm are a mistake worth naming.
    func validate() throws {
        if !slurm {
            let given = [
                ("--partition", partition != nil), ("--time", time != nil), ("--cpus-per-task", cpusPerTask != nil),
                ("--mem", mem != nil), ("--array-parallelism", arrayParallelism != nil),
                ("--runs-per-task", runsPerTask != 1), ("--sbatch-arg", !sbatchArg.isEmpty), ("--wait", wait),
            ].filter(\.1).map(\.0)
            if !given.isEmpty { throw ValidationError("\(given.joined(separator: ", ")) need --slurm") }
        }
        if let cpusPerTask, !(1...4096).contains(cpusPerTask) {
            throw ValidationError("--cpus-per-task must be between 1 and 4096, got \(cpusPerTask)")
        }
        if let arrayParallelism, arrayParallelism < 1 {
            throw ValidationError("--array-parallelism must be at least 1, got \(arrayParallelism)")
        }
        guard (1...100_000).contains(runsPerTask) else {
            throw ValidationError("--runs-per-task must be between 1 and 100000, got \(runsPerTask)")
        }
        for (name, value) in [("--partition", partition), ("--time", time), ("--mem", mem)] {
            if let value, value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "#" }) {
                throw ValidationError("\(name) '\(value)' must be one word (no spaces or #)")
            }
        }
    }

    func options(threads: Int) -> SlurmOptions {
        SlurmOptions(
            partition: partition, time: time, cpusPerTask: cpusPerTask ?? threads, memory: mem,
            arrayParallelism: arrayParallelism, runsPerTask: runsPerTask, sbatchArguments: sbatchArg)
    }
}
