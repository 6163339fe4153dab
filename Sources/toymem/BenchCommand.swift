import ArgumentParser
import Autograd
import Benchmarks
import Experiment
import Foundation
import RunStore

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training speed on the standard workloads.",
        discussion: """
            Trains each workload on the full 100 × 100 grid with 3 random classes and
            AdamW, one warm-up epoch excluded, and prints examples per second
            (forward + backward + update). Also measures this machine's raw OpenBLAS
            sgemm throughput, so the wide workload can be judged against it.
            Compare with the PyTorch reference run in the same sitting (see docs/engine.md).
            """
    )

    @Option(name: .long, help: "Workloads to run; all by default.")
    var workload: [WorkloadChoice] = []

    @Option(name: .long, help: "Timed epochs per workload (after one warm-up epoch).")
    var epochs: Int = 5

    @OptionGroup var threadsOption: ThreadsOption

    /// Two threads unless told otherwise: the standard workloads are measured on two.
    var threads: Int { threadsOption.threads ?? 2 }

    @Flag(name: .long, help: "Print one JSON object per line instead of a table.")
    var json = false

    @Flag(
        name: .long,
        help: "Instead, time the full analysis of a width-512 model on a 1000 × 1000 grid and report peak memory.")
    var analysis = false

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    }

    func run() throws {
        if analysis {
            let r = try AnalysisBenchmark.run(threads: threads)
            Console.out(
                String(
                    format:
                        "analysis of %d entities, width %d: %.1f s, peak RSS %.0f MiB (targets: < 30 s, < 1024 MiB)",
                    r.entities, r.width, r.seconds, r.peakRSSMebibytes))
            return
        }
        let chosen = BenchmarkWorkload.standard.filter { w in
            workload.isEmpty || workload.contains { $0.workload.name == w.name }
        }
        // Training first: a multithreaded OpenBLAS call leaves OpenBLAS's own
        // threads yielding for a while afterwards, which would steal the CPUs
        // the engine's workers need.
        let results = try chosen.map { w in
            Console.err("training \(w.name) (\(epochs) epochs after a warm-up, \(threads) thread(s))…")
            return try w.run(epochs: epochs, threads: threads)
        }
        Console.err("measuring OpenBLAS sgemm…")
        let sgemm = GEMMThroughput.measure(m: 1024, n: 2048, k: 256, threads: threads, seconds: 1)
        if !json {
            Console.out(
                "OpenBLAS sgemm 1024×2048×256 on \(threads) thread(s): \(String(format: "%.1f", sgemm)) GFLOP/s")
            Console.out(
                "workload   examples/s  engine GFLOP/s  of sgemm  effective GFLOP/s  of sgemm  RSS MiB (warm-up "
                    + "→ end)  train acc"
            )
        }
        for (w, r) in zip(chosen, results) {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                var object = try JSONSerialization.jsonObject(with: encoder.encode(r)) as! [String: Any]
                object["sgemm_gflops"] = sgemm
                object["reference_args"] = w.referenceArguments
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                Console.out(String(decoding: data, as: UTF8.self))
            } else {
                Console.out(
                    w.name.padded(9)
                        + String(
                            format: " %11.0f %15.1f %8.0f%% %18.1f %8.0f%% %10.1f → %-10.1f %9.3f",
                            r.examplesPerSecond, r.matmulGFLOPS, 100 * r.matmulGFLOPS / sgemm,
                            r.effectiveGFLOPS, 100 * r.effectiveGFLOPS / sgemm,
                            r.rssMebibytesAfterWarmup, r.rssMebibytesAtEnd, r.trainAccuracy))
            }
        }
    }
}
