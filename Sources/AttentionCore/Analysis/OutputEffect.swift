/// How the mask changes what the model produces, against the unmasked run of the same text
/// (every mask value neutral, no pattern, no cell overrides): a mask that leaves the
/// attention "looking different" may or may not change the output a downstream task uses.
public struct OutputEffect: Sendable {
    /// The `[MASK]` predictions at one position, unmasked run and masked run.
    public struct MaskPrediction: Equatable, Sendable {
        public let position: Int
        /// Most probable first, from the unmasked run.
        public let before: [TokenProbability]
        /// Most probable first, under the explorer's mask.
        public let after: [TokenProbability]
    }

    public let tokens: [String]
    /// Cosine similarity of the mean-pooled sentence embeddings (mean over non-padding tokens
    /// of the last hidden state, as sentence-transformers pools MiniLM): 1 means unchanged.
    public let sentenceCosine: Float
    /// Cosine similarity of each token's last hidden state, masked vs unmasked, one per token.
    public let tokenCosines: [Float]
    /// One entry per `[MASK]` token, in position order; empty when the model has no
    /// masked-LM head (`hasMaskedLMHead`) or the text has no `[MASK]`.
    public let maskPredictions: [MaskPrediction]
    /// Whether the model could predict tokens at all.
    public let hasMaskedLMHead: Bool
    /// The token the masked-LM head predicts at, as the tokenizer spells it (`[MASK]` for
    /// BERT, `<mask>` for RoBERTa); `[MASK]` when there is no head.
    public private(set) var maskToken: String = "[MASK]"

    /// Compares two passes of the explorer's text. Use this form when the unmasked run is
    /// cached (it changes only with the text).
    /// - Parameters:
    ///   - masked: the pass under the explorer's mask (`explorer.recompute()`), with its
    ///     hidden state (`.attentionAndHidden`).
    ///   - unmasked: the pass under `OutputEffect.unmaskedBias(length:)`, with its hidden state.
    ///   - top: predictions kept per `[MASK]`.
    ///
    /// When either pass was run for its attention alone (`hidden` nil) there is nothing to
    /// compare: the sentence cosine is NaN and the per-token cosines and predictions are empty.
    public init(explorer: Explorer, masked: ForwardResult, unmasked: ForwardResult, top: Int = 5) {
        let encoding = explorer.encoding
        tokens = encoding.tokens
        guard let maskedHidden = masked.hidden, let unmaskedHidden = unmasked.hidden,
              maskedHidden.rows == unmaskedHidden.rows, maskedHidden.columns == unmaskedHidden.columns else {
            sentenceCosine = .nan
            tokenCosines = []
            hasMaskedLMHead = explorer.model.maskedLMHead != nil
            maskPredictions = []
            return
        }
        sentenceCosine = Self.cosine(Self.meanPooled(maskedHidden, isPadding: encoding.isPadding),
                                     Self.meanPooled(unmaskedHidden, isPadding: encoding.isPadding))
        tokenCosines = (0..<maskedHidden.rows).map { Self.cosine(maskedHidden.row($0), unmaskedHidden.row($0)) }
        if let head = explorer.model.maskedLMHead {
            hasMaskedLMHead = true
            maskToken = head.maskToken
            let positions = encoding.tokens.indices.filter { encoding.tokens[$0] == head.maskToken }
            let before = head.topPredictions(hidden: unmaskedHidden, positions: positions, count: top)
            let after = head.topPredictions(hidden: maskedHidden, positions: positions, count: top)
            maskPredictions = positions.indices.map {
                MaskPrediction(position: positions[$0], before: before[$0], after: after[$0])
            }
        } else {
            hasMaskedLMHead = false
            maskPredictions = []
        }
    }

    /// Runs both passes and compares them. Nil only when `shouldContinue` abandons a pass.
    public static func compute(for explorer: Explorer, top: Int = 5,
                               shouldContinue: () -> Bool = { true }) -> OutputEffect? {
        guard let masked = explorer.recompute(needs: .attentionAndHidden, shouldContinue: shouldContinue),
              let unmasked = explorer.model.forward(explorer.prepared, bias: unmaskedBias(length: explorer.tokens.count),
                                                    needs: .attentionAndHidden, shouldContinue: shouldContinue)
        else { return nil }
        return OutputEffect(explorer: explorer, masked: masked, unmasked: unmasked, top: top)
    }

    /// The reference: every key kept for every query (a zero bias everywhere).
    public static func unmaskedBias(length: Int) -> AttentionBias {
        AttentionBias(keyMask: [Float](repeating: 1, count: length), semantics: .hf)
    }

    /// Mean over the rows of `hidden` that are not padding; over every row when all are padding.
    /// - Returns: `hidden.columns` values.
    public static func meanPooled(_ hidden: Matrix, isPadding: [Bool]) -> [Float] {
        var rows = (0..<hidden.rows).filter { $0 >= isPadding.count || !isPadding[$0] }
        if rows.isEmpty { rows = Array(0..<hidden.rows) }
        var sum = [Double](repeating: 0, count: hidden.columns)
        for row in rows {
            for column in 0..<hidden.columns { sum[column] += Double(hidden.values[row * hidden.columns + column]) }
        }
        let share = 1 / Double(max(1, rows.count))
        return sum.map { Float($0 * share) }
    }

    /// `a·b / (|a| |b|)`, accumulated in double; 1 for two zero vectors, 0 when only one is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        if normA == 0 || normB == 0 { return normA == normB ? 1 : 0 }
        return Float(dot / (normA.squareRoot() * normB.squareRoot()))
    }
}
