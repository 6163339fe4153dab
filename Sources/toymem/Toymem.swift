import ArgumentParser
import Experiment
import Foundation
import RunStore

/// The `toymem` command: a root with one subcommand per job.
struct Toymem: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toymem",
        abstract: "A laboratory for studying how small neural networks memorise facts.",
        discussion: """
            Trains small MLPs on integer-pair → label tasks from declarative JSON
            configs and writes run directories that load in pandas, numpy and
            safetensors. Examples:

              toymem run configs/pure.json          (→ Results/pure/<hash>/)
              toymem run configs/pure.json train.steps=500 'analyses=["all"]'
              toymem analyze Results/pure/<hash>
              toymem sweep Configs/sweeps/memorise_vs_generalise.json
              toymem compare Results/sweeps/memorise_vs_generalise
              toymem validate configs/pure.json --resolved
              toymem bench

            Exit codes: 0 success, 1 a run failed or diverged, 2 usage,
            config, input or file-system error. docs/ documents every file and number.
            """,
        version: RunMeta.version,
        subcommands: [
            RunCommand.self, AnalyzeCommand.self, SweepCommand.self, CompareCommand.self, MemScoreCommand.self,
            ValidateCommand.self,
            SchemaCommand.self, BenchCommand.self,
        ]
    )
}

/// Runs the command line with toymem's exit codes: argument errors exit 2
/// (ArgumentParser's default is 64); every `ToymemError` carries its own code.
@main
enum Main {
    static func main() {
        do {
            var command = try Toymem.parseAsRoot()
            try command.run()
        } catch let error as ToymemError {
            Console.err("error: \(error)")
            exit(error.exitCode)
        } catch let error where SystemErrors.describe(error) != nil {
            Console.err("error: \(SystemErrors.describe(error)!)")
            exit(2)
        } catch {
            let code = Toymem.exitCode(for: error)
            if code == .success {
                Toymem.exit(withError: error)
            }
            Console.err(Toymem.fullMessage(for: error))
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A run that ended without completing (exit code 1).
struct RunFailure: ToymemError {
    let message: String
    var description: String { message }
    var exitCode: Int32 { 1 }
}
