/// Products whose inner dimension is tiny, such as a readout's backward
/// (dX = dY·W_Uᵀ with k = classes), computed by a plain loop instead of
/// `sgemm`. Such a C is far larger than A and B; OpenBLAS would need C
/// zeroed first and pack both operands for a few multiply-adds per element,
/// while this loop writes each row of C once, in order.
extension Product {
    /// Inner dimensions up to this use `computeThin`.
    static let thinInner = 4

    /// C[rows, cols] = Σ_p op(A)[i, p] · op(B)[p, j] + beta · C, the
    /// sum taken in p order; C is not read when beta = 0. Requires k ≤ 4.
    func computeThin(rows: Range<Int>, cols: Range<Int>) {
        precondition(k <= Self.thinInner, "computeThin needs k ≤ \(Self.thinInner), got \(k)")
        guard transposeB, k > 0 else { return computeThin(rows: rows, cols: cols, rowsOfB: b, stride: ldb) }
        // op(B)'s rows are columns of B: copy them out once, k × cols floats.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: k * cols.count) { copy in
            let rowsOfB = copy.baseAddress!
            for p in 0..<k {
                for (j, col) in cols.enumerated() { rowsOfB[p * cols.count + j] = b[col * ldb + p] }
            }
            computeThin(rows: rows, cols: cols, rowsOfB: rowsOfB - cols.lowerBound, stride: cols.count)
        }
    }

    /// The loop, with op(B)[p, j] at rowsOfB[p · stride + j]. Terms past k
    /// are skipped, so each sum is exactly Σ_{p<k} in order.
    private func computeThin(rows: Range<Int>, cols: Range<Int>, rowsOfB: UnsafePointer<Float>, stride: Int) {
        typealias V = SIMD8<Float>
        let r0 = rowsOfB, r1 = rowsOfB + min(1, k) * stride, r2 = rowsOfB + min(2, k) * stride,
            r3 = rowsOfB + min(3, k) * stride
        for i in rows {
            var a4 = SIMD4<Float>()
            for p in 0..<k { a4[p] = transposeA ? a[p * lda + i] : a[i * lda + p] }
            let out = c + i * ldc
            var j = cols.lowerBound
            while j + 8 <= cols.upperBound {
                var sum = V()
                if k > 0 { sum = a4[0] * Vectorized.load(r0 + j) }
                if k > 1 { sum += a4[1] * Vectorized.load(r1 + j) }
                if k > 2 { sum += a4[2] * Vectorized.load(r2 + j) }
                if k > 3 { sum += a4[3] * Vectorized.load(r3 + j) }
                Vectorized.store(beta == 0 ? sum : beta * Vectorized.load(out + j) + sum, out + j)
                j += 8
            }
            while j < cols.upperBound {  // the same arithmetic, one column at a time
                var sum: Float = 0
                if k > 0 { sum = a4[0] * r0[j] }
                if k > 1 { sum += a4[1] * r1[j] }
                if k > 2 { sum += a4[2] * r2[j] }
                if k > 3 { sum += a4[3] * r3[j] }
                out[j] = beta == 0 ? sum : beta * out[j] + sum
                j += 1
            }
        }
    }
}
