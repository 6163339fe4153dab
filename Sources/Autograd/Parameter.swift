/// A trainable matrix with a stable name, owned outside any tape.
///
/// Values are row-major `[rows, cols]`; a bias is a `[1, cols]` row.
///
/// ```swift
/// let w = Parameter(name: "blocks.0.mlp.W_in", rows: 64, cols: 256)
/// w[0, 3] = 0.5
/// let x = try tape.parameter(w)   // use it in a graph
/// ```
public final class Parameter {
    public let name: String
    public let rows: Int
    public let cols: Int
    public let value: UnsafeMutablePointer<Float>

    public init(name: String, rows: Int, cols: Int, fill: Float = 0) {
        precondition(rows > 0 && cols > 0, "parameter \(name): shape [\(rows), \(cols)] must be positive")
        self.name = name
        self.rows = rows
        self.cols = cols
        value = .allocate(capacity: rows * cols)
        value.initialize(repeating: fill, count: rows * cols)
    }

    public var count: Int { rows * cols }
    public var shape: [Int] { [rows, cols] }

    public subscript(row: Int, col: Int) -> Float {
        get { value[row * cols + col] }
        set { value[row * cols + col] = newValue }
    }

    /// The values as an array, row-major.
    public var values: [Float] {
        get { Array(UnsafeBufferPointer(start: value, count: count)) }
        set {
            precondition(newValue.count == count, "parameter \(name): expected \(count) values, got \(newValue.count)")
            newValue.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
        }
    }

    deinit { value.deallocate() }
}
