import Foundation

/// What a mask does to a decoder's prediction: the next-token distribution at one position
/// before (every key kept, the model's causal mask only) and after the mask, its top tokens,
/// and `KL(before ‖ after) = Σ p_before · ln(p_before / p_after)` in nats. The LM head runs for
/// that one position only.
public struct NextTokenEffect: Sendable {
    public struct Candidate: Equatable, Sendable {
        public let id: Int
        /// The raw vocabulary string (`Ġjumps`).
        public let token: String
        public let probability: Double
    }

    /// The query position whose next token is predicted.
    public let position: Int
    public let before: [Candidate]
    public let after: [Candidate]
    public let klDivergence: Double

    /// - Parameters:
    ///   - masked, unmasked: passes over the same text with `.attentionAndHidden`.
    ///   - position: nil means the last token.
    public init?(head: CausalLMHead, masked: ForwardResult, unmasked: ForwardResult, position: Int?, top: Int) {
        guard let maskedHidden = masked.hidden, let unmaskedHidden = unmasked.hidden, maskedHidden.rows > 0 else { return nil }
        let position = min(max(0, position ?? maskedHidden.rows - 1), maskedHidden.rows - 1)
        let width = maskedHidden.columns
        let row = position * width..<(position + 1) * width
        let p = CausalLMHead.probabilities(head.logits(unmaskedHidden.values[row]))   // [V]
        let q = CausalLMHead.probabilities(head.logits(maskedHidden.values[row]))     // [V]
        func topK(_ probabilities: [Double]) -> [Candidate] {
            probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(max(1, top)).map {
                Candidate(id: $0, token: $0 < head.vocabulary.count ? head.vocabulary[$0] : "[id \($0)]", probability: probabilities[$0])
            }
        }
        var kl = 0.0
        for i in p.indices where p[i] > 0 { kl += p[i] * Foundation.log(p[i] / max(q[i], .leastNonzeroMagnitude)) }
        self.position = position
        before = topK(p)
        after = topK(q)
        klDivergence = max(0, kl)
    }

    /// Runs the masked pass and the unmasked one for `explorer`; nil when the model has no
    /// causal LM head or a pass was abandoned.
    public static func compute(for explorer: Explorer, position: Int?, top: Int = 5) -> NextTokenEffect? {
        guard let head = explorer.model.causalLMHead,
              let masked = explorer.recompute(needs: .attentionAndHidden),
              let unmasked = explorer.model.forward(explorer.prepared, bias: OutputEffect.unmaskedBias(length: explorer.tokens.count),
                                                    needs: .attentionAndHidden)
        else { return nil }
        return NextTokenEffect(head: head, masked: masked, unmasked: unmasked, position: position, top: top)
    }
}
