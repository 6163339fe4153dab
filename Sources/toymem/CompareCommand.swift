import ArgumentParser
import Experiment
import Reports
import RunStore

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs side by side: accuracies, bits per parameter, k90, interaction, hash scores, probes.",
        discussion:
            "Each argument is a run directory or a sweep directory (all its completed runs). Prints a text "
            + "table, or --json, --csv or --html."
    )

    @Argument(help: "Run or sweep directories.")
    var directories: [String]

    @Flag(name: .long, help: "A JSON array, one object per run.")
    var json = false

    @Flag(name: .long, help: "CSV, one row per run.")
    var csv = false

    @Flag(name: .long, help: "A self-contained HTML page with the table and a probe figure.")
    var html = false

    func validate() throws {
        guard !directories.isEmpty else { throw ValidationError("give at least one run or sweep directory") }
        guard [json, csv, html].filter({ $0 }).count <= 1 else {
            throw ValidationError("choose one of --json, --csv, --html")
        }
    }

    func run() throws {
        let comparison = try Comparison(paths: directories)
        if json {
            Console.out(comparison.json().serialized(pretty: true))
        } else if csv {
            Console.out(String(comparison.csv().dropLast()))
        } else if html {
            Console.out(comparison.html())
        } else {
            Console.out(comparison.text())
        }
    }
}
