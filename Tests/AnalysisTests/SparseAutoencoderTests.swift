import Analysis
import Randomness
import XCTest

/// Sparse autoencoders on data whose sparse code is known.
final class SparseAutoencoderTests: XCTestCase {
    /// 2,000 rows, each c·e_j for a random axis j of ℝ⁸ and c in [1, 2]: exactly 1-sparse codes.
    private func oneHotRows(seed: UInt64) -> (rows: [Float], axes: [Int]) {
        var rng = SeededGenerator(seed: seed)
        var rows = [Float](repeating: 0, count: 2000 * 8), axes: [Int] = []
        for r in 0..<2000 {
            let j = Int.random(in: 0..<8, using: &rng)
            rows[r * 8 + j] = 1 + rng.nextUniform()
            axes.append(j)
        }
        return (rows, axes)
    }

    private func check(_ settings: SAESettings, file: StaticString = #filePath, line: UInt = #line) throws {
        let (x, axes) = oneHotRows(seed: 5)
        let sae = try SparseAutoencoder.train(rows: x, dIn: 8, settings: settings)
        let (f, xHat) = try sae.apply(x)
        let n = axes.count, width = sae.dSAE
        // Reconstruction: explained variance (relative to the mean) close to 1.
        var mean = [Double](repeating: 0, count: 8)
        for r in 0..<n { for j in 0..<8 { mean[j] += Double(x[r * 8 + j]) / Double(n) } }
        var residual = 0.0, total = 0.0
        for r in 0..<n {
            for j in 0..<8 {
                residual += pow(Double(x[r * 8 + j] - xHat[r * 8 + j]), 2)
                total += pow(Double(x[r * 8 + j]) - mean[j], 2)
            }
        }
        XCTAssertGreaterThan(1 - residual / total, 0.95, "explained variance", file: file, line: line)
        // Sparsity: one active feature per row, or two where an axis is split between two features (an
        // overcomplete dictionary may cover small and large c with different features); never dense.
        let l0 = Double(f.filter { $0 > 0 }.count) / Double(n)
        XCTAssertLessThan(l0, 2, "L0", file: file, line: line)
        // Recovery: every axis has a feature whose unit decoder row points along it (cosine > 0.95).
        let decoder = sae.decoderWeight.values
        for j in 0..<8 {
            let best = (0..<width).map { decoder[$0 * 8 + j] }.max()!
            XCTAssertGreaterThan(best, 0.95, "axis \(j) has no feature", file: file, line: line)
        }
    }

    func testReLUWithL1RecoversOneHotCodes() throws {
        var settings = SAESettings()
        (settings.dSAE, settings.l1Coefficient, settings.steps, settings.batchSize, settings.learningRate) =
            (16, 0.05, 3000, 128, 3e-3)
        try check(settings)
    }

    func testTopKRecoversOneHotCodes() throws {
        var settings = SAESettings()
        (settings.architecture, settings.dSAE, settings.k, settings.steps, settings.batchSize, settings.learningRate) =
            (.topK, 16, 1, 3000, 128, 3e-3)
        try check(settings)
    }
}
