import Analysis
import Charts
import NN
import RunStore

/// `hash_score` of every hook (`HashScore`): 0 when the hook is additive in the
/// tokens, about 1 when it behaves like a hash; `hash_score_shuffled` is the same
/// for a copy of the model with every parameter tensor's entries permuted. `hash_randomness_median`
/// (`InteractionRank`) is the median over a hook's neurons of the share of their interaction that a
/// rank-1 table misses: 0 for ANDs of token sets, about 0.93 for a random hash; the same for the
/// shuffled copy.
struct HashInstrument: Instrument {
    let name = "hash"
    let doc = "Hash score of every hook, for the trained model and a shuffled copy."
    let needs: Set<InstrumentInput> = []
    let hookKeys = [
        "hash_score", "hash_score_shuffled", "hash_randomness_median", "hash_randomness_shuffled_median",
    ]
    let headlines = [
        Headline("hash_score_post0", inComparison: true) { $0["hooks"]?[HookPoint.post(0).name]?["hash_score"] },
        Headline("hash_score_shuffled_post0", inComparison: true) {
            $0["hooks"]?[HookPoint.post(0).name]?["hash_score_shuffled"]
        },
    ]

    func measure(_ context: AnalysisContext) throws -> Measurement {
        let (seed, threads) = (context.settings.seed, context.settings.threads)
        let shuffled = HashScore.shuffled(context.model, seed: seed)
        let trained = try HashScore.scores(context.model, seed: seed, threads: threads)
        let baseline = try HashScore.scores(shuffled, seed: seed, threads: threads)
        let randomness = try InteractionRank.scores(context.model, seed: seed, threads: threads)
        let randomnessShuffled = try InteractionRank.scores(shuffled, seed: seed, threads: threads)
        var result = Measurement()
        for point in trained.keys {
            result.hookValues[point] = [
                jsonNumber(trained[point]), jsonNumber(baseline[point]),
                jsonNumber(median(randomness[point]?.compactMap { $0 } ?? [])),
                jsonNumber(median(randomnessShuffled[point]?.compactMap { $0 } ?? [])),
            ]
        }
        return result
    }
}
