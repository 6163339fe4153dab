import Autograd
import Foundation
import XCTest

/// Backward writes an input's gradient on first contact and adds later
/// contributions; `add` hands its own gradient buffer to an input that has
/// none yet. These cases route gradients through intermediate values (the
/// op tests only differentiate parameters), so every first-write, hand-over
/// and accumulate path is checked against finite differences, on one thread
/// and on two (where small products of one rule go to different threads).
final class GradientFlowTests: XCTestCase {
    private func check(_ c: OpCase) throws {
        for threads in [1, 2] { try checkGradient(c, threads: threads) }
    }

    private static func linear(
        _ x: [Double], _ rows: Int, _ inner: Int, _ w: [Double], _ cols: Int,
        _ b: [Double]
    ) -> [Double] {
        let y = Ref.matmul(x, rows, inner, false, w, inner, cols, false)
        return y.indices.map { y[$0] + b[$0 % cols] }
    }

    func testResidualStreamFeedsAnAddAndAProduct() throws {
        // h = x·W + b;  out = h + gelu(h)·V: h's gradient is handed the add's
        // buffer, then the product's backward adds into it.
        try check(
            OpCase(
                name: "residual", shapes: [(3, 4), (4, 4), (1, 4), (4, 4)],
                build: { t, x in
                    let h = try t.linear(x[0], x[1], x[2])
                    return try t.add(h, t.matmul(t.gelu(h, form: .erf), x[3]))
                },
                reference: { x in
                    let h = Self.linear(x[0], 3, 4, x[1], 4, x[2])
                    let branch = Ref.matmul(h.map(Ref.geluErf), 3, 4, false, x[3], 4, 4, false)
                    return zip(h, branch).map(+)
                }))
    }

    func testIntermediateAddedToItself() throws {
        // out = relu(x ⊙ y) + relu(x ⊙ y) through one node: the hand-over, then a doubling.
        try check(
            OpCase(
                name: "h + h", shapes: [(3, 5), (3, 5)],
                build: { t, x in
                    let h = try t.relu(t.mul(x[0], x[1]))
                    return try t.add(h, h)
                },
                reference: { x in zip(x[0], x[1]).map { 2 * max(0, $0 * $1) } }))
    }

    func testAnAddHandsItsBufferToOneInputOnly() throws {
        // s = h1 + h2 with both gradients fresh, and c (recorded between h2
        // and s) adds into h1's gradient before h2's is read: h2 must not
        // share h1's buffer.
        try check(
            OpCase(
                name: "h1 + h2, h1 reused", shapes: [(2, 8), (2, 8)],
                build: { t, x in
                    let h1 = try t.mul(x[0], x[1]), h2 = try t.relu(x[0])
                    let c = try t.mul(h1, x[1])
                    return try t.add(t.add(h1, h2), c)
                },
                reference: { x in
                    x[0].indices.map { i in
                        let h1 = x[0][i] * x[1][i]
                        return h1 + max(0, x[0][i]) + h1 * x[1][i]
                    }
                }))
    }

    func testBiasAddedToAnIntermediate() throws {
        try check(
            OpCase(
                name: "addBias(gelu(x)) + x·W", shapes: [(4, 3), (1, 3), (3, 3)],
                build: { t, x in
                    let h = try t.addBias(t.gelu(x[0], form: .tanh), x[1])
                    return try t.add(t.matmul(x[0], x[2]), h)
                },
                reference: { x in
                    let p = Ref.matmul(x[0], 4, 3, false, x[2], 3, 3, false)
                    return p.indices.map { p[$0] + Ref.geluTanh(x[0][$0]) + x[1][$0 % 3] }
                }))
    }

    func testOneValueOnBothSidesOfAProduct() throws {
        // x·x and xᵀ·x: both gradients of one rule land in the same buffer.
        for ta in [false, true] {
            try check(
                OpCase(
                    name: "matmul(x, x, transposeA: \(ta))", shapes: [(3, 3)],
                    build: { t, x in try t.matmul(x[0], x[0], transposeA: ta) },
                    reference: { x in Ref.matmul(x[0], 3, 3, ta, x[0], 3, 3, false) }))
        }
    }

    func testOneTableOnBothSidesOfAGatherSum() throws {
        let a: [Int32] = [2, 0, 2, 1], b: [Int32] = [1, 1, 0, 2]
        try check(
            OpCase(
                name: "gatherSum(x, a, x, b)", shapes: [(3, 4)],
                build: { t, x in
                    try a.withUnsafeBufferPointer { pa in
                        try b.withUnsafeBufferPointer { pb in try t.gatherSum(x[0], pa, x[0], pb) }
                    }
                },
                reference: { x in
                    var out: [Double] = []
                    for (i, j) in zip(a, b) {
                        for c in 0..<4 { out.append(x[0][Int(i) * 4 + c] + x[0][Int(j) * 4 + c]) }
                    }
                    return out
                }))
    }

    func testAParameterReachedThroughTwoNodes() throws {
        // W enters twice as separate tape nodes: the second rule to reach it
        // must add to what the first wrote.
        let w = Parameter(name: "w", rows: 2, cols: 2)
        w.values = [1, 2, 3, 4]
        let tape = Tape()
        let x = tape.constant([1, 0, 0, 1], rows: 2, cols: 2)
        let loss = try tape.sum(tape.add(tape.matmul(x, tape.parameter(w)), tape.matmul(x, tape.parameter(w))))
        XCTAssertEqual(try tape.backward(loss).array(w), [2, 2, 2, 2])
    }

    func testAReusedTapeKeepsNoGradientFromThePreviousPass() throws {
        // Gradient buffers are reused and not zeroed: a second pass over a
        // different function must give exactly what a new tape gives.
        let w = Parameter(name: "w", rows: 3, cols: 2)
        w.values = [0.5, -1, 2, 0.25, -0.75, 1.5]
        let v = Parameter(name: "v", rows: 2, cols: 2)
        v.values = [1, -2, 0.5, 3]
        let x: [Float] = [1, 2, -1, 0.5, 3, -2]
        func secondPass(_ tape: Tape) throws -> Gradients {
            let h = try tape.matmul(tape.constant(x, rows: 2, cols: 3), tape.parameter(w))
            return try tape.backward(tape.mean(tape.mul(h, h)))
        }
        let reused = Tape()
        _ = try reused.backward(
            reused.sum(
                reused.matmul(
                    reused.matmul(reused.constant(x, rows: 2, cols: 3), reused.parameter(w)), reused.parameter(v))))
        reused.reset()
        let again = try secondPass(reused), fresh = try secondPass(Tape())
        XCTAssertEqual(again.array(w), fresh.array(w))
        XCTAssertNil(again[v], "v was not reached in the second pass")
    }
}
