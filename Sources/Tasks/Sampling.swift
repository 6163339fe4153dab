import Randomness

/// Seeded sampling helpers shared by the task generators.
enum Sampling {
    /// `count` distinct values of 0..<population, sorted ascending, by a
    /// partial Fisher–Yates shuffle (exact and uniform over subsets).
    static func distinct(_ count: Int, of population: Int, using rng: inout SeededGenerator) -> [Int] {
        if count == population { return Array(0..<population) }
        var pool = Array(0..<population)
        for i in 0..<count {
            let j = Int.random(in: i..<population, using: &rng)
            pool.swapAt(i, j)
        }
        return pool[0..<count].sorted()
    }

    /// A uniform class in 0..<classes other than `excluded`.
    static func other(than excluded: Int32, classes: Int, using rng: inout SeededGenerator) -> Int32 {
        let draw = Int32.random(in: 0..<Int32(classes - 1), using: &rng)
        return draw >= excluded ? draw + 1 : draw
    }
}
