import Foundation
import RunStore
import Tasks

/// The influence of each trained entity i on each held-out entity j, by the subsampled estimator of
/// Feldman & Zhang (2020), from the same M subset models as the memorisation scores:
///
///     infl(i, j) = P[correct on j | i in the subset] − P[correct on j | i not in the subset]
///
/// with standard error √(p_in(1 − p_in)/n_in(i) + p_out(1 − p_out)/n_out(i)). Single pairs are noisy
/// unless M is in the thousands (with M = 200 the standard error is about 0.08), so the summary averages
/// them by the pair's relation: whether i shares j's row a or column b, and whether i's label equals j's.
///
/// ```swift
/// let influence = Influence(data: data, membership: m, correctHeldOut: c)
/// influence?.value(heldOut: 0, trained: 5)
/// influence?.relations[0].mean   // shares_row_or_column_same_label
/// ```
public struct Influence: Sendable {
    /// Computed only where it is cheap: at most this many (held-out, trained) pairs (160 MB of counts).
    public static let pairLimit = 40_000_000
    /// The held-out and the trained entities (indices into the dataset), ascending.
    public let heldOut: [Int], trained: [Int]
    public let models: Int
    /// Per trained entity: the subsets holding it (n_in); n_out = models − n_in.
    let inCount: [Int32]
    /// [trained i][held-out j] flattened: models that held i and classified j correctly.
    let inCorrect: [Int32]
    /// Per held-out entity: models that classified it correctly.
    let correctCount: [Int32]
    /// The mean influence per relation (`byRelation`), in the order of `relationNames`.
    public private(set) var relations: [RelationMean] = []

    /// A relation's mean influence over pairs, averaged first within each held-out entity and then over the
    /// held-out entities; its standard error (the sd of those averages / √entities) treats held-out entities
    /// as the independent units.
    public struct RelationMean: Sendable {
        public let relation: String
        public let mean: Double, se: Double, pairsPerEntity: Double
    }

    /// From every model's subset membership (one byte per trained entity of `data`) and correctness on the
    /// held-out entities (one byte each); nil when there are more pairs than `pairLimit`, no held-out
    /// entities, or correctness is missing for a model.
    public init?(data: Dataset, membership: [[UInt8]], correctHeldOut: [[UInt8]]) {
        let (trained, heldOut) = (data.trainIndices, data.heldoutIndices)
        let (n, h) = (trained.count, heldOut.count)
        guard h > 0, n > 0, n * h <= Self.pairLimit, correctHeldOut.count == membership.count,
            correctHeldOut.allSatisfy({ $0.count == h })
        else { return nil }
        (self.trained, self.heldOut, models) = (trained, heldOut, membership.count)
        var inCount = [Int32](repeating: 0, count: n), correctCount = [Int32](repeating: 0, count: h)
        var inCorrect = [Int32](repeating: 0, count: n * h)
        inCorrect.withUnsafeMutableBufferPointer { counts in
            for (subset, right) in zip(membership, correctHeldOut) {
                let right = right.map(Int32.init)
                for j in 0..<h { correctCount[j] += right[j] }
                for i in 0..<n where subset[i] == 1 {
                    inCount[i] += 1
                    // A contiguous row: the compiler vectorises this loop.
                    for j in 0..<h { counts[i * h + j] += right[j] }
                }
            }
        }
        (self.inCount, self.inCorrect, self.correctCount) = (inCount, inCorrect, correctCount)
        relations = byRelation(data)
    }

    /// infl(i, j) and its standard error for held-out position j and trained position i; nil when i was
    /// in every subset or in none.
    public func value(heldOut j: Int, trained i: Int) -> (influence: Double, se: Double)? {
        let nIn = Int(inCount[i]), nOut = models - nIn
        guard nIn > 0, nOut > 0 else { return nil }
        let rightIn = Int(inCorrect[i * heldOut.count + j])
        let pIn = Double(rightIn) / Double(nIn)
        let pOut = Double(Int(correctCount[j]) - rightIn) / Double(nOut)
        return (pIn - pOut, (pIn * (1 - pIn) / Double(nIn) + pOut * (1 - pOut) / Double(nOut)).squareRoot())
    }

    /// The four relations of a pair (trained i, held-out j), in the order the summary lists them.
    public static let relationNames = [
        "shares_row_or_column_same_label", "shares_row_or_column_other_label", "neither_same_label",
        "neither_other_label",
    ]

    /// Per relation, the mean influence (`RelationMean`); computed once, by the initialiser.
    private func byRelation(_ data: Dataset) -> [RelationMean] {
        let kinds = Self.relationNames.count
        var perEntity = [[Double]](repeating: [], count: kinds), pairs = [Int](repeating: 0, count: kinds)
        for (j, held) in heldOut.enumerated() {
            var sums = [Double](repeating: 0, count: kinds), counts = [Int](repeating: 0, count: kinds)
            for (i, e) in trained.enumerated() {
                guard let (influence, _) = value(heldOut: j, trained: i) else { continue }
                let shares = data.a[e] == data.a[held] || data.b[e] == data.b[held]
                let relation = (shares ? 0 : 2) + (data.labels[0][e] == data.labels[0][held] ? 0 : 1)
                sums[relation] += influence
                counts[relation] += 1
            }
            for r in sums.indices where counts[r] > 0 {
                perEntity[r].append(sums[r] / Double(counts[r]))
                pairs[r] += counts[r]
            }
        }
        return Self.relationNames.indices.map { r in
            let values = perEntity[r], k = Double(values.count), name = Self.relationNames[r]
            let perHeldOut = Double(pairs[r]) / Double(heldOut.count)
            guard values.count > 1 else {
                return RelationMean(relation: name, mean: values.first ?? .nan, se: .nan, pairsPerEntity: perHeldOut)
            }
            let mean = values.reduce(0, +) / k
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (k - 1)
            return RelationMean(
                relation: name, mean: mean, se: (variance / k).squareRoot(), pairsPerEntity: perHeldOut)
        }
    }

    /// The summary's `influence` object.
    public var summary: JSONValue {
        .object([
            ("held_out", .int(heldOut.count)), ("trained", .int(trained.count)),
            (
                "relations",
                .object(
                    relations.map { row in
                        (
                            row.relation,
                            .object([
                                ("mean", .double(row.mean)), ("se", .double(row.se)),
                                ("pairs_per_entity", .double(row.pairsPerEntity)),
                            ])
                        )
                    })
            ),
        ])
    }

    /// `influence.safetensors`: `influence` and `se` (float32 [held-out, trained]; NaN where undefined), and the
    /// entities' coordinates and labels (int32): `held_out_a`, `held_out_b`, `held_out_label`, `trained_a`, … .
    public func safetensors(_ data: Dataset) -> SafeTensors {
        let (n, h) = (trained.count, heldOut.count)
        var values = [Float](repeating: .nan, count: n * h), errors = values
        for j in 0..<h {
            for i in 0..<n {
                guard let (influence, se) = value(heldOut: j, trained: i) else { continue }
                (values[j * n + i], errors[j * n + i]) = (Float(influence), Float(se))
            }
        }
        var file = SafeTensors(metadata: ["estimator": "subsampled (Feldman & Zhang 2020)", "models": "\(models)"])
        file.add("influence", floats: values, shape: [h, n])
        file.add("se", floats: errors, shape: [h, n])
        file.add("held_out_a", int32s: heldOut.map { data.a[$0] }, shape: [h])
        file.add("held_out_b", int32s: heldOut.map { data.b[$0] }, shape: [h])
        file.add("trained_a", int32s: trained.map { data.a[$0] }, shape: [n])
        file.add("trained_b", int32s: trained.map { data.b[$0] }, shape: [n])
        file.add("held_out_label", int32s: heldOut.map { data.labels[0][$0] }, shape: [h])
        file.add("trained_label", int32s: trained.map { data.labels[0][$0] }, shape: [n])
        return file
    }
}
