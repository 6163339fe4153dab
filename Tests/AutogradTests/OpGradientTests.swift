import Autograd
import Foundation
import XCTest

/// A finite-difference gradient check against a Double reference for every op.
final class OpGradientTests: XCTestCase {
    func testMatmulAllTransposeCombinations() throws {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = ta ? (rows: 4, cols: 3) : (rows: 3, cols: 4)
            let b = tb ? (rows: 5, cols: 4) : (rows: 4, cols: 5)
            try checkGradient(
                OpCase(
                    name: "matmul(ta: \(ta), tb: \(tb))", shapes: [a, b],
                    build: { t, x in try t.matmul(x[0], x[1], transposeA: ta, transposeB: tb) },
                    reference: { x in Ref.matmul(x[0], a.rows, a.cols, ta, x[1], b.rows, b.cols, tb) }))
        }
    }

    func testLinear() throws {
        try checkGradient(
            OpCase(
                name: "linear", shapes: [(3, 4), (4, 5), (1, 5)],
                build: { t, x in try t.linear(x[0], x[1], x[2]) },
                reference: { x in
                    let y = Ref.matmul(x[0], 3, 4, false, x[1], 4, 5, false)
                    return y.indices.map { y[$0] + x[2][$0 % 5] }
                }))
    }

    func testElementwise() throws {
        try checkGradient(
            OpCase(
                name: "add", shapes: [(3, 4), (3, 4)],
                build: { t, x in try t.add(x[0], x[1]) },
                reference: { x in zip(x[0], x[1]).map(+) }))
        try checkGradient(
            OpCase(
                name: "mul", shapes: [(3, 4), (3, 4)],
                build: { t, x in try t.mul(x[0], x[1]) },
                reference: { x in zip(x[0], x[1]).map(*) }))
        try checkGradient(
            OpCase(
                name: "addBias", shapes: [(3, 4), (1, 4)],
                build: { t, x in try t.addBias(x[0], x[1]) },
                reference: { x in x[0].indices.map { x[0][$0] + x[1][$0 % 4] } }))
        try checkGradient(
            OpCase(
                name: "relu", shapes: [(3, 7)],
                build: { t, x in try t.relu(x[0]) },
                reference: { x in x[0].map { max(0, $0) } }))
    }

    /// TopK-ReLU keeps max(0, x) at the k largest entries of each row; the gradient flows there only.
    func testTopKReLU() throws {
        try checkGradient(
            OpCase(
                name: "topKReLU", shapes: [(4, 9)],
                build: { t, x in try t.topKReLU(x[0], k: 3) },
                reference: { x in
                    (0..<4).flatMap { r -> [Double] in
                        let row = Array(x[0][(r * 9)..<(r * 9 + 9)])
                        let kept = Set(row.indices.sorted { row[$0] > row[$1] }.prefix(3))
                        return row.indices.map { kept.contains($0) ? max(0, row[$0]) : 0 }
                    }
                }))
        let tape = Tape(recordsGradients: false)
        XCTAssertThrowsError(try tape.topKReLU(tape.constant([1, 2], rows: 1, cols: 2), k: 3))
    }

    func testGELUBothForms() throws {
        // 4 × 5 = 20 entries: exercises the 8-lane loop and its tail.
        try checkGradient(
            OpCase(
                name: "gelu tanh", shapes: [(4, 5)],
                build: { t, x in try t.gelu(t.mul(x[0], x[0]), form: .tanh) },
                reference: { x in x[0].map { Ref.geluTanh($0 * $0) } }))
        try checkGradient(
            OpCase(
                name: "gelu erf", shapes: [(4, 5)],
                build: { t, x in try t.gelu(x[0], form: .erf) },
                reference: { x in x[0].map(Ref.geluErf) }))
    }

    func testGELUOverAWideRange() throws {
        let xs = stride(from: -12.0, through: 12.0, by: 0.37).map { $0 }
        let tape = Tape()
        let x = tape.constant(xs.map(Float.init), rows: 1, cols: xs.count)
        let tanhForm = tape.array(try tape.gelu(x, form: .tanh))
        let erfForm = tape.array(try tape.gelu(x, form: .erf))
        for (i, v) in xs.enumerated() {
            XCTAssertEqual(Double(tanhForm[i]), Ref.geluTanh(v), accuracy: 1e-6 * (1 + abs(v)))
            XCTAssertEqual(Double(erfForm[i]), Ref.geluErf(v), accuracy: 1e-6 * (1 + abs(v)))
        }
    }

    func testGELUValueAndSavedDerivativeOverAWideRange() throws {
        // With a gradient to compute, the forward pass takes the fused
        // value-and-derivative path; both must match the Double reference
        // (derivative by a central difference in Double, error ~1e-10).
        let xs = stride(from: -12.0, through: 12.0, by: 0.37).map { $0 }
        for (form, reference) in [(GELUForm.tanh, Ref.geluTanh), (.erf, Ref.geluErf)] {
            let p = Parameter(name: "x", rows: 1, cols: xs.count)
            for (i, v) in xs.enumerated() { p.value[i] = Float(v) }
            let tape = Tape()
            let y = try tape.gelu(tape.parameter(p), form: form)
            let values = tape.array(y)
            let slope = try tape.backward(y, seed: [Float](repeating: 1, count: xs.count)).array(p)
            for (i, v) in xs.enumerated() {
                let h = 1e-5, derivative = (reference(v + h) - reference(v - h)) / (2 * h)
                XCTAssertEqual(Double(values[i]), reference(v), accuracy: 1e-6 * (1 + abs(v)), "\(form) at \(v)")
                XCTAssertEqual(Double(slope[i]), derivative, accuracy: 2e-6, "\(form)′ at \(v)")
            }
        }
    }

    func testGatherAndGatherSumWithRepeatedIndices() throws {
        let a: [Int32] = [2, 0, 2, 1], b: [Int32] = [1, 1, 0, 2]
        try checkGradient(
            OpCase(
                name: "gather", shapes: [(3, 4)],
                build: { t, x in try t.gather(x[0], a) },
                reference: { x in
                    var out: [Double] = []
                    for i in a { for c in 0..<4 { out.append(x[0][Int(i) * 4 + c]) } }
                    return out
                }))
        try checkGradient(
            OpCase(
                name: "gatherSum", shapes: [(3, 4), (3, 4)],
                build: { t, x in
                    try a.withUnsafeBufferPointer { pa in
                        try b.withUnsafeBufferPointer { pb in try t.gatherSum(x[0], pa, x[1], pb) }
                    }
                },
                reference: { x in
                    var out: [Double] = []
                    for (i, j) in zip(a, b) {
                        for c in 0..<4 { out.append(x[0][Int(i) * 4 + c] + x[1][Int(j) * 4 + c]) }
                    }
                    return out
                }))
    }

    func testGatherSumFusedWithEachNonlinearity() throws {
        let a: [Int32] = [2, 0, 2, 1, 0], b: [Int32] = [1, 1, 0, 2, 1]
        let cases: [(Nonlinearity, (Double) -> Double)] = [
            (.relu, { max(0, $0) }), (.gelu(.tanh), Ref.geluTanh), (.gelu(.erf), Ref.geluErf),
        ]
        for (nonlinearity, f) in cases {
            // 5 rows × 11 columns: each row has an 8-lane block and a tail.
            try checkGradient(
                OpCase(
                    name: "gatherSum then \(nonlinearity)", shapes: [(3, 11), (3, 11)],
                    build: { t, x in
                        try a.withUnsafeBufferPointer { pa in
                            try b.withUnsafeBufferPointer { pb in
                                try t.gatherSum(x[0], pa, x[1], pb, then: nonlinearity)
                            }
                        }
                    },
                    reference: { x in
                        var out: [Double] = []
                        for (i, j) in zip(a, b) {
                            for c in 0..<11 { out.append(f(x[0][Int(i) * 11 + c] + x[1][Int(j) * 11 + c])) }
                        }
                        return out
                    }))
        }
    }

    func testFusedGatherSumEqualsTheTwoOpsExactly() throws {
        let a: [Int32] = (0..<40).map { i in Int32(i % 7) }
        let b: [Int32] = (0..<40).map { i in Int32((i * 3) % 5) }
        let tableA: [Float] = (0..<(7 * 13)).map { i in Float((i * 37) % 101) / 25 - 2 }
        let tableB: [Float] = (0..<(5 * 13)).map { i in Float((i * 53) % 97) / 24 - 2 }
        for nonlinearity in [Nonlinearity.relu, .gelu(.tanh), .gelu(.erf)] {
            func run(fused: Bool) throws -> (value: [Float], grads: [Float]) {
                let tape = Tape()
                let pa = Parameter(name: "a", rows: 7, cols: 13), pb = Parameter(name: "b", rows: 5, cols: 13)
                pa.values = tableA
                pb.values = tableB
                let (ta, tb) = (tape.parameter(pa), tape.parameter(pb))
                let y = try a.withUnsafeBufferPointer { ia in
                    try b.withUnsafeBufferPointer { ib -> Tensor in
                        if fused { return try tape.gatherSum(ta, ia, tb, ib, then: nonlinearity) }
                        let pre = try tape.gatherSum(ta, ia, tb, ib)
                        switch nonlinearity {
                        case .relu: return try tape.relu(pre)
                        case let .gelu(form): return try tape.gelu(pre, form: form)
                        }
                    }
                }
                let grads = try tape.backward(y, seed: (0..<y.count).map { Float($0 % 9) - 4 })
                return (tape.array(y), grads.array(pa) + grads.array(pb))
            }
            let (fused, plain) = (try run(fused: true), try run(fused: false))
            XCTAssertEqual(fused.value, plain.value, "\(nonlinearity)")
            XCTAssertEqual(fused.grads, plain.grads, "\(nonlinearity)")
        }
    }

    func testConcatSumMean() throws {
        try checkGradient(
            OpCase(
                name: "concat", shapes: [(3, 2), (3, 4)],
                build: { t, x in try t.concat(x[0], x[1]) },
                reference: { x in
                    var out: [Double] = []
                    for r in 0..<3 {
                        out += x[0][(r * 2)..<(r * 2 + 2)]
                        out += x[1][(r * 4)..<(r * 4 + 4)]
                    }
                    return out
                }))
        try checkGradient(
            OpCase(
                name: "sum", shapes: [(3, 4)],
                build: { t, x in try t.sum(x[0]) },
                reference: { x in [x[0].reduce(0, +)] }))
        try checkGradient(
            OpCase(
                name: "mean", shapes: [(3, 4)],
                build: { t, x in try t.mean(x[0]) },
                reference: { x in [x[0].reduce(0, +) / 12] }))
    }

    func testLosses() throws {
        let labels: [Int32] = [2, 0, 1]
        try checkGradient(
            OpCase(
                name: "softmaxCrossEntropy", shapes: [(3, 4)],
                build: { t, x in
                    let five = t.constant([Float](repeating: 5, count: 12), rows: 3, cols: 4)
                    return try t.softmaxCrossEntropy(t.mul(x[0], five), labels: labels)
                },
                reference: { x in
                    var total = 0.0
                    for r in 0..<3 {
                        let row = (0..<4).map { 5 * x[0][r * 4 + $0] }
                        total += log(row.map(exp).reduce(0, +)) - row[Int(labels[r])]
                    }
                    return [total / 3]
                }))
        try checkGradient(
            OpCase(
                name: "meanSquaredError", shapes: [(3, 4), (3, 4)],
                build: { t, x in try t.meanSquaredError(x[0], x[1]) },
                reference: { x in
                    var total = 0.0
                    for (p, q) in zip(x[0], x[1]) { total += (p - q) * (p - q) }
                    return [total / 12]
                }))
    }
}
