/// The `memscore` analysis's settings (the config's `memscore` section): how many subset models, and the
/// fraction of the trained entities each one sees.
public struct MemScoreSettings: Sendable, Equatable {
    public var models = 50
    public var fraction = 0.7

    public init() {}
}
