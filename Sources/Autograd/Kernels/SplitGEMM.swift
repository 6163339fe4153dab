/// One matrix product C[m,n] = op(A)[m,k] · op(B)[k,n] + beta · C
/// (row-major, arguments as `BLAS.gemm`) whose work a `WorkerPool` job can
/// share: each part computes a block of C's rows, or of its columns when C
/// is wider than tall, with single-threaded `sgemm`. Blocks of C are
/// independent, so nothing is reduced across threads and the split is fixed
/// by the shape and the thread count.
///
/// ```swift
/// let p = Product(transposeA: false, transposeB: true, m: 256, n: 64, k: 256,
///                 a: dy, lda: 256, b: w, ldb: 256, beta: 0, c: dx, ldc: 64)
/// pool.gemm(p)                                        // alone, or inside a job:
/// pool.run { part in p.compute(part: part, of: pool.threads) }
/// ```
struct Product {
    let transposeA: Bool, transposeB: Bool
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int

    /// Products below this many multiply-adds (a few microseconds of work)
    /// are not split: handing out halves would cost more than it saves.
    static let splitThreshold = 1 << 18

    func splits(over parts: Int) -> Bool { parts > 1 && m * n * k >= Self.splitThreshold }

    /// The rows and columns of C that part `part` of `parts` computes. A
    /// product too small to split goes whole to part `owner`, so that several
    /// small products in one job can land on different threads.
    func block(part: Int, of parts: Int, owner: Int = 0) -> (rows: Range<Int>, cols: Range<Int>) {
        guard splits(over: parts) else { return part == owner % parts ? (0..<m, 0..<n) : (0..<0, 0..<0) }
        // Multiples of 16 keep every block a whole number of sgemm register tiles.
        return m >= n
            ? (WorkerPool.slice(m, part: part, of: parts, alignment: 16), 0..<n)
            : (0..<m, WorkerPool.slice(n, part: part, of: parts, alignment: 16))
    }

    /// Computes part `part`'s block (see `block`).
    func compute(part: Int, of parts: Int, owner: Int = 0) {
        let (rows, cols) = block(part: part, of: parts, owner: owner)
        compute(rows: rows, cols: cols)
    }

    /// Computes C[rows, cols]: rows of op(A) times columns of op(B).
    func compute(rows: Range<Int>, cols: Range<Int>) {
        guard !rows.isEmpty, !cols.isEmpty else { return }
        guard k > Self.thinInner else { return computeThin(rows: rows, cols: cols) }
        let blockA = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
        let blockB = transposeB ? b + cols.lowerBound * ldb : b + cols.lowerBound
        let blockC = c + rows.lowerBound * ldc + cols.lowerBound
        // For beta = 0 OpenBLAS zeroes C with its own loop, several times slower
        // than memset; zeroing here and accumulating (beta = 1) gives the same sums.
        if beta == 0 {
            for r in 0..<rows.count { (blockC + r * ldc).update(repeating: 0, count: cols.count) }
        }
        BLAS.gemm(
            transposeA: transposeA, transposeB: transposeB, m: rows.count, n: cols.count, k: k,
            a: blockA, lda: lda, b: blockB, ldb: ldb, beta: beta == 0 ? 1 : beta, c: blockC, ldc: ldc)
    }
}

extension WorkerPool {
    /// Runs `body` on every part's block of `product`'s C: in one job when
    /// the product is large enough to split, on the caller alone otherwise.
    func forEachBlock(of product: Product, _ body: (_ rows: Range<Int>, _ cols: Range<Int>) -> Void) {
        guard product.splits(over: threads) else { return body(0..<product.m, 0..<product.n) }
        run { part in
            let (rows, cols) = product.block(part: part, of: threads)
            if !rows.isEmpty && !cols.isEmpty { body(rows, cols) }
        }
    }

    /// Computes `product`, split over the pool when it is large enough.
    func gemm(_ product: Product) {
        forEachBlock(of: product) { product.compute(rows: $0, cols: $1) }
    }
}
