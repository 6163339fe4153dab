import NN
import Randomness

/// How much a hook behaves like a hash of the tokens rather than a sum of
/// per-token parts:
///
///     E‖h(a1,b1) + h(a2,b2) − h(a1,b2) − h(a2,b1)‖ / E‖h(e1) + h(e2) − h(e3) − h(e4)‖
///
/// over random quadruples: 0 when h(a, b) = f(a) + g(b), about 1 when the
/// four values are as unrelated as four random entities.
public enum HashScore {
    public static let quadruples = 2048

    /// The score of every hook of `model`.
    public static func scores(_ model: ToyModel, seed: UInt64, threads: Int) throws -> [HookPoint: Double] {
        let spec = model.spec
        var rng = SeededGenerator(seed: seed).split(salt: 41)
        var a: [Int32] = [], b: [Int32] = []
        func draw(_ limit: Int) -> Int32 { Int32.random(in: 0..<Int32(limit), using: &rng) }
        for _ in 0..<quadruples {  // the 2 × 2 square (a1,b1) (a2,b2) (a1,b2) (a2,b1)
            let (a1, a2, b1, b2) = (
                draw(spec.vocabularyA), draw(spec.vocabularyA), draw(spec.vocabularyB), draw(spec.vocabularyB)
            )
            a += [a1, a2, a1, a2]
            b += [b1, b2, b2, b1]
        }
        for _ in 0..<(4 * quadruples) {  // four independent entities
            a.append(draw(spec.vocabularyA))
            b.append(draw(spec.vocabularyB))
        }
        var squareNorms: [HookPoint: Double] = [:], randomNorms: [HookPoint: Double] = [:]
        try HookPass.run(model, a: a, b: b, threads: threads) { chunk in
            for hook in chunk.hooks {
                let w = hook.width
                let values = hook.values
                for group in stride(from: 0, to: chunk.count, by: 4) {
                    let row = chunk.offset + group
                    let p = group * w
                    var s = 0.0
                    for j in 0..<w {
                        let d =
                            Double(values[p + j]) + Double(values[p + w + j]) - Double(values[p + 2 * w + j])
                            - Double(values[p + 3 * w + j])
                        s += d * d
                    }
                    if row < 4 * quadruples {
                        squareNorms[hook.point, default: 0] += s.squareRoot()
                    } else {
                        randomNorms[hook.point, default: 0] += s.squareRoot()
                    }
                }
            }
        }
        var result: [HookPoint: Double] = [:]
        for (point, numerator) in squareNorms {
            let denominator = randomNorms[point] ?? 0
            result[point] = denominator > 0 ? numerator / denominator : 0
        }
        return result
    }

    /// A copy of `model` with the entries of each parameter tensor randomly
    /// permuted: the same weight distribution with no learned structure.
    public static func shuffled(_ model: ToyModel, seed: UInt64) -> ToyModel {
        var rng = SeededGenerator(seed: seed).split(salt: 43)
        var unused = SeededGenerator(seed: 0)
        let copy = ToyModel(model.spec, using: &unused)
        for (source, target) in zip(model.parameters, copy.parameters) {
            target.values = source.values.shuffled(using: &rng)
        }
        return copy
    }
}
