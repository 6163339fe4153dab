import Randomness

/// Seeded sampling helpers shared by the task generators.
enum Sampling {
    /// `count` distinct values of 0..<population, sorted ascending, by a
    /// partial Fisher–Yates shuffle (exact and uniform over subsets).
    ///
    /// For a small sample of a large population the shuffled pool is
    /// virtual: only the positions a swap has touched are stored, so memory is
    /// O(count) however large the population (1,000 entities of a 10⁶ × 10⁶
    /// grid), with the same draws and result as shuffling the whole array.
    static func distinct(_ count: Int, of population: Int, using rng: inout SeededGenerator) -> [Int] {
        if count == population { return Array(0..<population) }
        // A real array is smaller and faster when the sample is a large part of the population.
        if population <= 8 * count {
            var pool = Array(0..<population)
            for i in 0..<count { pool.swapAt(i, Int.random(in: i..<population, using: &rng)) }
            return pool[0..<count].sorted()
        }
        var moved: [Int: Int] = [:]
        moved.reserveCapacity(2 * count)
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        for i in 0..<count {
            let j = Int.random(in: i..<population, using: &rng)
            let atJ = moved[j] ?? j
            moved[j] = moved[i] ?? i
            chosen.append(atJ)
        }
        return chosen.sorted()
    }

    /// A uniform class in 0..<classes other than `excluded`.
    static func other(than excluded: Int32, classes: Int, using rng: inout SeededGenerator) -> Int32 {
        let draw = Int32.random(in: 0..<Int32(classes - 1), using: &rng)
        return draw >= excluded ? draw + 1 : draw
    }
}
