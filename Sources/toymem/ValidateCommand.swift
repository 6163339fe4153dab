import ArgumentParser
import Experiment
import RunStore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a config (and overrides) without running it.",
        discussion:
            "Exits 0 and prints the config's name and hash if it is valid; exits 2 with the JSON path at fault "
            + "otherwise."
    )

    @OptionGroup var configArguments: ConfigArguments

    @Flag(name: .long, help: "Print the resolved config, every default filled in.")
    var resolved = false

    func run() throws {
        let loaded = try configArguments.load()
        if resolved {
            Console.out(loaded.json.serialized(pretty: true))
        } else {
            Console.out("ok: \(configArguments.config) (name \(loaded.name), config hash \(loaded.shortHash))")
            let estimate = ResourceEstimate(training: loaded)
            Console.out(
                "estimate: about \(Readable.bytes(estimate.bytes)) of memory, "
                    + String(format: "%.2e", estimate.flops) + " floating-point operations (roughly "
                    + "\(Readable.duration(estimate.seconds(threads: loaded.train.threads))) on "
                    + "\(loaded.train.threads) thread\(loaded.train.threads == 1 ? "" : "s"))")
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of experiment configs.",
        discussion:
            "The same schema is committed as Configs/toymem.schema.json; example configs point at it with \"$schema\"."
    )

    func run() throws {
        Console.out(ConfigSchema.text)
    }
}
