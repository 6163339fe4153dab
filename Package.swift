// swift-tools-version:6.0
import PackageDescription
#if os(Linux) && arch(x86_64)
    import Foundation
#endif

/// Compiler settings of the numeric targets.
///
/// - `-fno-math-errno` for the C shims that Swift's `squareRoot()` goes
///   through on Linux: the square root stays the correctly rounded IEEE
///   operation, but without errno bookkeeping it compiles to one vector
///   instruction instead of a library call per lane (Adam's update was
///   bound by those calls).
/// - The engine's hot loops are explicit SIMD8 arithmetic. Baseline x86-64
///   compiles it to 4-wide SSE2; on a machine with the Haswell instructions
///   (AVX2, FMA, …; x86-64-v3) release builds target them, as
///   `-march=native` would, and run those loops on 8-wide registers. Checked
///   on the building machine, because SwiftPM always builds from source
///   where toymem runs.
///
/// Neither changes a result: the arithmetic is the same IEEE operations
/// (Swift does not fuse multiply-adds on its own).
let numericSettings: [SwiftSetting] = {
    let noErrno = SwiftSetting.unsafeFlags(["-Xcc", "-fno-math-errno"])
    #if os(Linux) && arch(x86_64)
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(
            cpu.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        // Haswell's instruction set, as /proc/cpuinfo names it (x86-64-v3 plus a few).
        let haswell: Set = [
            "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave", "xsaveopt",
            "popcnt", "sse4_2", "aes", "pclmulqdq", "rdrand", "fsgsbase",
        ]
        if haswell.isSubset(of: flags) {
            return [noErrno, .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
        }
    #endif
    return [noErrno]
}()

let package = Package(
    name: "toymem",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "toymem", targets: ["toymem"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "NN", targets: ["NN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: - Engine and network layers
        .target(name: "Randomness", swiftSettings: numericSettings),
        .target(name: "Autograd", dependencies: ["CBLAS"], swiftSettings: numericSettings),
        .target(name: "NN", dependencies: ["Autograd", "Randomness"], swiftSettings: numericSettings),
        .target(name: "Tasks", dependencies: ["Randomness"], swiftSettings: numericSettings),
        .target(
            name: "Analysis", dependencies: ["Autograd", "NN", "Randomness", "Tasks"], swiftSettings: numericSettings),

        // MARK: - Run directories, experiments and reports
        // JSON, safetensors, atomic files, run directories and metadata: what every tool reads and writes.
        .target(name: "RunStore"),
        // SVG and Vega-Lite figures and self-contained HTML pages.
        .target(name: "Charts", dependencies: ["RunStore"]),
        // Configs, runs, analysis instruments and sweeps.
        .target(
            name: "Experiment",
            dependencies: ["Analysis", "Autograd", "Charts", "NN", "Randomness", "RunStore", "Tasks"]),
        // Run and sweep reports and comparisons: they only read run directories.
        .target(name: "Reports", dependencies: ["Charts", "Experiment", "RunStore"]),
        // The speed benchmarks behind `toymem bench`.
        .target(
            name: "Benchmarks",
            dependencies: ["Analysis", "Autograd", "Experiment", "NN", "Randomness", "RunStore", "Tasks"],
            swiftSettings: numericSettings),

        // MARK: - Command-line tool
        .executableTarget(
            name: "toymem",
            dependencies: [
                "Benchmarks", "Experiment", "Reports", "RunStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "NNTests", dependencies: ["NN"]),
        .testTarget(name: "TasksTests", dependencies: ["Tasks"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "ExperimentTests", dependencies: ["Experiment", "RunStore"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        // Runs the built `toymem` binary end to end; the dependency makes sure it is built first.
        .testTarget(name: "CLITests", dependencies: ["toymem", "Experiment", "NN", "RunStore"]),
    ]
)
