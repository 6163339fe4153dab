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
        func load(_ name: String) throws -> SafeTensors {
            guard let bytes = try? Data(contentsOf: directory.file(name)) else { throw fail("\(name) is missing") }
            do { return try SafeTensors(decoding: bytes) } catch { throw fail("\(name): \(error)") }
        }
        let weights = try load("model.safetensors"), stored = try load("data.safetensors")
        var unused = SeededGenerator(seed: 0)
        model = ToyModel(config.modelSpec, using: &unused)
        for p in model.parameters {
            guard let values = weights.floats(p.name), values.count == p.count else {
                throw fail("model.safetensors has no tensor \(p.name) of \(p.count) values")
            }
            p.values = values
        }
        data = try Dataset(config.task, seed: config.seed)
        let inputs = zip(data.a, data.b).flatMap { [$0, $1] }
        guard stored.int32s("inputs") == inputs, stored.entry("split")?.bytes == Data(data.split) else {
            throw fail("data.safetensors does not match the dataset its config generates")
        }
    }
}
