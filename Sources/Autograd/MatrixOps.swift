/// Forward rules of the linear-algebra ops. Each checks its shapes first and
/// throws `EngineError.shapeMismatch` naming both shapes.
extension Tape {
    /// op(a) · op(b), where op transposes when its flag is set. Transposes
    /// are passed to `sgemm` as flags; nothing is copied.
    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws -> Tensor {
        let na = node(a), nb = node(b)
        let (m, k) = transposeA ? (a.cols, a.rows) : (a.rows, a.cols)
        let (k2, n) = transposeB ? (b.cols, b.rows) : (b.rows, b.cols)
        guard k == k2 else {
            throw EngineError.shapeMismatch(
                op: "matmul", lhs: a.shape, rhs: b.shape,
                detail: "inner dimensions \(k) and \(k2) differ")
        }
        let out = output(m * n)
        pool.gemm(
            Product(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                a: na.value, lda: a.cols, b: nb.value, ldb: b.cols, beta: 0, c: out, ldc: n))
        matmulFlops += 2 * Double(m) * Double(n) * Double(k)
        return append(
            .matmul(a.id, b.id, transposeA: transposeA, transposeB: transposeB),
            rows: m, cols: n, value: out, needsGradient: needsGradient(a, b))
    }

    /// x·W + b for x [n, k], W [k, m], b [1, m]: the bias is written first and
    /// `sgemm` accumulates onto it, saving a pass over the output.
    public func linear(_ x: Tensor, _ weight: Tensor, _ bias: Tensor) throws -> Tensor {
        guard x.cols == weight.rows else {
            throw EngineError.shapeMismatch(
                op: "linear", lhs: x.shape, rhs: weight.shape,
                detail: "inner dimensions \(x.cols) and \(weight.rows) differ")
        }
        guard bias.rows == 1, bias.cols == weight.cols else {
            throw EngineError.shapeMismatch(
                op: "linear", lhs: weight.shape, rhs: bias.shape,
                detail: "bias must be [1, \(weight.cols)]")
        }
        let m = weight.cols, out = output(x.rows * m), b = node(bias).value
        let product = Product(
            transposeA: false, transposeB: false, m: x.rows, n: m, k: x.cols,
            a: node(x).value, lda: x.cols, b: node(weight).value, ldb: m, beta: 1, c: out, ldc: m)
        pool.forEachBlock(of: product) { rows, cols in  // each thread fills the block it then computes
            for r in rows { (out + r * m + cols.lowerBound).update(from: b + cols.lowerBound, count: cols.count) }
            product.compute(rows: rows, cols: cols)
        }
        matmulFlops += 2 * Double(x.rows) * Double(m) * Double(x.cols)
        return append(
            .linear(x.id, weight: weight.id, bias: bias.id), rows: x.rows, cols: m, value: out,
            needsGradient: needsGradient(x, weight) || needsGradient(bias))
    }

    /// tableA[a[r]] + tableB[b[r]] for every row r: the summed embedding
    /// lookup of a token pair, in one pass. Backward scatter-adds into both.
    public func gatherSum(
        _ tableA: Tensor, _ a: UnsafeBufferPointer<Int32>,
        _ tableB: Tensor, _ b: UnsafeBufferPointer<Int32>
    ) throws -> Tensor {
        let (storedA, storedB) = try pairIndices(tableA, a, tableB, b)
        let out = output(a.count * tableA.cols)
        sumRows(tableA, storedA, tableB, storedB, count: a.count, into: out) { _, _ in }
        return append(
            .gatherSum(tableA.id, storedA, tableB.id, storedB), rows: a.count, cols: tableA.cols,
            value: out, needsGradient: needsGradient(tableA, tableB))
    }

    /// nonlinearity(tableA[a[r]] + tableB[b[r]]) for every row r, each row
    /// activated while it is in cache and the sum never stored: a first
    /// layer's lookup and activation when its pre-activation is not needed.
    /// Backward scatters g ⊙ nonlinearity′ into both tables, also without
    /// storing it. Values equal `gatherSum` followed by `relu` or `gelu`.
    public func gatherSum(
        _ tableA: Tensor, _ a: UnsafeBufferPointer<Int32>,
        _ tableB: Tensor, _ b: UnsafeBufferPointer<Int32>,
        then nonlinearity: Nonlinearity
    ) throws -> Tensor {
        let (storedA, storedB) = try pairIndices(tableA, a, tableB, b)
        let cols = tableA.cols, out = output(a.count * cols), needs = needsGradient(tableA, tableB)
        var slope: UnsafeMutablePointer<Float>?
        if case .gelu = nonlinearity, needs { slope = output(a.count * cols) }
        sumRows(tableA, storedA, tableB, storedB, count: a.count, into: out) { row, offset in
            switch nonlinearity {
            case .relu: Vectorized.relu(row, row, cols)
            case let .gelu(form): GELU.apply(form, row, row, slope.map { $0 + offset }, cols)
            }
        }
        return append(
            .gatherSumActivated(tableA.id, storedA, tableB.id, storedB, nonlinearity, slope: slope),
            rows: a.count, cols: cols, value: out, needsGradient: needs)
    }

    private func pairIndices(
        _ tableA: Tensor, _ a: UnsafeBufferPointer<Int32>, _ tableB: Tensor,
        _ b: UnsafeBufferPointer<Int32>
    ) throws
        -> (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>)
    {
        guard tableA.cols == tableB.cols, a.count == b.count else {
            throw EngineError.shapeMismatch(
                op: "gatherSum", lhs: tableA.shape, rhs: tableB.shape,
                detail: "tables need equal widths and index lists equal lengths (\(a.count), \(b.count))")
        }
        return (
            try storeIndices(a, limit: tableA.rows, op: "gatherSum (first table)"),
            try storeIndices(b, limit: tableB.rows, op: "gatherSum (second table)")
        )
    }

    /// out[r] = tableA[a[r]] + tableB[b[r]], then `finish(row, offset)` on
    /// each row; rows shared over the pool.
    private func sumRows(
        _ tableA: Tensor, _ a: UnsafeMutablePointer<Int32>, _ tableB: Tensor,
        _ b: UnsafeMutablePointer<Int32>, count: Int, into out: UnsafeMutablePointer<Float>,
        _ finish: (UnsafeMutablePointer<Float>, Int) -> Void
    ) {
        let ta = node(tableA).value, tb = node(tableB).value, cols = tableA.cols
        pool.forEachRange(count, alignment: 1, itemSize: cols) { rows in
            for r in rows {
                let row = out + r * cols
                Vectorized.sum(ta + Int(a[r]) * cols, tb + Int(b[r]) * cols, row, cols)
                finish(row, r * cols)
            }
        }
    }

    func storeIndices(_ indices: UnsafeBufferPointer<Int32>, limit: Int, op: String) throws -> UnsafeMutablePointer<
        Int32
    > {
        let stored = integers.take(indices.count)
        for (position, index) in indices.enumerated() {
            guard index >= 0, Int(index) < limit else {
                throw EngineError.indexOutOfRange(op: op, index: Int(index), position: position, limit: limit)
            }
            stored[position] = index
        }
        return stored
    }

    /// Elementwise a + b of equal shapes.
    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try requireSameShape("add", a, b)
        let x = node(a).value, y = node(b).value, out = output(a.count)
        pool.forEachRange(a.count) { r in
            Vectorized.sum(x + r.lowerBound, y + r.lowerBound, out + r.lowerBound, r.count)
        }
        return append(.add(a.id, b.id), rows: a.rows, cols: a.cols, value: out, needsGradient: needsGradient(a, b))
    }

    /// Elementwise a ⊙ b of equal shapes.
    public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try requireSameShape("mul", a, b)
        let x = node(a).value, y = node(b).value, out = output(a.count)
        for i in 0..<a.count { out[i] = x[i] * y[i] }
        return append(.mul(a.id, b.id), rows: a.rows, cols: a.cols, value: out, needsGradient: needsGradient(a, b))
    }

    /// x[n, m] + bias[1, m], the bias broadcast over rows.
    public func addBias(_ x: Tensor, _ bias: Tensor) throws -> Tensor {
        guard bias.rows == 1, bias.cols == x.cols else {
            throw EngineError.shapeMismatch(
                op: "addBias", lhs: x.shape, rhs: bias.shape,
                detail: "bias must be [1, \(x.cols)]")
        }
        let v = node(x).value, b = node(bias).value, out = output(x.count)
        let cols = x.cols
        for r in 0..<x.rows {
            let row = r * cols
            for c in 0..<cols { out[row + c] = v[row + c] + b[c] }
        }
        return append(
            .addBias(x.id, bias: bias.id), rows: x.rows, cols: x.cols, value: out,
            needsGradient: needsGradient(x, bias))
    }

    /// [a | b]: columns of a then columns of b, rows matched.
    public func concat(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.rows == b.rows else {
            throw EngineError.shapeMismatch(
                op: "concat", lhs: a.shape, rhs: b.shape,
                detail: "row counts \(a.rows) and \(b.rows) differ")
        }
        let x = node(a).value, y = node(b).value
        let cols = a.cols + b.cols, out = output(a.rows * cols)
        for r in 0..<a.rows {
            (out + r * cols).update(from: x + r * a.cols, count: a.cols)
            (out + r * cols + a.cols).update(from: y + r * b.cols, count: b.cols)
        }
        return append(.concat(a.id, b.id), rows: a.rows, cols: cols, value: out, needsGradient: needsGradient(a, b))
    }

    /// Rows of `table` selected by `indices`: the embedding lookup. Its
    /// backward is a scatter-add into the table's gradient.
    public func gather(_ table: Tensor, _ indices: UnsafeBufferPointer<Int32>) throws -> Tensor {
        let stored = try storeIndices(indices, limit: table.rows, op: "gather")
        let t = node(table).value, cols = table.cols, out = output(indices.count * cols)
        for r in 0..<indices.count {
            (out + r * cols).update(from: t + Int(stored[r]) * cols, count: cols)
        }
        return append(
            .gather(table: table.id, indices: stored), rows: indices.count, cols: cols, value: out,
            needsGradient: needsGradient(table))
    }

    public func gather(_ table: Tensor, _ indices: [Int32]) throws -> Tensor {
        try indices.withUnsafeBufferPointer { try gather(table, $0) }
    }

    /// The sum of all entries, as [1, 1].
    public func sum(_ x: Tensor) throws -> Tensor {
        let out = output(1)
        out[0] = total(x)
        return append(.sum(x.id), rows: 1, cols: 1, value: out, needsGradient: needsGradient(x))
    }

    /// The mean of all entries, as [1, 1].
    public func mean(_ x: Tensor) throws -> Tensor {
        let out = output(1)
        out[0] = total(x) / Float(x.count)
        return append(.mean(x.id), rows: 1, cols: 1, value: out, needsGradient: needsGradient(x))
    }

    private func total(_ x: Tensor) -> Float {
        let v = node(x).value
        var s: Double = 0  // Double accumulation: sums of many floats drift
        for i in 0..<x.count { s += Double(v[i]) }
        return Float(s)
    }

    func requireSameShape(_ op: String, _ a: Tensor, _ b: Tensor) throws {
        guard a.rows == b.rows, a.cols == b.cols else {
            throw EngineError.shapeMismatch(op: op, lhs: a.shape, rhs: b.shape, detail: "shapes must be equal")
        }
    }
}
