/// The gradients of one backward pass, keyed by parameter.
///
/// The store is owned by a `Tape` and reused from pass to pass: the first
/// gradient rule to reach a parameter in a pass writes its buffer, later
/// ones add into it.
///
/// ```swift
/// let grads = try tape.backward(loss)
/// if let g = grads[w] { print(g[0]) }   // dLoss/dw[0, 0]
/// ```
public final class Gradients {
    private var slots: [ObjectIdentifier: Int] = [:]
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private var used: [Bool] = []

    /// The gradient of `parameter`, or nil if the last backward pass did
    /// not reach it.
    public subscript(parameter: Parameter) -> UnsafeMutablePointer<Float>? {
        guard let slot = slots[ObjectIdentifier(parameter)], used[slot] else { return nil }
        return buffers[slot]
    }

    /// The gradient as an array (zeros if unreached), for tests and inspection.
    public func array(_ parameter: Parameter) -> [Float] {
        guard let g = self[parameter] else { return [Float](repeating: 0, count: parameter.count) }
        return Array(UnsafeBufferPointer(start: g, count: parameter.count))
    }

    /// self[p] += other[p] for every parameter of `parameters` that both
    /// passes reached: the gradient of a batch from those of its shards. One
    /// job over all the elements, shared over `pool`.
    public func add(_ other: Gradients, for parameters: [Parameter], pool: WorkerPool) {
        var pairs: [(target: UnsafeMutablePointer<Float>, source: UnsafeMutablePointer<Float>)] = []
        var lengths: [Int] = []
        for p in parameters {
            guard let target = self[p], let source = other[p] else { continue }
            pairs.append((target, source))
            lengths.append(p.count)
        }
        pool.forEachSegment(lengths) { i, r in
            Vectorized.addInto(pairs[i].source + r.lowerBound, pairs[i].target + r.lowerBound, r.count)
        }
    }

    func beginPass() {
        for i in used.indices { used[i] = false }
    }

    /// The buffer for `parameter` in this pass, and whether it is fresh:
    /// not yet written this pass, so the first rule to write it assigns
    /// instead of adding (the buffer is not zeroed; it holds old values).
    func buffer(for parameter: Parameter) -> (buffer: UnsafeMutablePointer<Float>, fresh: Bool) {
        let key = ObjectIdentifier(parameter)
        let slot: Int
        if let existing = slots[key] {
            slot = existing
        } else {
            slot = buffers.count
            slots[key] = slot
            buffers.append(.allocate(capacity: parameter.count))
            used.append(false)
        }
        defer { used[slot] = true }
        return (buffers[slot], !used[slot])
    }

    deinit {
        for b in buffers { b.deallocate() }
    }
}
