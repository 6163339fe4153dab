import Dispatch

/// Measures the raw `sgemm` throughput of this machine's OpenBLAS, the
/// physical limit against which the engine's matrix work is judged.
///
/// ```swift
/// let gflops = GEMMThroughput.measure(m: 1024, n: 2048, k: 256, threads: 2, seconds: 1)
/// ```
public enum GEMMThroughput {
    /// GFLOP/s of C[m,n] = A[m,k]·B[k,n], repeated for about `seconds`.
    public static func measure(m: Int, n: Int, k: Int, threads: Int, seconds: Double) -> Double {
        let a = [Float](repeating: 0.5, count: m * k)
        let b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        let engineThreads = BLAS.threads
        BLAS.setThreads(threads)
        defer { BLAS.setThreads(engineThreads) }
        func once() {
            c.withUnsafeMutableBufferPointer { cp in
                BLAS.gemm(
                    transposeA: false, transposeB: false, m: m, n: n, k: k,
                    a: a, lda: k, b: b, ldb: n, beta: 0, c: cp.baseAddress!, ldc: n)
            }
        }
        for _ in 0..<3 { once() }
        var runs = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            once()
            runs += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return 2 * Double(m) * Double(n) * Double(k) * Double(runs) / elapsed / 1e9
    }
}
