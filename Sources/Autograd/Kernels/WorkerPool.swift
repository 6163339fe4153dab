import Foundation
import Synchronization

/// A fixed team of threads that run the parts of one job side by side:
/// `run` calls `body(0)` on the caller and `body(1)`…`body(threads − 1)` on
/// helper threads, and returns when every part has finished.
///
/// The engine splits its matrix products, elementwise loops and optimizer
/// updates this way instead of using OpenBLAS's own threads. For the small
/// products of toy models OpenBLAS's pool spends much of its time waking and
/// yielding; these helpers spin briefly between jobs (a training step issues
/// one every few microseconds) and sleep on a condition variable when idle.
/// Each part always covers the same slice of the work, so results are
/// bit-identical run to run for a given thread count.
///
/// ```swift
/// let pool = WorkerPool(threads: 2)
/// pool.run { part in fill(half: part) }
/// ```
public final class WorkerPool: @unchecked Sendable {
    /// Threads taking part, the caller included.
    public let threads: Int
    private let shared: Shared

    /// A pool of `threads` threads: the caller plus `threads − 1` helpers.
    public init(threads: Int) {
        precondition(threads >= 1, "a worker pool needs at least one thread, got \(threads)")
        self.threads = threads
        // More threads than cores: spinning would take the cores from the threads with work.
        shared = Shared(spins: threads <= ProcessInfo.processInfo.activeProcessorCount)
        for helper in 1..<threads {
            let shared = self.shared
            let thread = Thread { shared.serve(part: helper) }
            thread.name = "toymem-worker-\(helper)"
            thread.start()
        }
    }

    deinit { shared.stop() }

    /// A pool of one thread: `run` is a plain call. Shared, since it holds
    /// no threads and no mutable state.
    public static let serial = WorkerPool(threads: 1)

    /// Runs `body(p)` for every part p in 0..<threads and waits for all of
    /// them. With one thread it is a plain call.
    public func run(_ body: (Int) -> Void) {
        guard threads > 1 else { return body(0) }
        // A part that called `run` again would wait for helpers busy with its own job.
        precondition(shared.job == nil, "WorkerPool.run called from inside a job; it is not reentrant")
        withoutActuallyEscaping(body) { escaping in
            shared.start(escaping, helpers: threads - 1)
            escaping(0)
            shared.waitForHelpers()
        }
    }

    /// Splits 0..<count into `threads` contiguous ranges whose bounds are
    /// multiples of `alignment` (except the end) and runs `body` on each.
    /// The split happens only when the work, `count` items of `itemSize`
    /// elements each (say rows of a matrix), is at least `minimum` elements,
    /// about 16k by default, and every thread gets an aligned block;
    /// smaller passes cost less than handing them out.
    public func forEachRange(
        _ count: Int, alignment: Int = 8, itemSize: Int = 1, minimum: Int = 16_384,
        _ body: (Range<Int>) -> Void
    ) {
        guard Self.splits(count, over: threads, alignment: alignment, itemSize: itemSize, minimum: minimum) else {
            return body(0..<count)
        }
        run { part in
            let range = Self.slice(count, part: part, of: threads, alignment: alignment)
            if !range.isEmpty { body(range) }
        }
    }

    /// Shares a pass over several buffers laid end to end, of `lengths`
    /// elements each, as one `forEachRange`: `body(i, r)` handles elements
    /// `r` of buffer i. Small buffers then cost no job of their own.
    public func forEachSegment(_ lengths: [Int], _ body: (_ segment: Int, _ range: Range<Int>) -> Void) {
        forEachRange(lengths.reduce(0, +)) { range in
            var offset = 0
            for (i, length) in lengths.enumerated() {
                let lo = max(range.lowerBound, offset) - offset, hi = min(range.upperBound, offset + length) - offset
                if lo < hi { body(i, lo..<hi) }
                offset += length
            }
        }
    }

    /// Part `part`'s share of 0..<count when a pass is shared as
    /// `forEachRange` shares it, for fusing several passes into one `run`: an
    /// aligned slice when the pass is large enough to split, otherwise all
    /// of it for part `owner` and nothing for the others.
    public static func share(
        _ count: Int, part: Int, of parts: Int, alignment: Int = 8, itemSize: Int = 1,
        minimum: Int = 16_384, owner: Int = 0
    ) -> Range<Int> {
        if splits(count, over: parts, alignment: alignment, itemSize: itemSize, minimum: minimum) {
            return slice(count, part: part, of: parts, alignment: alignment)
        }
        return part == owner % parts ? 0..<count : 0..<0
    }

    private static func splits(_ count: Int, over parts: Int, alignment: Int, itemSize: Int, minimum: Int) -> Bool {
        parts > 1 && count * itemSize >= minimum && count >= parts * alignment
    }

    /// The `part`-th of `parts` near-equal contiguous slices of 0..<count,
    /// with inner bounds rounded to multiples of `alignment`.
    public static func slice(_ count: Int, part: Int, of parts: Int, alignment: Int) -> Range<Int> {
        func bound(_ p: Int) -> Int {
            if p >= parts { return count }
            let raw = count * p / parts
            return min(count, (raw + alignment / 2) / alignment * alignment)
        }
        return bound(part)..<max(bound(part), bound(part + 1))
    }
}

/// The state the caller and the helpers share. Helpers hold this, not the
/// pool, so the pool's deinit can stop them.
private final class Shared: @unchecked Sendable {
    /// Bumped once per job; a helper runs a job when it sees a new value.
    let generation = Atomic<Int>(0)
    /// Helpers still working on the current job.
    let remaining = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let wake = NSCondition()
    /// The current job, written before `generation` is bumped (release) and
    /// read after it is seen (acquire).
    nonisolated(unsafe) var job: ((Int) -> Void)?
    /// Whether waiting threads spin (enough cores) or yield and sleep (oversubscribed).
    let spins: Bool

    init(spins: Bool) { self.spins = spins }

    /// Iterations a helper spins before sleeping, about a millisecond: longer
    /// than any pause inside a training step, so helpers sleep only between runs.
    static let spinLimit = 1 << 21

    func start(_ body: @escaping (Int) -> Void, helpers: Int) {
        job = body
        remaining.store(helpers, ordering: .relaxed)
        wake.lock()
        generation.add(1, ordering: .releasing)
        wake.broadcast()
        wake.unlock()
    }

    func waitForHelpers() {
        while remaining.load(ordering: .acquiring) != 0 { if !spins { sched_yield() } }
        job = nil
    }

    func serve(part: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            let limit = self.spins ? Self.spinLimit : 0
            while current == seen && spins < limit && !stopping.load(ordering: .relaxed) {
                spins += 1
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                wake.lock()
                while generation.load(ordering: .acquiring) == seen && !stopping.load(ordering: .relaxed) {
                    wake.wait()
                }
                wake.unlock()
                if stopping.load(ordering: .relaxed) { return }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if let job { job(part) }
            remaining.subtract(1, ordering: .releasing)
        }
    }

    func stop() {
        wake.lock()
        stopping.store(true, ordering: .relaxed)
        wake.broadcast()
        wake.unlock()
    }
}
