import Analysis
import NN
import RunStore
import Tasks

/// Accuracy per group of a rule-of-thumb task — entities that follow the rule and exceptions — for the
/// learning curves in `metrics.jsonl` (`train_accuracy_rule`, `train_accuracy_exception` and the same
/// for held-out entities). Only the exceptions are evaluated again; the rule-followers' accuracy follows
/// exactly from the counts of the whole set's evaluation, so the extra cost is the exceptions' share.
struct RuleGroups {
    private let trainExceptions: [Int], heldoutExceptions: [Int]
    private let data: Dataset

    init(_ data: Dataset) {
        self.data = data
        guard data.spec.kind == .rule_of_thumb, let rule = data.ruleFeature else {
            trainExceptions = []
            heldoutExceptions = []
            return
        }
        let labels = data.labels[0]
        trainExceptions = data.trainIndices.filter { labels[$0] != rule[$0] }
        heldoutExceptions = data.heldoutIndices.filter { labels[$0] != rule[$0] }
    }

    /// The group accuracies of the first fact, given the whole sets' scores; empty for tasks without exceptions.
    func accuracies(_ model: ToyModel, train: [FactScores], heldout: [FactScores], threads: Int) throws
        -> [(key: String, value: JSONValue)]
    {
        guard !trainExceptions.isEmpty else { return [] }
        var out: [(key: String, value: JSONValue)] = []
        for (name, whole, exceptions) in [("train", train, trainExceptions), ("heldout", heldout, heldoutExceptions)] {
            guard let all = whole.first, !exceptions.isEmpty else { continue }
            let excepted = try Evaluation.scores(model, data, entities: exceptions, threads: threads)[0]
            let correct = (all.accuracy * Double(all.count)).rounded()
            let exceptionCorrect = (excepted.accuracy * Double(excepted.count)).rounded()
            let followers = all.count - excepted.count
            out.append(
                (
                    "\(name)_accuracy_rule",
                    followers > 0 ? .double((correct - exceptionCorrect) / Double(followers)) : .null
                ))
            out.append(("\(name)_accuracy_exception", .double(excepted.accuracy)))
        }
        return out
    }
}
