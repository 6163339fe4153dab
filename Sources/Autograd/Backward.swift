/// Reverse-mode differentiation: every gradient rule of the engine, in one
/// exhaustive switch. Every rule reaches an input's gradient the same way,
/// `let (dx, mode) = contribution(to: x)`, and writes it in that `Accumulation`
/// mode: the first contribution in a pass assigns, later ones add, so a value
/// used twice receives both contributions and no buffer is zero-filled first.
extension Tape {
    /// Gradients of a scalar loss ([1, 1]) with respect to every parameter
    /// it depends on.
    public func backward(_ loss: Tensor) throws -> Gradients {
        guard loss.count == 1 else {
            throw EngineError.invalidBackward("loss must be [1, 1], got \(loss.shape); pass a seed for other shapes")
        }
        return try backward(loss, seed: [1])
    }

    /// Vector–Jacobian product: gradients of Σ seed ⊙ root.
    public func backward(_ root: Tensor, seed: [Float]) throws -> Gradients {
        guard recordsGradients else {
            throw EngineError.invalidBackward("this tape is an evaluation tape (recordsGradients: false)")
        }
        guard seed.count == root.count else {
            throw EngineError.invalidBackward("seed has \(seed.count) values for a tensor of shape \(root.shape)")
        }
        _ = node(root)
        gradientBuffers.reset()
        gradients.beginPass()
        nodeGradients.removeAll(keepingCapacity: true)
        nodeGradients.append(contentsOf: repeatElement(nil, count: nodes.count))
        guard nodes[root.id].needsGradient else { return gradients }
        let (g, mode) = contribution(to: root.id)
        for i in 0..<seed.count { mode.store(seed[i], g, i) }
        for i in stride(from: root.id, through: 0, by: -1) {
            guard let g = nodeGradients[i] else { continue }
            propagate(nodes[i], g)
        }
        return gradients
    }

    /// The one way a rule reaches an input's gradient: node `i`'s buffer and
    /// how to write the whole of it. The first contribution in a pass assigns
    /// (buffers are not zero-filled: they hold old values), later ones add.
    private func contribution(to i: Int) -> (buffer: UnsafeMutablePointer<Float>, mode: Accumulation) {
        if let g = nodeGradients[i] { return (g, .add) }
        let n = nodes[i]
        let buffer: UnsafeMutablePointer<Float>, fresh: Bool
        if case let .parameter(p) = n.op {
            (buffer, fresh) = gradients.buffer(for: p)  // another node of the same parameter may have written it
        } else {
            (buffer, fresh) = (gradientBuffers.take(n.rows * n.cols), true)
        }
        nodeGradients[i] = buffer
        return (buffer, fresh ? .assign : .add)
    }

    /// Gives input `i` the gradient `g` unchanged, as `add` does. An input
    /// with no gradient yet takes over the buffer itself, once per node:
    /// `g` belongs to the node being propagated and is never read after.
    private func pass(_ g: UnsafeMutablePointer<Float>, _ count: Int, to i: Int, handedOver: inout Bool) {
        if !handedOver, nodeGradients[i] == nil, !nodes[i].isParameter {
            nodeGradients[i] = g
            handedOver = true
            return
        }
        let (t, mode) = contribution(to: i)
        pool.forEachRange(count) { r in
            if mode == .assign {
                (t + r.lowerBound).update(from: g + r.lowerBound, count: r.count)
            } else {
                Vectorized.addInto(g + r.lowerBound, t + r.lowerBound, r.count)
            }
        }
    }

    /// Runs two products and a column sum (any may be nil) as one pool job:
    /// large ones split across the threads, small ones go whole to different
    /// threads. If two would write the same buffer they run one after another.
    private func together(_ p: Product?, _ q: Product?, _ sums: ColumnSums? = nil) {
        let (cp, cq, cs) = (p?.c, q?.c, sums?.target)
        let clash = (cp != nil && (cp == cq || cp == cs)) || (cq != nil && cq == cs)
        guard !clash else {
            if let p { pool.gemm(p) }
            if let q { pool.gemm(q) }
            if let sums { pool.run { sums.compute(part: $0, of: pool.threads) } }
            return
        }
        let parts = pool.threads
        pool.run { part in
            p?.compute(part: part, of: parts, owner: 0)
            q?.compute(part: part, of: parts, owner: 1)
            sums?.compute(part: part, of: parts, owner: 1)
        }
    }

    /// Adds node `n`'s contribution, given its gradient `g`, to its inputs.
    private func propagate(_ n: Node, _ g: UnsafeMutablePointer<Float>) {
        let count = n.rows * n.cols
        switch n.op {
        case .constant, .parameter:
            break

        case let .matmul(ia, ib, transposeA, transposeB):
            // C = op(A)·op(B):  dop(A) = dC·op(B)ᵀ,  dop(B) = op(A)ᵀ·dC.
            let a = nodes[ia], b = nodes[ib]
            let m = n.rows, cols = n.cols
            let k = transposeA ? a.rows : a.cols
            var da: Product?, db: Product?
            if a.needsGradient {
                let (ga, mode) = contribution(to: ia)
                da =
                    transposeA  // A is [k, m]: dA = op(B)·dCᵀ;  A is [m, k]: dA = dC·op(B)ᵀ
                    ? Product(
                        transposeA: transposeB, transposeB: true, m: k, n: m, k: cols,
                        a: b.value, lda: b.cols, b: g, ldb: cols, beta: mode.beta, c: ga, ldc: a.cols)
                    : Product(
                        transposeA: false, transposeB: !transposeB, m: m, n: k, k: cols,
                        a: g, lda: cols, b: b.value, ldb: b.cols, beta: mode.beta, c: ga, ldc: a.cols)
                matmulFlops += 2 * Double(m) * Double(k) * Double(cols)
            }
            if b.needsGradient {
                let (gb, mode) = contribution(to: ib)
                db =
                    transposeB  // B is [n, k]: dB = dCᵀ·op(A);  B is [k, n]: dB = op(A)ᵀ·dC
                    ? Product(
                        transposeA: true, transposeB: transposeA, m: cols, n: k, k: m,
                        a: g, lda: cols, b: a.value, ldb: a.cols, beta: mode.beta, c: gb, ldc: b.cols)
                    : Product(
                        transposeA: !transposeA, transposeB: false, m: k, n: cols, k: m,
                        a: a.value, lda: a.cols, b: g, ldb: cols, beta: mode.beta, c: gb, ldc: b.cols)
                matmulFlops += 2 * Double(m) * Double(k) * Double(cols)
            }
            together(da, db)

        case let .linear(ix, iw, ib):
            // y = x·W + b:  dx = dy·Wᵀ,  dW = xᵀ·dy,  db = Σ_rows dy.
            let x = nodes[ix], w = nodes[iw]
            var dx: Product?, dw: Product?, db: ColumnSums?
            if x.needsGradient {
                let (gx, mode) = contribution(to: ix)
                dx = Product(
                    transposeA: false, transposeB: true, m: n.rows, n: x.cols, k: n.cols,
                    a: g, lda: n.cols, b: w.value, ldb: w.cols, beta: mode.beta, c: gx, ldc: x.cols)
                matmulFlops += 2 * Double(n.rows) * Double(x.cols) * Double(n.cols)
            }
            if w.needsGradient {
                let (gw, mode) = contribution(to: iw)
                dw = Product(
                    transposeA: true, transposeB: false, m: x.cols, n: n.cols, k: n.rows,
                    a: x.value, lda: x.cols, b: g, ldb: n.cols, beta: mode.beta, c: gw, ldc: w.cols)
                matmulFlops += 2 * Double(n.rows) * Double(x.cols) * Double(n.cols)
            }
            if nodes[ib].needsGradient {
                let (gb, mode) = contribution(to: ib)
                db = ColumnSums(g: g, rows: n.rows, cols: n.cols, target: gb, adding: mode.adds)
            }
            together(dx, dw, db)

        case let .gatherSum(ia, indicesA, ib, indicesB):
            // Scatter-add each row's gradient into the rows it was gathered from.
            scatterPair(g, n, ia, indicesA, ib, indicesB, gate: nil)

        case let .gatherSumActivated(ia, indicesA, ib, indicesB, nonlinearity, slope):
            // As gatherSum, with g ⊙ nonlinearity′ formed a row at a time.
            switch nonlinearity {
            case .relu: scatterPair(g, n, ia, indicesA, ib, indicesB, gate: .positive(n.value))
            case .gelu:
                guard let slope else { preconditionFailure("GELU′ is kept whenever a table needs a gradient") }
                scatterPair(g, n, ia, indicesA, ib, indicesB, gate: .slope(slope))
            }

        case let .add(ia, ib):
            var handedOver = false
            if nodes[ia].needsGradient { pass(g, count, to: ia, handedOver: &handedOver) }
            if nodes[ib].needsGradient { pass(g, count, to: ib, handedOver: &handedOver) }

        case let .mul(ia, ib):
            let a = nodes[ia].value, b = nodes[ib].value
            if nodes[ia].needsGradient {
                let (ga, mode) = contribution(to: ia)
                for j in 0..<count { mode.store(g[j] * b[j], ga, j) }
            }
            if nodes[ib].needsGradient {
                let (gb, mode) = contribution(to: ib)
                for j in 0..<count { mode.store(g[j] * a[j], gb, j) }
            }

        case let .addBias(ix, ib):
            if nodes[ib].needsGradient {
                let (gb, mode) = contribution(to: ib)
                let sums = ColumnSums(g: g, rows: n.rows, cols: n.cols, target: gb, adding: mode.adds)
                pool.run { sums.compute(part: $0, of: pool.threads) }
            }
            var handedOver = false
            if nodes[ix].needsGradient { pass(g, count, to: ix, handedOver: &handedOver) }

        case let .relu(ix):
            guard nodes[ix].needsGradient else { break }
            let (gx, mode) = contribution(to: ix), y = n.value
            pool.forEachRange(count) { r in
                Vectorized.reluBackward(
                    g + r.lowerBound, y + r.lowerBound, gx + r.lowerBound, r.count, adding: mode.adds)
            }

        case let .gelu(ix, slope):
            // dx = dy ⊙ GELU′(x), with GELU′(x) saved by the forward pass.
            guard nodes[ix].needsGradient, let slope else { break }
            let (gx, mode) = contribution(to: ix)
            pool.forEachRange(count) { r in
                Vectorized.product(
                    g + r.lowerBound, slope + r.lowerBound, into: gx + r.lowerBound, r.count, adding: mode.adds)
            }

        case let .gather(it, indices):
            guard nodes[it].needsGradient else { break }
            let scatter = ScatterAdd(
                g: g, rows: n.rows, cols: n.cols, first: table(it, indices), second: nil, gate: nil)
            pool.run { scatter.compute(part: $0, of: pool.threads) }

        case let .concat(ia, ib):
            let a = nodes[ia], b = nodes[ib]
            if a.needsGradient {
                let (ga, mode) = contribution(to: ia)
                for r in 0..<n.rows {
                    for c in 0..<a.cols { mode.store(g[r * n.cols + c], ga, r * a.cols + c) }
                }
            }
            if b.needsGradient {
                let (gb, mode) = contribution(to: ib)
                for r in 0..<n.rows {
                    for c in 0..<b.cols { mode.store(g[r * n.cols + a.cols + c], gb, r * b.cols + c) }
                }
            }

        case let .sum(ix):
            guard nodes[ix].needsGradient else { break }
            let (gx, mode) = contribution(to: ix), x = nodes[ix]
            for j in 0..<(x.rows * x.cols) { mode.store(g[0], gx, j) }

        case let .mean(ix):
            guard nodes[ix].needsGradient else { break }
            let (gx, mode) = contribution(to: ix), x = nodes[ix], size = x.rows * x.cols
            let scale = g[0] / Float(size)
            for j in 0..<size { mode.store(scale, gx, j) }

        case let .softmaxCrossEntropy(iz, labels, p):
            guard nodes[iz].needsGradient else { break }
            let z = nodes[iz], (gz, mode) = contribution(to: iz)
            let scale = g[0] / Float(z.rows)
            for r in 0..<z.rows {
                for c in 0..<z.cols { mode.store(scale * p[r * z.cols + c], gz, r * z.cols + c) }
                gz[r * z.cols + Int(labels[r])] -= scale
            }

        case let .meanSquaredError(ip, it):
            let x = nodes[ip], y = nodes[it], size = x.rows * x.cols
            let scale = 2 * g[0] / Float(size)
            if x.needsGradient {
                let (gx, mode) = contribution(to: ip)
                for j in 0..<size { mode.store(scale * (x.value[j] - y.value[j]), gx, j) }
            }
            if y.needsGradient {
                let (gy, mode) = contribution(to: it)
                for j in 0..<size { mode.store(-scale * (x.value[j] - y.value[j]), gy, j) }
            }
        }
    }

    /// The backward of a pair lookup: g (times `gate`) scattered into
    /// whichever of the two tables need a gradient, in one job.
    private func scatterPair(
        _ g: UnsafeMutablePointer<Float>, _ n: Node,
        _ ia: Int, _ indicesA: UnsafeMutablePointer<Int32>,
        _ ib: Int, _ indicesB: UnsafeMutablePointer<Int32>, gate: ScatterAdd.Gate?
    ) {
        let tableA = nodes[ia].needsGradient ? table(ia, indicesA) : nil
        let tableB = nodes[ib].needsGradient ? table(ib, indicesB) : nil
        guard let first = tableA ?? tableB else { return }
        let scatter = ScatterAdd(
            g: g, rows: n.rows, cols: n.cols, first: first,
            second: tableA == nil ? nil : tableB, gate: gate)
        pool.run { scatter.compute(part: $0, of: pool.threads) }
    }

    /// Node `t`'s gradient as the target of a scatter-add through `indices`.
    private func table(_ t: Int, _ indices: UnsafeMutablePointer<Int32>) -> ScatterAdd.Table {
        let (buffer, mode) = contribution(to: t)
        return ScatterAdd.Table(indices: indices, buffer: buffer, rows: nodes[t].rows, adding: mode.adds)
    }
}
