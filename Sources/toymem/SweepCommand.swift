import ArgumentParser

/// `toymem sweep`: run a sweep (the default), and look after a sweep directory.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep spec, locally or as a Slurm job array, and inspect or cancel it.",
        discussion: """
              toymem sweep SPEC [--jobs N]       run every point here (the default)
              toymem sweep SPEC --slurm [...]    submit it to Slurm as one job array
              toymem sweep status DIR [--json]   counts by status, Slurm jobs, failures
              toymem sweep cancel DIR            cancel its Slurm jobs by recorded id
              toymem sweep collect DIR           rebuild DIR/index.csv and report.html

            Resuming is the same command again, locally or on Slurm: completed
            runs are skipped. See docs/running.md and docs/slurm.md.
            """,
        subcommands: [
            SweepRunCommand.self, SweepStatusCommand.self, SweepCancelCommand.self, SweepCollectCommand.self,
        ],
        defaultSubcommand: SweepRunCommand.self
    )
}
