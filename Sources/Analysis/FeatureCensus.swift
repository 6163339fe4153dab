/// What a feature (an SAE latent) responds to, from its activations over the whole A × B grid.
/// Its support is the set of cells where it exceeds 10% of its maximum; a live feature is
///
/// - a **microfeature** if its support is a single cell (one entity);
/// - a **token feature** if ≥ 90% of its support lies in one row (a = const) or one column;
/// - a **rule feature** (tasks with a rule) if ≥ 90% of its support lies in one checkerboard
///   block, or shares one value of the rule and covers at least 5 cells;
/// - a **label feature** if ≥ 90% of the labelled cells of its support share one label;
/// - **other** otherwise.
///
/// The first that applies wins, in this order.
public enum FeatureCensus {
    public enum Kind: String, CaseIterable, Sendable { case micro, token, rule, label, other }

    public static let purity = 0.9, supportFraction: Float = 0.1

    /// `activations` is [A·B, width] row-major (row a·B + b); `labels` and `rule` hold a value per cell
    /// (nil where the cell is not an entity, or the task has no rule); `block` is the checkerboard's.
    public static func classify(
        _ activations: [Float], width: Int, vocabularyA: Int, vocabularyB: Int, labels: [Int32?], rule: [Int32?]?,
        block: Int?
    ) -> [Kind?] {
        (0..<width).map { j in
            var peak: Float = 0
            for cell in 0..<(vocabularyA * vocabularyB) { peak = max(peak, activations[cell * width + j]) }
            guard peak > 0 else { return nil }  // dead on the grid
            let support = (0..<(vocabularyA * vocabularyB)).filter {
                activations[$0 * width + j] > supportFraction * peak
            }
            if support.count == 1 { return .micro }
            func pure<K: Hashable>(_ keys: [K]) -> Bool {
                guard !keys.isEmpty else { return false }
                let counts = Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +)
                return Double(counts.values.max()!) >= purity * Double(keys.count)
            }
            if pure(support.map { $0 / vocabularyB }) || pure(support.map { $0 % vocabularyB }) { return .token }
            if let rule {
                if let block, pure(support.map { [($0 / vocabularyB) / block, ($0 % vocabularyB) / block] }) {
                    return .rule
                }
                if support.count >= 5, pure(support.compactMap { rule[$0] }) { return .rule }
            }
            if pure(support.compactMap { labels[$0] }) { return .label }
            return .other
        }
    }
}
