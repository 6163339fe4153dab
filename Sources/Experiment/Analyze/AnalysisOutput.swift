import Analysis
import Foundation

/// Writes a `ModelAnalysis` to `analysis/`: summary.json, neurons.csv and
/// tables.safetensors (activation tables [A·B, width] by hook name, kept in
/// forward order while they fit in `AnalysisOptions.tableBytes`; the rest
/// are listed as omitted).
enum AnalysisOutput {
    static func write(_ analysis: ModelAnalysis, options: AnalysisOptions, to directory: URL, spec: (a: Int, b: Int)) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(summary(analysis, options: options), to: directory.appendingPathComponent("summary.json"))
        try AtomicFile.write(neuronsCSV(analysis), to: directory.appendingPathComponent("neurons.csv"))
        var tables = SafeTensors(metadata: [
            "layout": "each tensor is [A*B, width]: row a*B + b holds the hook's activations at (a, b)",
            "domain": "\(spec.a)x\(spec.b)", "omitted": analysis.omittedTables.joined(separator: ","),
        ])
        for t in analysis.tables { tables.add(t.name, floats: t.values, shape: [t.values.count / t.width, t.width]) }
        try AtomicFile.write(tables.encoded(), to: directory.appendingPathComponent("tables.safetensors"))
    }

    private static func number(_ x: Double?) -> JSONValue { x.map(JSONValue.double) ?? .null }

    static func summary(_ a: ModelAnalysis, options: AnalysisOptions) -> JSONValue {
        var top: [(key: String, value: JSONValue)] = []
        top.append(("hooks", .object(a.hooks.map { h in
            (h.name, JSONValue.object([
                ("width", .int(h.width)),
                ("interaction_share_median", number(median(h.interactionShares.compactMap { $0 }))),
                ("a_share_median", number(median(h.aShares.compactMap { $0 }))),
                ("density", number(h.sparsity?.density)),
                ("dead_neurons", h.sparsity.map { .int($0.deadNeurons) } ?? .null),
                ("hoyer", number(h.sparsity?.hoyer)),
                ("effective_dim", number(h.effectiveDimension)),
                ("hash_score", number(h.hashScore)),
                ("hash_score_shuffled", number(h.hashScoreShuffled)),
            ]))
        })))
        if let l = a.lookup {
            let width = Double(l.components)
            top.append(("lookup", .object([
                ("fact", .int(0)),
                ("entities", .int(l.entities)),
                ("components", .int(l.components)),
                ("layers", .array(a.lookupLayers.map(JSONValue.int))),
                ("reconstruction_max_error", .double(l.reconstructionMaxError)),
                ("k90_median", number(median(l.k90))),
                ("k90_fraction_median", number(median(l.k90.map { Double($0) / width }))),
                ("participation_ratio_median", number(median(l.participationRatio))),
                ("participation_ratio_fraction_median", number(median(l.participationRatio.map { $0 / width }))),
            ])))
        }
        top.append(("probes", .array(a.probes.map { p in
            .object([("hook", .string(p.hook)), ("feature", .string(p.feature)), ("regime", .string(p.regime)),
                     ("accuracy", .double(p.accuracy)), ("accuracy_std", .double(p.accuracyStd)),
                     ("base_rate", .double(p.baseRate)), ("seeds", .int(options.probeSeeds))])
        })))
        if let c = a.ablation, let layer = a.ablationLayer {
            top.append(("ablation", .object([
                ("layer", .int(layer)), ("kept", .array(c.kept.map(JSONValue.int))),
                ("importance_order", .array(c.importanceOrder.map(JSONValue.double))),
                ("random_order", .array(c.randomOrder.map(JSONValue.double))),
            ])))
        } else {
            top.append(("ablation", .null))
        }
        if let c = a.capacity {
            top.append(("capacity", .object([
                ("bits_memorised", .double(c.bitsMemorised)), ("bits_per_param", .double(c.bitsPerParameter)),
                ("bits_per_non_embedding_param", .double(c.bitsPerNonEmbeddingParameter)),
                ("maximum_bits", .double(c.maximumBits)),
                ("fraction_of_maximum", .double(c.maximumBits > 0 ? c.bitsMemorised / c.maximumBits : 0)),
            ])))
        } else {
            top.append(("capacity", .null))
        }
        top.append(("tables", .object([
            ("file", .string("tables.safetensors")), ("cap_bytes", .int(options.tableBytes)),
            ("hooks", .array(a.tables.map { .string($0.name) })), ("omitted", .array(a.omittedTables.map(JSONValue.string))),
        ])))
        top.append(("samples", .object([
            ("lookup_entities", .int(options.lookupSample)), ("covariance_cells", .int(options.covarianceSample)),
            ("probe_entities", .int(options.probeSample)), ("probe_seeds", .int(options.probeSeeds)),
            ("hash_quadruples", .int(HashScore.quadruples)),
        ])))
        return .object(top)
    }

    /// One row per neuron of every block, columns as documented in the README.
    static func neuronsCSV(_ a: ModelAnalysis) -> String {
        var lines = ["layer,neuron,interaction_share_pre,interaction_share_post,a_share_post,density,dead,importance,k90_membership"]
        func cell(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        var componentIndex: [String: Int] = [:]
        var offset = 0
        for layer in a.lookupLayers {
            let width = a.hooks.first { $0.name == "blocks.\(layer).mlp.hook_post" }?.width ?? 0
            for j in 0..<width { componentIndex["\(layer).\(j)"] = offset + j }
            offset += width
        }
        var layer = 0
        while let post = a.hooks.first(where: { $0.name == "blocks.\(layer).mlp.hook_post" }) {
            let pre = a.hooks.first { $0.name == "blocks.\(layer).mlp.hook_pre" }
            for j in 0..<post.width {
                let index = componentIndex["\(layer).\(j)"]
                let fields = [
                    "\(layer)", "\(j)",
                    cell(pre?.interactionShares.isEmpty == false ? pre!.interactionShares[j] : nil),
                    cell(post.interactionShares.isEmpty ? nil : post.interactionShares[j]),
                    cell(post.aShares.isEmpty ? nil : post.aShares[j]),
                    cell(post.sparsity?.neuronDensity[j]),
                    post.sparsity.map { $0.dead[j] ? "true" : "false" } ?? "",
                    cell(index.flatMap { a.lookup?.importance[$0] }),
                    cell(index.flatMap { a.lookup?.k90Membership[$0] }),
                ]
                lines.append(fields.joined(separator: ","))
            }
            layer += 1
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
