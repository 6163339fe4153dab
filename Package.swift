// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "toymem",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "toymem", targets: ["toymem"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "NN", targets: ["NN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: - Engine and network layers
        .target(name: "Randomness"),
        .target(name: "Autograd", dependencies: ["CBLAS"]),
        .target(name: "NN", dependencies: ["Autograd", "Randomness"]),
        .target(name: "Tasks", dependencies: ["Randomness"]),
        .target(name: "Analysis", dependencies: ["Autograd", "NN", "Randomness", "Tasks"]),

        // MARK: - Experiments
        .target(name: "Experiment", dependencies: ["Analysis", "Autograd", "NN", "Randomness", "Tasks"]),

        // MARK: - Command-line tool
        .executableTarget(
            name: "toymem",
            dependencies: [
                "Experiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "NNTests", dependencies: ["NN"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "ExperimentTests", dependencies: ["Experiment"]),
        // Runs the built `toymem` binary end to end; the dependency makes sure it is built first.
        .testTarget(name: "CLITests", dependencies: ["toymem", "Experiment"]),
    ]
)
