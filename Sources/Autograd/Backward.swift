/// Reverse-mode differentiation: every gradient rule of the engine, in one
/// exhaustive switch. Rules always add (`+=`) into an input's gradient, so a
/// value used twice receives both contributions.
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
        let g = gradient(root.id)
        for i in 0..<seed.count { g[i] += seed[i] }
        for i in stride(from: root.id, through: 0, by: -1) {
            guard let g = nodeGradients[i] else { continue }
            propagate(nodes[i], g)
        }
        return gradients
    }

    /// The gradient buffer of node `i`, created zeroed on first use.
    private func gradient(_ i: Int) -> UnsafeMutablePointer<Float> {
        if let g = nodeGradients[i] { return g }
        let n = nodes[i]
        let g: UnsafeMutablePointer<Float>
        if case let .parameter(p) = n.op {
            g = gradients.buffer(for: p)
        } else {
            g = gradientBuffers.take(n.rows * n.cols)
            pool.forEachRange(n.rows * n.cols, minimum: 65_536) { r in
                (g + r.lowerBound).initialize(repeating: 0, count: r.count)
            }
        }
        nodeGradients[i] = g
        return g
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
            if a.needsGradient {
                let ga = gradient(ia)
                if transposeA {  // A is [k, m]: dA = op(B)·dCᵀ
                    pool.gemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: cols,
                              a: b.value, lda: b.cols, b: g, ldb: cols, beta: 1, c: ga, ldc: a.cols)
                } else {         // A is [m, k]: dA = dC·op(B)ᵀ
                    pool.gemm(transposeA: false, transposeB: !transposeB, m: m, n: k, k: cols,
                              a: g, lda: cols, b: b.value, ldb: b.cols, beta: 1, c: ga, ldc: a.cols)
                }
                matmulFlops += 2 * Double(m) * Double(k) * Double(cols)
            }
            if b.needsGradient {
                let gb = gradient(ib)
                if transposeB {  // B is [n, k]: dB = dCᵀ·op(A)
                    pool.gemm(transposeA: true, transposeB: transposeA, m: cols, n: k, k: m,
                              a: g, lda: cols, b: a.value, ldb: a.cols, beta: 1, c: gb, ldc: b.cols)
                } else {         // B is [k, n]: dB = op(A)ᵀ·dC
                    pool.gemm(transposeA: !transposeA, transposeB: false, m: k, n: cols, k: m,
                              a: a.value, lda: a.cols, b: g, ldb: cols, beta: 1, c: gb, ldc: b.cols)
                }
                matmulFlops += 2 * Double(m) * Double(k) * Double(cols)
            }

        case let .linear(ix, iw, ib):
            // y = x·W + b:  dx = dy·Wᵀ,  dW = xᵀ·dy,  db = Σ_rows dy.
            let x = nodes[ix], w = nodes[iw]
            if x.needsGradient {
                pool.gemm(transposeA: false, transposeB: true, m: n.rows, n: x.cols, k: n.cols,
                          a: g, lda: n.cols, b: w.value, ldb: w.cols, beta: 1, c: gradient(ix), ldc: x.cols)
                matmulFlops += 2 * Double(n.rows) * Double(x.cols) * Double(n.cols)
            }
            if w.needsGradient {
                pool.gemm(transposeA: true, transposeB: false, m: x.cols, n: n.cols, k: n.rows,
                          a: x.value, lda: x.cols, b: g, ldb: n.cols, beta: 1, c: gradient(iw), ldc: w.cols)
                matmulFlops += 2 * Double(n.rows) * Double(x.cols) * Double(n.cols)
            }
            if nodes[ib].needsGradient { addColumnSums(of: g, rows: n.rows, cols: n.cols, into: gradient(ib)) }

        case let .gatherSum(ia, indicesA, ib, indicesB):
            // Scatter-add each row's gradient into the rows it was gathered from.
            if nodes[ia].needsGradient { scatterAdd(g, rows: n.rows, cols: n.cols, indices: indicesA, into: gradient(ia)) }
            if nodes[ib].needsGradient { scatterAdd(g, rows: n.rows, cols: n.cols, indices: indicesB, into: gradient(ib)) }

        case let .add(ia, ib):
            if nodes[ia].needsGradient { accumulate(g, into: gradient(ia), count) }
            if nodes[ib].needsGradient { accumulate(g, into: gradient(ib), count) }

        case let .mul(ia, ib):
            let a = nodes[ia].value, b = nodes[ib].value
            if nodes[ia].needsGradient {
                let ga = gradient(ia)
                for j in 0..<count { ga[j] += g[j] * b[j] }
            }
            if nodes[ib].needsGradient {
                let gb = gradient(ib)
                for j in 0..<count { gb[j] += g[j] * a[j] }
            }

        case let .addBias(ix, ib):
            if nodes[ix].needsGradient { accumulate(g, into: gradient(ix), count) }
            if nodes[ib].needsGradient { addColumnSums(of: g, rows: n.rows, cols: n.cols, into: gradient(ib)) }

        case let .relu(ix):
            guard nodes[ix].needsGradient else { break }
            let gx = gradient(ix), y = n.value
            pool.forEachRange(count) { r in
                Vectorized.reluBackward(g + r.lowerBound, y + r.lowerBound, gx + r.lowerBound, r.count)
            }

        case let .gelu(ix, slope):
            // dx = dy ⊙ GELU′(x), with GELU′(x) saved by the forward pass.
            guard nodes[ix].needsGradient, let slope else { break }
            let gx = gradient(ix)
            pool.forEachRange(count) { r in
                Vectorized.accumulateProduct(g + r.lowerBound, slope + r.lowerBound, gx + r.lowerBound, r.count)
            }

        case let .gather(it, indices):
            guard nodes[it].needsGradient else { break }
            scatterAdd(g, rows: n.rows, cols: n.cols, indices: indices, into: gradient(it))

        case let .concat(ia, ib):
            let a = nodes[ia], b = nodes[ib]
            if a.needsGradient {
                let ga = gradient(ia)
                for r in 0..<n.rows {
                    for c in 0..<a.cols { ga[r * a.cols + c] += g[r * n.cols + c] }
                }
            }
            if b.needsGradient {
                let gb = gradient(ib)
                for r in 0..<n.rows {
                    for c in 0..<b.cols { gb[r * b.cols + c] += g[r * n.cols + a.cols + c] }
                }
            }

        case let .sum(ix):
            guard nodes[ix].needsGradient else { break }
            let gx = gradient(ix), x = nodes[ix]
            for j in 0..<(x.rows * x.cols) { gx[j] += g[0] }

        case let .mean(ix):
            guard nodes[ix].needsGradient else { break }
            let gx = gradient(ix), x = nodes[ix], size = x.rows * x.cols
            let scale = g[0] / Float(size)
            for j in 0..<size { gx[j] += scale }

        case let .softmaxCrossEntropy(iz, labels, p):
            guard nodes[iz].needsGradient else { break }
            let z = nodes[iz], gz = gradient(iz)
            let scale = g[0] / Float(z.rows)
            for r in 0..<z.rows {
                for c in 0..<z.cols { gz[r * z.cols + c] += scale * p[r * z.cols + c] }
                gz[r * z.cols + Int(labels[r])] -= scale
            }

        case let .meanSquaredError(ip, it):
            let x = nodes[ip], y = nodes[it], size = x.rows * x.cols
            let scale = 2 * g[0] / Float(size)
            if x.needsGradient {
                let gx = gradient(ip)
                for j in 0..<size { gx[j] += scale * (x.value[j] - y.value[j]) }
            }
            if y.needsGradient {
                let gy = gradient(it)
                for j in 0..<size { gy[j] -= scale * (x.value[j] - y.value[j]) }
            }
        }
    }

    /// target += g, elementwise.
    private func accumulate(_ g: UnsafeMutablePointer<Float>, into target: UnsafeMutablePointer<Float>, _ count: Int) {
        pool.forEachRange(count) { r in Vectorized.addInto(g + r.lowerBound, target + r.lowerBound, r.count) }
    }

    /// target[c] += Σ_r g[r, c]. Threads take disjoint column blocks, so each
    /// sum runs over the rows in the same order whatever the thread count.
    private func addColumnSums(of g: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                               into target: UnsafeMutablePointer<Float>) {
        pool.forEachRange(cols, itemSize: rows) { c in
            for r in 0..<rows { Vectorized.addInto(g + r * cols + c.lowerBound, target + c.lowerBound, c.count) }
        }
    }

    /// target[indices[r]] += g[r] for every row r: the backward of a gather.
    /// Rows may repeat an index, so threads split the columns, not the rows.
    private func scatterAdd(_ g: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                            indices: UnsafeMutablePointer<Int32>, into target: UnsafeMutablePointer<Float>) {
        pool.forEachRange(cols, itemSize: rows) { c in
            for r in 0..<rows {
                Vectorized.addInto(g + r * cols + c.lowerBound, target + Int(indices[r]) * cols + c.lowerBound, c.count)
            }
        }
    }
}
