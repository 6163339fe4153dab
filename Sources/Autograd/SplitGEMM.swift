/// Matrix products split over a `WorkerPool`: each thread computes a block
/// of C's rows (or columns, when C is wider than tall) with single-threaded
/// `sgemm`. Blocks of C are independent, so nothing is reduced across
/// threads and the split is fixed by the shape and the thread count.
extension WorkerPool {
    /// Products below this many multiply-adds (a few microseconds of work)
    /// run on the caller alone: handing them out would cost more than it saves.
    static let gemmSplitThreshold = 1 << 18

    /// C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C, row-major, with
    /// the same arguments as `BLAS.gemm`.
    func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard threads > 1, m * n * k >= Self.gemmSplitThreshold else {
            return BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                             a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: 1)
        }
        let splitRows = m >= n
        BLAS.setThreads(1)  // here, so the helpers never write OpenBLAS's global
        run { part in
            // Multiples of 16 keep every block a whole number of sgemm register tiles.
            let range = Self.slice(splitRows ? m : n, part: part, of: threads, alignment: 16)
            guard !range.isEmpty else { return }
            let first = range.lowerBound
            if splitRows {  // rows first..<first+count of op(A) and of C
                let blockA = transposeA ? a + first : a + first * lda
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: range.count, n: n, k: k, alpha: alpha,
                          a: blockA, lda: lda, b: b, ldb: ldb, beta: beta, c: c + first * ldc, ldc: ldc, threads: 1)
            } else {        // columns first..<first+count of op(B) and of C
                let blockB = transposeB ? b + first * ldb : b + first
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: range.count, k: k, alpha: alpha,
                          a: a, lda: lda, b: blockB, ldb: ldb, beta: beta, c: c + first, ldc: ldc, threads: 1)
            }
        }
    }
}
