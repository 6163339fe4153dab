import Autograd
import Foundation
import XCTest

/// One op under test: how to build it on a tape from parameter inputs, and
/// the same function written naively in Double as the reference.
struct OpCase {
    let name: String
    let shapes: [(rows: Int, cols: Int)]
    let build: (Tape, [Tensor]) throws -> Tensor
    let reference: ([[Double]]) -> [Double]
}

/// Random inputs kept away from 0 by at least 0.05, so ReLU's kink is never
/// within a finite-difference step.
func randomInputs(_ shapes: [(rows: Int, cols: Int)], seed: UInt64) -> [[Double]] {
    var state = seed &+ 0x9E37_79B9
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1.0p-53
    }
    return shapes.map { shape in
        (0..<(shape.rows * shape.cols)).map { _ in
            let u = 0.05 + 0.95 * next()
            return next() < 0.5 ? -u : u
        }
    }
}

/// Checks the engine's forward value against the Double reference and its
/// gradient of Σ seed ⊙ f against central finite differences of the
/// reference (h = 1e-6 in Double, so truncation error is ~1e-12).
func checkGradient(
    _ c: OpCase, seed: UInt64 = 1, threads: Int = 1,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    let inputs = randomInputs(c.shapes, seed: seed)
    let parameters = zip(c.shapes, inputs).enumerated().map { i, pair in
        let p = Parameter(name: "x\(i)", rows: pair.0.rows, cols: pair.0.cols)
        p.values = pair.1.map(Float.init)
        return p
    }
    // Reference inputs are the Float-rounded values the engine sees.
    let exact = parameters.map { $0.values.map(Double.init) }
    let expected = c.reference(exact)
    let weights = randomInputs([(1, expected.count)], seed: seed + 99)[0]

    let tape = Tape(threads: threads)
    let out = try c.build(tape, parameters.map { tape.parameter($0) })
    let value = tape.array(out).map(Double.init)
    XCTAssertEqual(value.count, expected.count, "\(c.name): output size", file: file, line: line)
    for (v, e) in zip(value, expected) {
        XCTAssertEqual(v, e, accuracy: 2e-5 * (1 + abs(e)), "\(c.name): forward value", file: file, line: line)
    }
    let grads = try tape.backward(out, seed: weights.map(Float.init))

    func objective(_ xs: [[Double]]) -> Double {
        zip(c.reference(xs), weights).reduce(0) { $0 + $1.0 * $1.1 }
    }
    for (i, p) in parameters.enumerated() {
        let analytic = grads.array(p)
        for j in 0..<p.count {
            var plus = exact, minus = exact
            plus[i][j] += 1e-6
            minus[i][j] -= 1e-6
            let numeric = (objective(plus) - objective(minus)) / 2e-6
            XCTAssertEqual(
                Double(analytic[j]), numeric, accuracy: 1e-4 * (1 + abs(numeric)),
                "\(c.name): d/d x\(i)[\(j)]", file: file, line: line)
        }
    }
}

/// Naive Double matrix helpers for the references.
enum Ref {
    static func matmul(
        _ a: [Double], _ ar: Int, _ ac: Int, _ ta: Bool,
        _ b: [Double], _ br: Int, _ bc: Int, _ tb: Bool
    ) -> [Double] {
        let (m, k) = ta ? (ac, ar) : (ar, ac)
        let n = tb ? br : bc
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for p in 0..<k {
                    let x = ta ? a[p * ac + i] : a[i * ac + p]
                    let y = tb ? b[j * bc + p] : b[p * bc + j]
                    out[i * n + j] += x * y
                }
            }
        }
        return out
    }

    static func geluTanh(_ x: Double) -> Double {
        0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
    }

    static func geluErf(_ x: Double) -> Double {
        0.5 * x * (1 + erf(x / 2.0.squareRoot()))
    }
}
