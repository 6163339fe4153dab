import Randomness

/// Label generation for each task kind.
enum Labelling {
    /// The facts of every entity; `rule` is the rule's label per entity for
    /// rule_of_thumb and generalising tasks.
    static func labels(_ spec: TaskSpec, rule: [Int32]?, count: Int, using rng: inout SeededGenerator) -> [[Int32]] {
        let c = spec.classes
        switch spec.kind {
        case .pure:
            return [(0..<count).map { _ in Int32.random(in: 0..<Int32(c), using: &rng) }]
        case .generalising:
            return [rule!]
        case .rule_of_thumb:
            var labels = rule!
            let exceptions = Int((spec.exceptionRate * Double(labels.count)).rounded())
            for i in Sampling.distinct(exceptions, of: labels.count, using: &rng) {
                labels[i] = Sampling.other(than: labels[i], classes: c, using: &rng)
            }
            return [labels]
        case .correlated:
            let first = (0..<count).map { _ in Int32.random(in: 0..<Int32(c), using: &rng) }
            var facts = [first]
            for _ in 1..<spec.facts {
                let relabel = Array(0..<Int32(c)).shuffled(using: &rng)
                facts.append(
                    first.map { y in
                        rng.nextUnitDouble() < spec.correlation
                            ? relabel[Int(y)] : Int32.random(in: 0..<Int32(c), using: &rng)
                    })
            }
            return facts
        }
    }

    /// The rule's label for every entity (the rule-of-thumb labels before
    /// exceptions), or nil for tasks without a rule.
    static func ruleLabels(_ spec: TaskSpec, a: [Int32], b: [Int32], using rng: inout SeededGenerator) -> [Int32]? {
        guard spec.kind == .rule_of_thumb || spec.kind == .generalising, let rule = spec.rule else { return nil }
        let c = Int32(spec.classes)
        switch rule {
        case let .checkerboard(block):
            let s = Int32(block)
            return zip(a, b).map { (($0 / s) + ($1 / s)) % c }
        case .sumMod:
            return zip(a, b).map { ($0 + $1) % c }
        case .aOnly:
            let table = (0..<spec.domainA).map { _ in Int32.random(in: 0..<c, using: &rng) }
            return a.map { table[Int($0)] }
        }
    }
}
