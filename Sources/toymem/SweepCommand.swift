import ArgumentParser

/// `toymem sweep`: run a sweep (the default), and look after a sweep directory.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep spec, locally or as a Slurm job array, and inspect or cancel it.",
        discussion: """
            toymem sweep SPEC [--jobs N]          run every point here (the default subcommand)
            toymem sweep SPEC --slurm [...]       submit the sweep to Slurm as one job array
            toymem sweep status DIR [--json]      counts by status, Slurm job states, failed runs
            toymem sweep cancel DIR               cancel a Slurm sweep's jobs by their recorded ids
            toymem sweep collect DIR              rebuild DIR/index.csv and DIR/report.html

            Resuming is the same command again, locally or on Slurm: completed runs are skipped.
            See docs/running.md (sweeps) and docs/slurm.md (clusters).
            """,
        subcommands: [
            SweepRunCommand.self, SweepStatusCommand.self, SweepCancelCommand.self, SweepCollectCommand.self,
        ],
        defaultSubcommand: SweepRunCommand.self
    )
}
