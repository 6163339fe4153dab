import CBLAS

/// The only file in toymem that calls CBLAS. Everything is row-major; a
/// transpose is a flag to `sgemm`, never a copy.
///
/// The engine parallelises with its own `WorkerPool` and calls `sgemm` on
/// one thread per block, so OpenBLAS's own thread count is kept at 1:
/// the first `Tape` sets it (`singleThreaded`), and only `GEMMThroughput` raises it, restoring it after.
enum BLAS {
    /// C[m,n] = op(A)[m,k] · op(B)[k,n] + beta · C on the calling
    /// thread, with row-major storage and the given leading dimensions.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// OpenBLAS's own thread count, one process-wide setting.
    static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS set to one thread, once per process, on first use: the worker
    /// pool splits products itself, and OpenBLAS's own threads would compete.
    static let singleThreaded: Void = setThreads(1)

    /// Sets OpenBLAS's thread count, only when it differs.
    static func setThreads(_ threads: Int) {
        if openblas_get_num_threads() != threads { openblas_set_num_threads(Int32(threads)) }
    }
}
