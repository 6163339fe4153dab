/// The passes over memory that gradient rules share out in one pool job,
/// each computing the share of its work that belongs to one part.

/// target[c] = Σ_r g[r, c] (or += when `adding`): a bias's gradient. Parts
/// take disjoint column blocks, so each sum runs over the rows in the same
/// order whatever the thread count.
struct ColumnSums {
    let g: UnsafePointer<Float>
    let rows: Int, cols: Int
    let target: UnsafeMutablePointer<Float>
    let adding: Bool

    func compute(part: Int, of parts: Int, owner: Int = 0) {
        let c = WorkerPool.share(cols, part: part, of: parts, itemSize: rows, owner: owner)
        guard !c.isEmpty else { return }
        var first = 0
        if !adding {
            guard rows > 0 else { return (target + c.lowerBound).update(repeating: 0, count: c.count) }
            (target + c.lowerBound).update(from: g + c.lowerBound, count: c.count)
            first = 1
        }
        for r in first..<rows { Vectorized.addInto(g + r * cols + c.lowerBound, target + c.lowerBound, c.count) }
    }
}

/// target[indices[r]] += g[r] for every row r, into one table or two: the
/// backward of a gather or of a pair lookup. Rows may repeat an index, so
/// parts split the columns, not the rows. With two tables each row of g is
/// read once for both. A fresh table (`adding` false) is zeroed first, by
/// each part on its columns.
struct ScatterAdd {
    struct Table {
        let indices: UnsafePointer<Int32>
        let buffer: UnsafeMutablePointer<Float>
        let rows: Int
        let adding: Bool
    }

    /// What multiplies g before it is scattered: the derivative of a
    /// non-linearity fused into the forward op, applied a row at a time.
    enum Gate {
        /// ReLU: g where the op's output y is positive, else 0.
        case positive(UnsafePointer<Float>)
        /// GELU: g ⊙ the derivative saved by the forward pass.
        case slope(UnsafePointer<Float>)
    }

    let g: UnsafePointer<Float>
    let rows: Int, cols: Int
    let first: Table
    let second: Table?
    let gate: Gate?

    func compute(part: Int, of parts: Int, owner: Int = 0) {
        let c = WorkerPool.share(cols, part: part, of: parts, itemSize: rows, owner: owner)
        guard !c.isEmpty else { return }
        guard gate != nil else { return scatter(columns: c, scratch: nil) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: c.count) {
            scatter(columns: c, scratch: $0.baseAddress!)
        }
    }

    /// Columns `c` of every row; `scratch` holds a row of g ⊙ gate when there is a gate.
    private func scatter(columns c: Range<Int>, scratch: UnsafeMutablePointer<Float>?) {
        func zeroIfFresh(_ table: Table) {
            guard !table.adding else { return }
            for t in 0..<table.rows { (table.buffer + t * cols + c.lowerBound).update(repeating: 0, count: c.count) }
        }
        zeroIfFresh(first)
        if let second { zeroIfFresh(second) }
        for r in 0..<rows {
            let at = r * cols + c.lowerBound
            var source = UnsafePointer(g + at)
            if let gate, let scratch {  // this row's g ⊙ gate, for both tables
                switch gate {
                case let .positive(y): Vectorized.reluBackward(source, y + at, scratch, c.count, adding: false)
                case let .slope(s): Vectorized.product(source, s + at, into: scratch, c.count, adding: false)
                }
                source = UnsafePointer(scratch)
            }
            Vectorized.addInto(source, first.buffer + Int(first.indices[r]) * cols + c.lowerBound, c.count)
            if let second {
                Vectorized.addInto(source, second.buffer + Int(second.indices[r]) * cols + c.lowerBound, c.count)
            }
        }
    }
}
