import Analysis
import Charts
import RunStore

/// Bits memorised = Σ over trained entities and facts of max(0, log₂ C + log₂ p(y | e)),
/// per parameter with and without the embeddings, and as a fraction of the
/// maximum N_trained · F · log₂ C.
struct CapacityInstrument: Instrument {
    let name = "capacity"
    let doc = "Bits memorised, per parameter and as a fraction of the maximum."
    let needs: Set<InstrumentInput> = []
    let summaryKey: String? = "capacity"

    func measure(_ context: AnalysisContext) throws -> Measurement {
        let c = try Capacity(context.model, data: context.data, threads: context.settings.threads)
        return Measurement(
            summary: .object([
                ("bits_memorised", .double(c.bitsMemorised)), ("bits_per_param", .double(c.bitsPerParameter)),
                ("bits_per_non_embedding_param", .double(c.bitsPerNonEmbeddingParameter)),
                ("maximum_bits", .double(c.maximumBits)),
                ("fraction_of_maximum", .double(c.maximumBits > 0 ? c.bitsMemorised / c.maximumBits : 0)),
            ]))
    }
}
