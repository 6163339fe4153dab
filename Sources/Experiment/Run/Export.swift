import Foundation
import NN
import RunStore
import Tasks

/// The weights and data files of a run directory.
enum Export {
    static let layout =
        "Weights are stored for x @ W: W_in is [d_in, d_hidden], W_out [d_hidden, d_model], "
        + "W_U [d_model, classes]; biases are 1-D. embed.W_a is [A, d] and embed.W_b is [B, d]; "
        + "the model input is W_a[a] + W_b[b] (combine sum) or [W_a[a], W_b[b]] (combine concat)."

    static func model(_ model: ToyModel, config: ExperimentConfig) -> SafeTensors {
        var file = SafeTensors(metadata: [
            "format": "pt", "toymem_version": RunMeta.version, "layout": layout,
            "config": config.json.serialized(),
        ])
        for p in model.parameters {
            let isBias = p.rows == 1 && p.name.split(separator: ".").last?.hasPrefix("b_") == true
            file.add(p.name, floats: p.value, count: p.count, shape: isBias ? [p.cols] : p.shape)
        }
        return file
    }

    static func data(_ data: Dataset) -> SafeTensors {
        var file = SafeTensors(metadata: [
            "format": "np", "toymem_version": RunMeta.version,
            "split": "0 train, 1 held-out", "inputs": "columns a, b",
        ])
        file.add("inputs", int32s: zip(data.a, data.b).flatMap { [$0, $1] }, shape: [data.count, 2])
        if data.factCount == 1 {
            file.add("labels", int32s: data.labels[0], shape: [data.count])
        } else {
            let interleaved = (0..<data.count).flatMap { i in data.labels.map { $0[i] } }
            file.add("labels", int32s: interleaved, shape: [data.count, data.factCount])
        }
        file.add("split", bytes: data.split, shape: [data.count])
        return file
    }
}
