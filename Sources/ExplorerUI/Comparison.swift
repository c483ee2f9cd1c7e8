import AttentionCore

/// What the comparison views need beside the main result: the same text unmasked, and the
/// current mask read under hf, hf4 and soft. Computed in the background only while such a
/// view is open, since it costs four more forward passes.
public struct Comparison: Sendable {
    /// All-ones mask, no pattern: the reference the diff and the output effect measure against
    /// (with its hidden state, which the output effect reads).
    public let unmasked: ForwardResult
    /// The current mask (pattern and cells included) under each of hf, hf4 and soft; their
    /// attention only (`hidden` nil).
    public let bySemantics: [(semantics: MaskSemantics, result: ForwardResult)]

    public static let comparedSemantics: [MaskSemantics] = [.hf, .hf4, .soft]

    /// Runs the passes; nil when `shouldContinue` abandons them for a newer edit.
    public static func compute(for explorer: Explorer, shouldContinue: () -> Bool = { true }) -> Comparison? {
        guard let unmasked = explorer.model.forward(
            explorer.prepared, bias: OutputEffect.unmaskedBias(length: explorer.tokens.count),
            needs: .attentionAndHidden, shouldContinue: shouldContinue)
        else { return nil }
        var results: [(MaskSemantics, ForwardResult)] = []
        for semantics in comparedSemantics {
            var variant = explorer
            variant.semantics = semantics
            guard let result = variant.recompute(needs: .attention, shouldContinue: shouldContinue) else { return nil }
            results.append((semantics, result))
        }
        return Comparison(unmasked: unmasked, bySemantics: results)
    }
}
