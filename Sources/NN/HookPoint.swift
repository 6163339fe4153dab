/// A named point in the forward pass whose activations can be read, named as
/// in TransformerLens. This is the only place hook names are spelled: every
/// other file turns names into points with `init?(name:)` and back with `name`.
///
/// | point | name | value |
/// | --- | --- | --- |
/// | `.embed` | `hook_embed` | W_a[a] + W_b[b] (or their concatenation) |
/// | `.pre(l)` | `blocks.{l}.mlp.hook_pre` | x W_in + b_in of block l |
/// | `.post(l)` | `blocks.{l}.mlp.hook_post` | act(pre) of block l |
/// | `.residPost(l)` | `blocks.{l}.hook_resid_post` | x + post W_out + b_out (residual models only) |
/// | `.logits(nil)` | `unembed.hook_out` | the logits of a one-fact model |
/// | `.logits(f)` | `unembed.{f}.hook_out` | the logits of fact f of a several-fact model |
///
/// ```swift
/// HookPoint.post(0).name                               // "blocks.0.mlp.hook_post"
/// HookPoint(name: "blocks.1.mlp.hook_pre") == .pre(1)  // true
/// ```
public enum HookPoint: Hashable, Sendable, CustomStringConvertible {
    case embed
    case pre(Int)
    case post(Int)
    case residPost(Int)
    /// nil in a model with one fact, whose readout has no index.
    case logits(Int?)

    public var name: String {
        switch self {
        case .embed: return "hook_embed"
        case let .pre(l): return "blocks.\(l).mlp.hook_pre"
        case let .post(l): return "blocks.\(l).mlp.hook_post"
        case let .residPost(l): return "blocks.\(l).hook_resid_post"
        case .logits(nil): return "unembed.hook_out"
        case let .logits(f?): return "unembed.\(f).hook_out"
        }
    }

    public var description: String { name }

    /// The block this point belongs to, if any.
    public var layer: Int? {
        switch self {
        case let .pre(l), let .post(l), let .residPost(l): return l
        case .embed, .logits: return nil
        }
    }

    /// The point named `name`, or nil if no hook has that name.
    public init?(name: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func index(_ s: String) -> Int? {
            guard let i = Int(s), i >= 0, String(i) == s else { return nil }
            return i
        }
        switch parts.count {
        case 1 where parts[0] == "hook_embed": self = .embed
        case 2 where parts == ["unembed", "hook_out"]: self = .logits(nil)
        case 3 where parts[0] == "unembed" && parts[2] == "hook_out":
            guard let f = index(parts[1]) else { return nil }
            self = .logits(f)
        case 3 where parts[0] == "blocks" && parts[2] == "hook_resid_post":
            guard let l = index(parts[1]) else { return nil }
            self = .residPost(l)
        case 4 where parts[0] == "blocks" && parts[2] == "mlp":
            guard let l = index(parts[1]) else { return nil }
            switch parts[3] {
            case "hook_pre": self = .pre(l)
            case "hook_post": self = .post(l)
            default: return nil
            }
        default: return nil
        }
    }
}
