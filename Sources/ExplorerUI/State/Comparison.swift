import AttentionCore

/// What the comparison views need beside the main result: the same text unmasked, and the
/// current mask read under hf, hf4 and soft. Computed in the background only while such a
/// view is open, since it costs up to four more forward passes; the unmasked pass depends only
/// on the text, so it is reused across mask edits.
public struct Comparison: Sendable {
    /// All-ones mask, no pattern: the reference the diff and the output effect measure against
    /// (with its hidden state, which the output effect reads).
    public let unmasked: ForwardResult
    /// The current mask (pattern and cells included) under each of hf, hf4 and soft; their
    /// attention only (`hidden` nil).
    public let bySemantics: [(semantics: MaskSemantics, result: ForwardResult)]
    /// The output effect of the current mask against `unmasked` (cosines, masked-LM
    /// predictions), computed here in the background so the effect view only draws it.
    public let effect: OutputEffect
    /// The per-text input these passes ran on: `unmasked` holds while the text does.
    let prepared: PreparedInput
    /// The current mask under the explorer's own semantics, with its hidden state: what the
    /// next-token effect of another query position is computed from without a new pass.
    let masked: ForwardResult
    /// On a decoder: the next-token top-5 after one query position (`AppState.effectQuery`),
    /// unmasked vs masked, with the KL divergence. The LM head runs in the background, here or
    /// in `nextToken(at:)`, for that one position only.
    public var nextToken: NextTokenEffect? = nil

    public static let comparedSemantics: [MaskSemantics] = [.hf, .hf4, .soft]

    /// The unmasked run of `previous`, when it was made for the same text as `explorer`.
    static func reusableUnmasked(_ previous: Comparison?, for explorer: Explorer) -> ForwardResult? {
        guard let previous, previous.prepared === explorer.prepared else { return nil }
        return previous.unmasked
    }

    /// Runs the passes, reusing `unmasked` when given; nil when `shouldContinue` abandons them
    /// for a newer edit. On a decoder the next-token effect is computed at `position` (nil:
    /// the last token).
    public static func compute(for explorer: Explorer, unmasked reused: ForwardResult? = nil, position: Int? = nil,
                               shouldContinue: () -> Bool = { true }) -> Comparison? {
        guard let unmasked = reused ?? explorer.model.forward(
            explorer.prepared, bias: OutputEffect.unmaskedBias(length: explorer.tokens.count),
            needs: .attentionAndHidden, shouldContinue: shouldContinue)
        else { return nil }
        var results: [(MaskSemantics, ForwardResult)] = []
        var masked: ForwardResult?
        for semantics in comparedSemantics {
            var variant = explorer
            variant.semantics = semantics
            // The explorer's own semantics keeps its hidden state, for the output effect; the
            // attention is bit-identical either way.
            let own = semantics == explorer.semantics
            guard let result = variant.recompute(needs: own ? .attentionAndHidden : .attention,
                                                 shouldContinue: shouldContinue) else { return nil }
            if own { masked = result }
            results.append((semantics, result))
        }
        if masked == nil {
            masked = explorer.recompute(needs: .attentionAndHidden, shouldContinue: shouldContinue)
        }
        guard let masked else { return nil }
        let effect = OutputEffect(explorer: explorer, masked: masked, unmasked: unmasked)
        var comparison = Comparison(unmasked: unmasked, bySemantics: results, effect: effect, prepared: explorer.prepared,
                                    masked: masked)
        if let head = explorer.model.causalLMHead {
            comparison.nextToken = NextTokenEffect(head: head, masked: masked, unmasked: unmasked, position: position, top: 5)
        }
        return comparison
    }

    /// The next-token effect at another query position, from the hidden states these passes
    /// kept: the LM head only, for that one row. Nil on a model without a causal LM head.
    /// Costs a vocabulary-sized matrix-vector product per side, so the app loop runs it in the
    /// background (`Effect.predictNextToken`).
    public func nextToken(at position: Int, head: CausalLMHead?) -> NextTokenEffect? {
        guard let head else { return nil }
        return NextTokenEffect(head: head, masked: masked, unmasked: unmasked, position: position, top: 5)
    }
}
