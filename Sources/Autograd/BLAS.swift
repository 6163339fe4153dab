import CBLAS

/// The only file in toymem that calls CBLAS. Everything is row-major; a
/// transpose is a flag to `sgemm`, never a copy.
enum BLAS {
    /// C[m,n] = alpha · op(A)[m,k] · op(B)[k,n] + beta · C, with row-major
    /// storage and leading dimensions equal to the stored column counts.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
    ) {
        setThreads(threads)
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
            beta, c, Int32(ldc))
    }

    /// OpenBLAS's own thread count is one process-wide setting; it is
    /// changed only when it differs, and only from the calling thread.
    @inline(__always)
    static func setThreads(_ threads: Int) {
        if openblas_get_num_threads() != threads { openblas_set_num_threads(Int32(threads)) }
    }
}
