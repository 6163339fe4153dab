/// How a gradient rule writes an input's gradient buffer: the first
/// contribution in a pass assigns, every later one adds (`dx += …`), so a value
/// used several times receives every contribution without a zero-fill.
enum Accumulation {
    case assign, add

    /// The `beta` of a product that writes the gradient (C = A·B + beta·C).
    var beta: Float { self == .add ? 1 : 0 }
    var adds: Bool { self == .add }

    /// buffer[j] = x, or buffer[j] += x.
    @inline(__always)
    func store(_ x: Float, _ buffer: UnsafeMutablePointer<Float>, _ j: Int) {
        buffer[j] = self == .add ? buffer[j] + x : x
    }
}
