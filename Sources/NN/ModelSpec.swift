/// The architecture of a toy model: embeddings of a and b, combined by sum
/// or concatenation, L hidden blocks, and one linear readout per fact.
///
/// ```swift
/// let spec = ModelSpec(vocabularyA: 100, vocabularyB: 100, embedding: 64, hidden: [256], classes: [3])
/// ```
public struct ModelSpec: Sendable, Equatable, Codable {
    public var vocabularyA: Int
    public var vocabularyB: Int
    public var embedding: Int
    public var combine: Combine
    public var hidden: [Int]
    public var activation: Activation
    public var residual: Bool
    /// Number of classes of each fact; one readout per entry.
    public var classes: [Int]

    public init(
        vocabularyA: Int, vocabularyB: Int, embedding: Int, combine: Combine = .sum,
        hidden: [Int], activation: Activation = .relu, residual: Bool = false, classes: [Int]
    ) {
        self.vocabularyA = vocabularyA
        self.vocabularyB = vocabularyB
        self.embedding = embedding
        self.combine = combine
        self.hidden = hidden
        self.activation = activation
        self.residual = residual
        self.classes = classes
    }
}
