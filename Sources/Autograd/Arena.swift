/// A pool of buffers reused from one step to the next.
///
/// The n-th buffer taken after `reset()` is the n-th buffer of the previous
/// step, grown only if the new request is larger. A training loop whose
/// steps have the same shapes therefore allocates nothing after its first
/// step, and memory stays flat.
final class Arena<Element> {
    private var buffers: [UnsafeMutablePointer<Element>] = []
    private var capacities: [Int] = []
    private var cursor = 0

    func reset() { cursor = 0 }

    func take(_ count: Int) -> UnsafeMutablePointer<Element> {
        defer { cursor += 1 }
        let size = Swift.max(count, 1)
        if cursor < buffers.count {
            if capacities[cursor] >= size { return buffers[cursor] }
            buffers[cursor].deallocate()
            buffers[cursor] = .allocate(capacity: size)
            capacities[cursor] = size
            return buffers[cursor]
        }
        buffers.append(.allocate(capacity: size))
        capacities.append(size)
        return buffers[cursor]
    }

    /// Total elements held, for memory accounting in benchmarks.
    var heldElements: Int { capacities.reduce(0, +) }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
