import RunStore

/// Every analysis toymem can run, in the order they run and write their
/// columns. Adding an analysis: one new `Instrument` file and one line here.
///
/// ```swift
/// AnalysisRegistry.names                          // ["all", "interaction", …]
/// AnalysisRegistry.selected(["lookup"]).map(\.name)  // ["lookup"]
/// ```
public enum AnalysisRegistry {
    public static let instruments: [any Instrument] = [
        InteractionInstrument(),
        SparsityInstrument(),
        HashInstrument(),
        LookupInstrument(),
        ProbesInstrument(),
        AblationInstrument(),
        CapacityInstrument(),
        MacrofeaturesInstrument(),
        ExceptionsInstrument(),
        MemScoreInstrument(),
        BaggingInstrument(),
        SAEInstrument(),
    ]

    /// The word that selects every instrument except those that train models of their own (`memscore`, `sae`).
    public static let everything = "all"

    /// Names accepted in configs' `analyses` and by `toymem analyze --only`.
    public static var names: [String] { [everything] + instruments.map(\.name) }

    /// The instruments `names` select, in registry order.
    public static func selected(_ names: [String]) -> [any Instrument] {
        instruments.filter { names.contains($0.name) || (names.contains(everything) && $0.inAll) }
    }
}
