import Foundation
import NN
import Randomness
import RunStore
import Tasks

/// A completed run read back from its directory: config, trained model and
/// dataset. Anything missing, incomplete or inconsistent is an error naming
/// the file (exit code 2).
public struct LoadedRun {
    public let config: ExperimentConfig
    public let model: ToyModel
    public let data: Dataset

    /// With `requireCompleted` false, a run still finishing (its files written, `meta.json` not yet
    /// rewritten) is read too; the report at the end of a run needs that.
    public init(_ directory: RunDirectory, requireCompleted: Bool = true) throws {
        func fail(_ message: String) -> InputError { InputError("\(directory.url.path): \(message)") }
        guard FileManager.default.fileExists(atPath: directory.url.path) else { throw fail("no such run directory") }
        guard let meta = RunMeta.peek(directory.url) else {
            throw fail("meta.json is missing or damaged; not a toymem run")
        }
        guard meta.status == RunStatus.completed.rawValue || !requireCompleted else {
            throw fail("the run is not completed (status \(meta.status)); run it again with toymem run")
        }
        let configText: String
        do { configText = try String(contentsOf: directory.file("config.json"), encoding: .utf8) } catch {
            throw fail("config.json is missing")
        }
        do {
            config = try ExperimentConfig(json: try JSONParser.parse(configText), defaultName: "run")
        } catch {
            throw fail("config.json is damaged: \(error)")
        }
        guard config.hash == meta.hash else { throw fail("config.json does not match the config hash in meta.json") }
        do { try ResourceEstimate(analysing: config).check(against: .current) } catch let e as ConfigError {
            throw fail("config.json: \(e)")
        }
        func load(_ name: String) throws -> SafeTensors {
            guard let bytes = try? Data(contentsOf: directory.file(name)) else { throw fail("\(name) is missing") }
            do { return try SafeTensors(decoding: bytes) } catch { throw fail("\(name): \(error)") }
        }
        // Every tensor is checked against the config before the model or the dataset is built.
        let weights = try load("model.safetensors")
        for (name, shape) in config.modelSpec.parameterLayout {
            let values = try Self.tensor(name, in: weights, dtype: .f32, shape: shape, file: "model.safetensors", fail)
            guard values.withUnsafeBytes({ $0.bindMemory(to: Float.self).allSatisfy(\.isFinite) }) else {
                throw fail("model.safetensors: tensor \(name) holds NaN or infinite values")
            }
        }
        let stored = try load("data.safetensors"), task = config.task, n = task.entityCount
        let labelShape = task.facts == 1 ? [n] : [n, task.facts]
        let storedInputs = try Self.tensor(
            "inputs", in: stored, dtype: .i32, shape: [n, 2], file: "data.safetensors", fail)
        let storedLabels = try Self.tensor(
            "labels", in: stored, dtype: .i32, shape: labelShape, file: "data.safetensors", fail)
        let storedSplit = try Self.tensor("split", in: stored, dtype: .u8, shape: [n], file: "data.safetensors", fail)
        var unused = SeededGenerator(seed: 0)
        model = ToyModel(config.modelSpec, using: &unused)
        for p in model.parameters { p.values = weights.floats(p.name)! }
        data = try Dataset(config.task, seed: config.seed)
        let inputs = zip(data.a, data.b).flatMap { [$0, $1] }
        let labels = (0..<data.count).flatMap { i in data.labels.map { $0[i] } }
        for (name, bytes, expected) in [
            ("inputs", storedInputs, inputs.withUnsafeBytes { Data($0) }),
            ("labels", storedLabels, labels.withUnsafeBytes { Data($0) }), ("split", storedSplit, Data(data.split)),
        ] where bytes != expected {
            throw fail("data.safetensors: tensor \(name) does not match the dataset config.json generates")
        }
    }

    /// The bytes of tensor `name`, which must be there with this dtype and shape.
    private static func tensor(
        _ name: String, in tensors: SafeTensors, dtype: SafeTensors.DType, shape: [Int], file fileName: String,
        _ fail: (String) -> InputError
    ) throws -> Data {
        guard let entry = tensors.entry(name) else { throw fail("\(fileName): tensor \(name) is missing") }
        guard entry.dtype == dtype, entry.shape == shape else {
            throw fail(
                "\(fileName): tensor \(name) is \(entry.dtype.rawValue) \(entry.shape); "
                    + "config.json needs \(dtype.rawValue) \(shape)")
        }
        return entry.bytes
    }
}
