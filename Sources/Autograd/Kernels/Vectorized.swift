/// Hot elementwise loops written with explicit SIMD, because the compiler
/// cannot prove that the buffers don't alias and so leaves the plain loops
/// scalar. Each has a scalar tail for counts that are not a multiple of 8.
enum Vectorized {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// out = max(0, x)
    static func relu(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int) {
        var j = 0
        while j + 8 <= count {
            store(load(x + j).replacing(with: 0, where: load(x + j) .< 0), out + j)
            j += 8
        }
        while j < count { out[j] = x[j] > 0 ? x[j] : 0; j += 1 }
    }

    /// gx = (y > 0) ? g : 0, or gx += that when `adding`.
    static func reluBackward(
        _ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
        _ gx: UnsafeMutablePointer<Float>, _ count: Int, adding: Bool
    ) {
        var j = 0
        if adding {
            while j + 8 <= count {
                store(load(gx + j) + load(g + j).replacing(with: 0, where: load(y + j) .<= 0), gx + j)
                j += 8
            }
        } else {
            while j + 8 <= count {
                store(load(g + j).replacing(with: 0, where: load(y + j) .<= 0), gx + j)
                j += 8
            }
        }
        while j < count {
            let masked: Float = y[j] > 0 ? g[j] : 0
            gx[j] = adding ? gx[j] + masked : masked
            j += 1
        }
    }

    /// y += x
    static func addInto(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        var j = 0
        while j + 8 <= count {
            store(load(y + j) + load(x + j), y + j)
            j += 8
        }
        while j < count { y[j] += x[j]; j += 1 }
    }

    /// out = x + y
    static func sum(
        _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
        _ count: Int
    ) {
        var j = 0
        while j + 8 <= count {
            store(load(x + j) + load(y + j), out + j)
            j += 8
        }
        while j < count { out[j] = x[j] + y[j]; j += 1 }
    }

    /// A vector of the `count` (< 8) values at `p`, zero-padded.
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ count: Int) -> V {
        var v = V()
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// gx = g ⊙ s, or gx += g ⊙ s when `adding`.
    static func product(
        _ g: UnsafePointer<Float>, _ s: UnsafePointer<Float>,
        into gx: UnsafeMutablePointer<Float>, _ count: Int, adding: Bool
    ) {
        var j = 0
        if adding {
            while j + 8 <= count {
                store(load(gx + j) + load(g + j) * load(s + j), gx + j)
                j += 8
            }
        } else {
            while j + 8 <= count {
                store(load(g + j) * load(s + j), gx + j)
                j += 8
            }
        }
        while j < count { gx[j] = adding ? gx[j] + g[j] * s[j] : g[j] * s[j]; j += 1 }
    }
}
