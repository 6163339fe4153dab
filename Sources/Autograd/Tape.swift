/// A reverse-mode autodiff tape: ops append nodes, `backward` walks them in
/// reverse (the recording order is a topological order) and adds each
/// node's gradient into its inputs'.
///
/// Buffers come from arenas that `reset()` rewinds, so a training loop that
/// calls `reset()` once per step allocates nothing in steady state.
/// `Tape(recordsGradients: false)` is the evaluation path: it keeps values
/// only, never allocates gradients, and refuses `backward`.
///
/// ```swift
/// let tape = Tape()
/// let w = Parameter(name: "w", rows: 2, cols: 1, fill: 0.5)
/// let x = tape.constant([1, 2, 3, 4], rows: 2, cols: 2)
/// let loss = try tape.mean(tape.matmul(x, tape.parameter(w)))
/// let grads = try tape.backward(loss)   // grads[w] = [2, 3]
/// ```
public final class Tape {
    public let recordsGradients: Bool
    /// Threads that share this tape's matrix products, elementwise loops and
    /// (through `pool`) optimizer updates.
    public var threads: Int { pool.threads }
    /// The threads themselves; an optimizer can reuse them (`Adam.step`).
    public let pool: WorkerPool
    var nodes: [Node] = []
    var generation = 0
    let values = Arena<Float>()
    let gradientBuffers = Arena<Float>()
    let integers = Arena<Int32>()
    let gradients = Gradients()
    var nodeGradients: [UnsafeMutablePointer<Float>?] = []
    /// Floating-point operations done by matrix products since creation.
    public internal(set) var matmulFlops: Double = 0

    public init(recordsGradients: Bool = true, threads: Int = 1) {
        precondition(threads >= 1, "a tape needs at least one thread, got \(threads)")
        self.recordsGradients = recordsGradients
        pool = WorkerPool(threads: threads)
        _ = BLAS.singleThreaded
        nodes.reserveCapacity(64)
    }

    /// Forgets every node and rewinds the buffer pools for the next step.
    public func reset() {
        nodes.removeAll(keepingCapacity: true)
        values.reset()
        integers.reset()
        generation += 1
    }

    /// Elements held by the tape's pools (values, gradients, indices).
    public var heldElements: Int {
        values.heldElements + gradientBuffers.heldElements + integers.heldElements
    }

    // MARK: Leaves

    /// A constant input, copied onto the tape.
    public func constant(_ data: [Float], rows: Int, cols: Int) -> Tensor {
        precondition(data.count == rows * cols, "constant: \(data.count) values for shape [\(rows), \(cols)]")
        return constant(rows: rows, cols: cols) { out in
            for i in 0..<data.count { out[i] = data[i] }
        }
    }

    /// A constant input filled in place by `fill`.
    public func constant(rows: Int, cols: Int, fill: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let out = values.take(rows * cols)
        fill(out)
        return append(.constant, rows: rows, cols: cols, value: out, needsGradient: false)
    }

    /// A trainable parameter; its storage is used in place, not copied.
    public func parameter(_ p: Parameter) -> Tensor {
        append(.parameter(p), rows: p.rows, cols: p.cols, value: p.value, needsGradient: recordsGradients)
    }

    // MARK: Reading values

    public func values(of t: Tensor) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: node(t).value, count: t.count)
    }

    public func array(_ t: Tensor) -> [Float] { Array(values(of: t)) }

    public func scalar(_ t: Tensor) -> Float {
        precondition(t.count == 1, "scalar: tensor has shape \(t.shape)")
        return node(t).value[0]
    }

    // MARK: Internals shared by the ops

    func node(_ t: Tensor) -> Node {
        precondition(
            t.generation == generation && t.id < nodes.count,
            "tensor used after its tape was reset")
        return nodes[t.id]
    }

    func append(_ op: Op, rows: Int, cols: Int, value: UnsafeMutablePointer<Float>, needsGradient: Bool) -> Tensor {
        nodes.append(
            Node(op: op, rows: rows, cols: cols, value: value, needsGradient: needsGradient && recordsGradients))
        return Tensor(id: nodes.count - 1, generation: generation, rows: rows, cols: cols)
    }

    func output(_ count: Int) -> UnsafeMutablePointer<Float> { values.take(count) }

    func needsGradient(_ a: Tensor) -> Bool { nodes[a.id].needsGradient }

    func needsGradient(_ a: Tensor, _ b: Tensor) -> Bool {
        nodes[a.id].needsGradient || nodes[b.id].needsGradient
    }
}
