import Autograd
import XCTest

/// The worker pool hands out every part exactly once, its ranges tile the
/// work, and products split over threads equal the single-threaded ones.
final class WorkerPoolTests: XCTestCase {
    func testRunCallsEveryPartOncePerJob() {
        let pool = WorkerPool(threads: 3)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 3)
        counts.initialize(repeating: 0, count: 3)
        defer { counts.deallocate() }
        for _ in 0..<2_000 { pool.run { part in counts[part] += 1 } }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: counts, count: 3)), [2_000, 2_000, 2_000])
    }

    func testRangesTileTheWorkWithAlignedInnerBounds() {
        for threads in [1, 2, 3] {
            let pool = WorkerPool(threads: threads)
            for count in [0, 1, 7, 100, 1_000, 100_003] {
                for alignment in [1, 8, 16] {
                    let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(count, 1))
                    hits.initialize(repeating: 0, count: max(count, 1))
                    var bounds: [Int] = []
                    for part in 0..<threads {
                        bounds.append(WorkerPool.slice(count, part: part, of: threads, alignment: alignment).lowerBound)
                    }
                    pool.forEachRange(count, alignment: alignment, minimum: 0) { r in
                        for i in r { hits[i] += 1 }
                    }
                    let context = "threads \(threads), count \(count), alignment \(alignment)"
                    XCTAssertEqual(
                        Array(UnsafeBufferPointer(start: hits, count: count)),
                        [Int](repeating: 1, count: count), context)
                    for b in bounds where b != count { XCTAssertEqual(b % alignment, 0, context) }
                    hits.deallocate()
                }
            }
        }
    }

    func testSplitProductsEqualSingleThreadedOnes() throws {
        // Large enough to be split (≥ 2¹⁸ multiply-adds); one shape splits
        // C's rows (m ≥ n), the other its columns.
        for (m, k, n) in [(200, 48, 40), (40, 48, 200)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 50 - 1 }
                let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 48 - 1 }
                func product(threads: Int) throws -> [Float] {
                    let tape = Tape(threads: threads)
                    let x = ta ? tape.constant(a, rows: k, cols: m) : tape.constant(a, rows: m, cols: k)
                    let y = tb ? tape.constant(b, rows: n, cols: k) : tape.constant(b, rows: k, cols: n)
                    return tape.array(try tape.matmul(x, y, transposeA: ta, transposeB: tb))
                }
                let serial = try product(threads: 1), split = try product(threads: 2)
                let worst = zip(serial, split).map { abs($0 - $1) }.max() ?? 0
                // Each entry is a sum of 48 products of size ≤ 1; float32
                // rounding of reordered blocks stays far below 1e-5.
                XCTAssertLessThanOrEqual(worst, 1e-5, "m \(m) k \(k) n \(n) transposes \(ta) \(tb)")
            }
        }
    }

    func testThinProductsMatchTheDoubleReference() throws {
        // Inner dimensions 1–4 run as a plain loop (5 goes to sgemm); 37 × 45
        // leaves tails past the 8-lane blocks, and 300 × 900 × 3 is split
        // over two threads. Sums of ≤ 5 products of size ≤ 1 round to < 1e-6.
        for (m, n, ks) in [(37, 45, Array(1...5)), (300, 900, [3])] {
            for k in ks {
                for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                    let a = (0..<(m * k)).map { Float(($0 * 37) % 101) / 50 - 1 }
                    let b = (0..<(k * n)).map { Float(($0 * 53) % 97) / 48 - 1 }
                    var expected = [Double](repeating: 0, count: m * n)
                    for i in 0..<m {
                        for j in 0..<n {
                            for p in 0..<k {
                                let x = Double(ta ? a[p * m + i] : a[i * k + p])
                                let y = Double(tb ? b[j * k + p] : b[p * n + j])
                                expected[i * n + j] += x * y
                            }
                        }
                    }
                    for threads in [1, 2] {
                        let tape = Tape(threads: threads)
                        let x = ta ? tape.constant(a, rows: k, cols: m) : tape.constant(a, rows: m, cols: k)
                        let y = tb ? tape.constant(b, rows: n, cols: k) : tape.constant(b, rows: k, cols: n)
                        let got = tape.array(try tape.matmul(x, y, transposeA: ta, transposeB: tb))
                        let worst = zip(got, expected).map { abs(Double($0) - $1) }.max() ?? 0
                        XCTAssertLessThanOrEqual(
                            worst, 1e-6, "m \(m) n \(n) k \(k) transposes \(ta) \(tb), \(threads) threads")
                    }
                }
            }
        }
    }
}
