/// One checked claim of a lesson step (`expect = [...]`), parsed: what it measures, how it
/// compares, and in which layers and heads it must hold. The language is `ClaimParser`'s.
public struct Claim: Equatable, Sendable {
    public enum Body: Equatable, Sendable {
        /// `QUANTITY OP VALUE`, e.g. `weight(q=5, k=2) == 0`.
        case comparison(ClaimQuantity, ClaimComparator, ClaimValue)
        /// `SUBJECT is [not] STATE`, e.g. `row 0 is uniform`.
        case state(ClaimSubject, negated: Bool, ClaimState)
    }

    public let body: Body
    /// Where it must hold; nil means the layer and head the step shows.
    public let scope: ClaimScope?
    /// The claim as written.
    public let text: String

    public init(body: Body, scope: ClaimScope?, text: String) {
        self.body = body
        self.scope = scope
        self.text = text
    }
}

/// A token position in a claim: `5`, `-1` (counted from the end), `last`, a token's text
/// (`'jumps'`), or `*` (every position: the claim must hold for each).
public enum ClaimPosition: Equatable, Sendable {
    case index(Int)
    case token(String)
    case every
}

/// Keys of a row sum: one position or an inclusive range (`2..5`, `..3`, `'lazy'..`).
public enum ClaimKeys: Equatable, Sendable {
    case one(ClaimPosition)
    case range(from: ClaimPosition?, to: ClaimPosition?)
}

/// Which next-token distribution: the step's (after its mask) or the unmasked run's.
public enum ClaimRun: String, Equatable, Sendable, CaseIterable {
    case before, after
}

/// What a comparison measures.
public enum ClaimQuantity: Equatable, Sendable {
    /// The attention weight query `q` gives key `k`.
    case weight(query: ClaimPosition, key: ClaimPosition)
    /// The sum of query `q`'s weights over `keys`.
    case sum(query: ClaimPosition, keys: ClaimKeys)
    /// Attention mass moved in row `q` against the unmasked run: ½ Σ_k |w − w₀|, 0…1.
    case moved(query: ClaimPosition)
    /// KL(before ‖ after) of the next-token distribution at `query` (nil: the last real token), nats.
    case kl(query: ClaimPosition?)
    /// The `count` most probable next tokens at `query` (nil: the last real token), most probable first.
    case top(count: Int, run: ClaimRun, query: ClaimPosition?)

    /// Whether the value is a token list rather than a number.
    var isTokens: Bool {
        if case .top = self { return true }
        return false
    }

    /// Whether it comes from the LM head (the scope does not apply).
    var isPrediction: Bool {
        switch self {
        case .kl, .top: return true
        default: return false
        }
    }
}

public enum ClaimComparator: String, Equatable, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    /// `contains`: a token list holds a token; `excludes`: it does not.
    case contains, excludes
}

/// The right-hand side of a comparison.
public enum ClaimValue: Equatable, Sendable {
    case number(Double)
    case text(String)
    case quantity(ClaimQuantity)
}

/// What a state claim is about.
public enum ClaimSubject: Equatable, Sendable {
    case row(ClaimPosition)
    /// A key's column: every query's cell on that key.
    case key(ClaimPosition)
    case cell(query: ClaimPosition, key: ClaimPosition)
}

public enum ClaimState: String, Equatable, Sendable, CaseIterable {
    /// Every weight of the row equal (within the tolerance): what a row with no key left gets.
    case uniform
    /// No attention can flow: every cell's bias is ≤ −1e30 (−∞, float32's lowest, hf4's
    /// (1 − m) × lowest), from the mask, a pattern or the model's causal limit.
    case closed
    /// Not closed: at least one cell (of a row, key) lets attention through.
    case open
}

/// Where a claim must hold.
public struct ClaimScope: Equatable, Sendable {
    public enum Layers: Equatable, Sendable {
        case one(Int)
        case range(Int, Int)
        case every
    }
    public enum Heads: Equatable, Sendable {
        case one(Int)
        case every
        /// The mean of the layer's heads (the explorer's "mean of heads").
        case mean
    }
    public let layers: Layers
    public let heads: Heads

    public init(layers: Layers, heads: Heads) {
        self.layers = layers
        self.heads = heads
    }
}
