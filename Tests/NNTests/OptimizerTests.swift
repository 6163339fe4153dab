import Autograd
import NN
import XCTest

/// Optimizer updates against values computed by hand over several steps.
final class OptimizerTests: XCTestCase {
    /// A tape whose backward gives `grad` for `p`: loss = Σ grad ⊙ p.
    private func gradients(_ p: Parameter, _ grad: [Float], on tape: Tape) throws -> Gradients {
        tape.reset()
        let g = tape.constant(grad, rows: p.rows, cols: p.cols)
        return try tape.backward(tape.sum(tape.mul(tape.parameter(p), g)))
    }

    func testSGDWithMomentumByHand() throws {
        // θ0 = 1, lr 0.1, μ 0.9, gradients 1, 2, 3:
        // v1 = 1            θ1 = 1 − 0.1       = 0.9
        // v2 = 0.9 + 2 = 2.9 θ2 = 0.9 − 0.29  = 0.61
        // v3 = 2.61 + 3 = 5.61 θ3 = 0.61 − 0.561 = 0.049
        let p = Parameter(name: "p", rows: 1, cols: 1, fill: 1)
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        let tape = Tape()
        var seen: [Float] = []
        for g in [Float(1), 2, 3] {
            sgd.step([p], try gradients(p, [g], on: tape))
            seen.append(p.values[0])
        }
        XCTAssertEqual(seen[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(seen[1], 0.61, accuracy: 1e-6)
        XCTAssertEqual(seen[2], 0.049, accuracy: 1e-6)
    }

    func testSGDWeightDecayIsAnL2Term() throws {
        // g = 0 + 0.5·θ, θ1 = 2 − 0.1·(0.5·2) = 1.9.
        let p = Parameter(name: "p", rows: 1, cols: 1, fill: 2)
        let sgd = SGD(learningRate: 0.1, weightDecay: 0.5)
        sgd.step([p], try gradients(p, [0], on: Tape()))
        XCTAssertEqual(p.values[0], 1.9, accuracy: 1e-6)
    }

    func testAdamByHandOverThreeSteps() throws {
        // lr 0.1, β1 0.9, β2 0.999, ε 1e-8, θ0 = 0, gradients 1, −1, 2.
        // t=1: m = 0.1, v = 0.001;  m̂ = 1, v̂ = 1 → θ1 = −0.1 (1/(1+1e-8))
        // t=2: m = 0.09 − 0.1 = −0.01, v = 0.000999 + 0.001 = 0.001999
        //      m̂ = −0.01/0.19 = −0.0526316, v̂ = 0.001999/0.001999 = 1 → θ2 = −0.1 + 0.00526316 = −0.0947368
        // t=3: m = −0.009 + 0.2 = 0.191, v = 0.001997001 + 0.004 = 0.005997001
        //      m̂ = 0.191/0.271 = 0.704797, v̂ = 0.005997001/0.002997001 = 2.001001
        //      θ3 = −0.0947368 − 0.1·0.704797/1.414567 = −0.1445611
        let p = Parameter(name: "p", rows: 1, cols: 1, fill: 0)
        let adam = Adam(learningRate: 0.1)
        let tape = Tape()
        let expected: [Float] = [-0.1, -0.094_736_8, -0.144_561_1]
        for (g, e) in zip([Float(1), -1, 2], expected) {
            adam.step([p], try gradients(p, [g], on: tape))
            XCTAssertEqual(p.values[0], e, accuracy: 2e-6)
        }
        XCTAssertEqual(adam.stepCount, 3)
    }

    func testAdamWDecouplesWeightDecay() throws {
        // AdamW, lr 0.1, λ 0.5, θ0 = 2, gradient 0 at every step:
        // the moments stay 0, so only the decay acts: θ_t = 2·(1 − 0.05)^t.
        let p = Parameter(name: "p", rows: 1, cols: 1, fill: 2)
        let adamw = Adam(learningRate: 0.1, weightDecay: 0.5, decoupled: true)
        let tape = Tape()
        for _ in 0..<3 { adamw.step([p], try gradients(p, [0], on: tape)) }
        XCTAssertEqual(p.values[0], 2 * 0.95 * 0.95 * 0.95, accuracy: 1e-6)

        // Adam's L2 term instead goes through the moments: first step moves by lr·sign = 0.1.
        let q = Parameter(name: "q", rows: 1, cols: 1, fill: 2)
        let adam = Adam(learningRate: 0.1, weightDecay: 0.5)
        adam.step([q], try gradients(q, [0], on: tape))
        XCTAssertEqual(q.values[0], 1.9, accuracy: 1e-6)
    }

    func testBiasCorrectionAdvancesOncePerStepNotPerParameter() throws {
        // Two parameters with identical gradients must move identically; a
        // per-parameter step counter would give the second a different step.
        let a = Parameter(name: "a", rows: 1, cols: 2, fill: 1)
        let b = Parameter(name: "b", rows: 1, cols: 2, fill: 1)
        let adam = Adam(learningRate: 0.01)
        let tape = Tape()
        for g in [Float(0.3), -0.7, 0.2] {
            tape.reset()
            let grad = tape.constant([g, g], rows: 1, cols: 2)
            let loss = try tape.add(
                tape.sum(tape.mul(tape.parameter(a), grad)),
                tape.sum(tape.mul(tape.parameter(b), grad)))
            adam.step([a, b], try tape.backward(loss))
        }
        XCTAssertEqual(a.values, b.values)
        XCTAssertEqual(adam.stepCount, 3)
    }
}

/// Updates shared over threads are elementwise, so they must equal the
/// serial update bit for bit, wherever the split falls.
final class ParallelOptimizerTests: XCTestCase {
    func testAdamWOnTwoThreadsEqualsSerialExactly() throws {
        func parameters() -> [Parameter] {
            // 10,001 + 9,000 elements: the split falls inside the first one, off a multiple of 8.
            [Parameter(name: "p", rows: 1, cols: 10_001), Parameter(name: "q", rows: 90, cols: 100)].map { p in
                for i in 0..<p.count { p.value[i] = Float((i * 31) % 17) / 8 - 1 }
                return p
            }
        }
        let serial = parameters(), shared = parameters()
        let serialAdam = Adam(learningRate: 0.01, weightDecay: 0.1, decoupled: true)
        let sharedAdam = Adam(learningRate: 0.01, weightDecay: 0.1, decoupled: true)
        let pool = WorkerPool(threads: 2)
        for step in 0..<3 {
            for (ps, adam, pool) in [(serial, serialAdam, WorkerPool.serial), (shared, sharedAdam, pool)] {
                let tape = Tape()
                var loss = try tape.sum(tape.mul(tape.parameter(ps[0]), tape.parameter(ps[0])))
                loss = try tape.add(
                    loss,
                    tape.sum(
                        tape.mul(
                            tape.parameter(ps[1]),
                            tape.constant(rows: 90, cols: 100) { g in
                                for i in 0..<9_000 { g[i] = Float((i + step) % 7) - 3 }
                            })))
                adam.step(ps, try tape.backward(loss), pool: pool)
            }
        }
        XCTAssertEqual(serial[0].values, shared[0].values)
        XCTAssertEqual(serial[1].values, shared[1].values)
        XCTAssertNotEqual(serial[0].values, parameters()[0].values, "the steps changed nothing")
    }
}
