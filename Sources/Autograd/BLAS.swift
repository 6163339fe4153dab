import CBLAS

/// The only file in toymem that calls CBLAS. Everything is row-major; a
/// transpose is a flag to `sgemm`, never a copy.
///
/// The engine parallelises with its own `WorkerPool` and calls `sgemm` on
/// one thread per block, so OpenBLAS's own thread count is kept at 1:
/// `Tape` sets it, and only `GEMMThroughput` raises it, restoring it after.
enum BLAS {
    /// C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C on the calling
    /// thread, with row-major storage and the given leading dimensions.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// OpenBLAS's own thread count, one process-wide setting.
    static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count, only when it differs.
    static func setThreads(_ threads: Int) {
        if openblas_get_num_threads() != threads { openblas_set_num_threads(Int32(threads)) }
    }
}
