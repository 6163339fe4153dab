import Analysis
import Dispatch
import Experiment
import Foundation
import NN
import Randomness
import RunStore
import Tasks

/// The analysis speed and memory workload: the full analysis of
/// a 1-layer model of width 512 on a 1000 × 1000 grid (one million
/// entities), weights at their seeded initialisation (the cost does not
/// depend on training).
public enum AnalysisBenchmark {
    public struct Result: Codable, Sendable {
        public let entities: Int
        public let width: Int
        public let seconds: Double
        public let peakRSSMebibytes: Double
    }

    public static func run(side: Int = 1000, width: Int = 512, threads: Int) throws -> Result {
        let spec = ModelSpec(vocabularyA: side, vocabularyB: side, embedding: 64, hidden: [width], classes: [3])
        var rng = SeededGenerator(seed: 0)
        let model = ToyModel(spec, using: &rng)
        let data = try Dataset(TaskSpec(kind: .pure, domainA: side, domainB: side, classes: 3), seed: 0)
        let start = DispatchTime.now().uptimeNanoseconds
        var settings = AnalysisSettings(seed: 0, threads: threads)
        settings.tableBytes = 128 << 20
        _ = try Analyze.measure(model: model, data: data, names: [AnalysisRegistry.everything], settings: settings)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(
            entities: side * side, width: width, seconds: seconds, peakRSSMebibytes: ResidentMemory.peakMebibytes())
    }
}

extension ResidentMemory {
    /// Peak resident set size of this process (getrusage, KiB on Linux).
    public static func peakMebibytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
