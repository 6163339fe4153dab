import Experiment
import RunStore
import Tasks

/// libFuzzer target: any bytes, read as a config file, either give a validated config whose resource
/// estimate is computed, or throw a located error; never a trap or an allocation the estimate did not allow.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let json = try? JSONParser.parse(text) else { return 0 }
    guard let config = try? ExperimentConfig(json: json, defaultName: "fuzz") else { return 0 }
    let estimate = ResourceEstimate(training: config)
    guard estimate.bytes > 0 else { fatalError("no estimate") }
    // Small tasks are generated too: labelling and sampling must not trap on any accepted config.
    if estimate.bytes < Double(256 << 20), config.task.entityCount <= 200_000 {
        guard (try? Dataset(config.task, seed: config.seed))?.count == config.task.entityCount else {
            fatalError("an accepted task did not generate its entities")
        }
    }
    guard
        (try? ExperimentConfig(json: JSONParser.parse(config.json.serialized()), defaultName: "x"))?.hash == config.hash
    else { fatalError("the resolved config does not read back as itself") }
    return 0
}
