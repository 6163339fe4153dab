import ArgumentParser

@main
struct Toymem: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toymem",
        abstract: "A laboratory for studying how small neural networks memorise facts.",
        discussion: """
            Trains small MLPs on integer-pair → label tasks and takes them apart.
            See README.md for the science, the formats and every measurement.
            """,
        version: ToymemVersion.current,
        subcommands: [BenchCommand.self]
    )
}

enum ToymemVersion {
    static let current = "0.1.0"
}
