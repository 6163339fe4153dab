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

    @Option(name: .long, help: ArgumentHelp("Slurm partition (sbatch --partition).", valueName: "P"))
    var partition: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Time limit per array task: MM, HH:MM:SS, D-HH:MM (sbatch --time).", valueName: "T"))
    var time: String?

    @Option(
        name: .long,
        help: ArgumentHelp("CPUs per array task (default: the most threads any point's config uses).", valueName: "N"))
    var cpusPerTask: Int?

    @Option(name: .long, help: ArgumentHelp("Memory per array task: 4G, 500M (sbatch --mem).", valueName: "M"))
    var mem: String?

    @Option(
        name: .long, help: ArgumentHelp("Run at most K array tasks at once (sbatch --array=...%K).", valueName: "K"))
    var arrayParallelism: Int?

    @Option(
        name: .long,
        help: ArgumentHelp("Runs (sweep points; memscore models) packed into one array task.", valueName: "R"))
    var runsPerTask: Int = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Passed to every sbatch call unchanged; repeatable (--sbatch-arg=--qos=low).", valueName: "ARG"))
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
