import Foundation
import RunStore
import Tasks

/// Memorisation scores computed in parts — by separate processes, or by the tasks of a Slurm array —
/// and combined. Part I of N trains the models m ≡ I − 1 (mod N) and writes
/// `DIR/parts/part-I-of-N.safetensors`: `models` (int32 [k], the model indices), `in_subset` and `correct`
/// (uint8 [k, trained entities]), `correct_held_out` (uint8 [k, held-out entities]), with the config hash, M and the fraction in its metadata, atomically, so a
/// part file exists only once its models are done. Each model's subset, initialisation and batches depend only
/// on the config seed and the model index, so the combined scores equal those of one process; their `seconds`
/// is the parts' training time, summed.
///
/// ```swift
/// try MemScore.trainPart(config, models: 200, fraction: 0.7, part: 3, of: 10, jobs: 1, into: dir) { _ in }
/// let scores = try MemScore.combine(config, models: 200, fraction: 0.7, parts: 10, from: dir)
/// ```
extension MemScore {
    public static func partFile(_ directory: URL, part: Int, of parts: Int) -> URL {
        directory.appendingPathComponent("parts/part-\(part)-of-\(parts).safetensors")
    }

    /// The parts (1-based) whose file is not there yet.
    public static func missingParts(_ directory: URL, parts: Int) -> [Int] {
        (1...parts).filter { !FileManager.default.fileExists(atPath: partFile(directory, part: $0, of: parts).path) }
    }

    public static func trainPart(
        _ config: ExperimentConfig, models: Int, fraction: Double, part: Int, of parts: Int, jobs: Int,
        into directory: URL, progress: @escaping @Sendable (Int) -> Void
    ) throws {
        let start = Date()
        let data = try Dataset(config.task, seed: config.seed)
        let indices = Array(stride(from: part - 1, to: models, by: parts))
        let results = try train(
            config, data: data, fraction: fraction, models: indices, jobs: jobs, progress: progress)
        let (width, heldOut) = (data.trainIndices.count, data.heldoutIndices.count)
        var file = SafeTensors(metadata: [
            "config_hash": config.hash, "models": "\(models)", "fraction": "\(fraction)", "part": "\(part)/\(parts)",
            "seconds": "\(Date().timeIntervalSince(start))",
        ])
        file.add("models", int32s: indices.map(Int32.init), shape: [indices.count])
        file.add("in_subset", bytes: results.membership.flatMap { $0 }, shape: [indices.count, width])
        file.add("correct", bytes: results.correct.flatMap { $0 }, shape: [indices.count, width])
        file.add("correct_held_out", bytes: results.correctHeldOut.flatMap { $0 }, shape: [indices.count, heldOut])
        let url = partFile(directory, part: part, of: parts)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(file.encoded(), to: url)
    }

    /// The scores from every part; exit 2 naming the part file that is missing, damaged or of other settings.
    public static func combine(
        _ config: ExperimentConfig, models: Int, fraction: Double, parts: Int, from directory: URL
    ) throws -> MemScore {
        let data = try Dataset(config.task, seed: config.seed)
        let (width, heldOut) = (data.trainIndices.count, data.heldoutIndices.count)
        var seconds = 0.0
        let empty = [[UInt8]](repeating: [], count: models)
        var results = ModelResults(membership: empty, correct: empty, correctHeldOut: empty)
        let missing = missingParts(directory, parts: parts)
        guard missing.isEmpty else {
            throw InputError(
                "\(directory.path): parts \(missing.map(String.init).joined(separator: ", ")) of \(parts) are missing "
                    + "(\(partFile(directory, part: missing[0], of: parts).lastPathComponent), …); train them first")
        }
        for part in 1...parts {
            let url = partFile(directory, part: part, of: parts)
            let file: SafeTensors
            do { file = try SafeTensors(decoding: try Data(contentsOf: url)) } catch {
                throw InputError("\(url.path): damaged part file: \(error)")
            }
            let expected = Array(stride(from: part - 1, to: models, by: parts))
            guard file.metadata["config_hash"] == config.hash, file.metadata["models"] == "\(models)",
                file.metadata["fraction"] == "\(fraction)", let indices = file.int32s("models"),
                indices.map(Int.init) == expected,
                let inSubset = file.entry("in_subset"), let right = file.entry("correct"),
                let rightHeldOut = file.entry("correct_held_out"),
                inSubset.shape == [expected.count, width], right.shape == [expected.count, width],
                rightHeldOut.shape == [expected.count, heldOut],
                inSubset.dtype == .u8, right.dtype == .u8, rightHeldOut.dtype == .u8
            else {
                throw InputError(
                    "\(url.path): this part was computed for other settings (config, --models or --fraction) or is "
                        + "damaged; remove \(url.deletingLastPathComponent().path) and compute again")
            }
            seconds += file.metadata["seconds"].flatMap(Double.init) ?? 0
            let (a, b, c) = ([UInt8](inSubset.bytes), [UInt8](right.bytes), [UInt8](rightHeldOut.bytes))
            for (k, m) in expected.enumerated() {
                results.membership[m] = Array(a[(k * width)..<((k + 1) * width)])
                results.correct[m] = Array(b[(k * width)..<((k + 1) * width)])
                results.correctHeldOut[m] = Array(c[(k * heldOut)..<((k + 1) * heldOut)])
            }
        }
        return MemScore(data: data, fraction: fraction, results: results, seconds: seconds)
    }
}
