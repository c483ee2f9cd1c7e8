import Foundation

/// One vocabulary entry and its probability at a position.
public struct TokenProbability: Equatable, Sendable {
    public let token: String
    public let id: Int
    /// Softmax probability over the whole vocabulary, 0…1.
    public let probability: Float

    public init(token: String, id: Int, probability: Float) {
        self.token = token
        self.id = id
        self.probability = probability
    }
}

/// `BertForMaskedLM`'s prediction head (transformers' `BertOnlyMLMHead`), so Maskscope can
/// show what the model predicts at each `[MASK]` and how a mask changes it:
/// dense H→H + bias, exact (erf) GELU, LayerNorm, then the decoder `[V][H]` (usually the word
/// embeddings, tied) + bias gives one logit per vocabulary entry; softmax gives probabilities.
public struct MaskedLMHead: Sendable {
    let transform: Linear
    let transformNorm: LayerNorm
    /// `[V][H]`.
    let decoder: Matrix
    /// `[V]`.
    let decoderBias: [Float]
    /// Token text per vocabulary id, `V` entries (ids the vocabulary file lacks read `[id N]`).
    public let vocabulary: [String]
    /// The token whose positions `OutputEffect` predicts at.
    public let maskToken: String

    /// - Parameters:
    ///   - epsilon: the config's `layer_norm_eps`.
    ///   - vocabulary: token text by id; shorter than the decoder is allowed (ids past it are named `[id N]`).
    public init(weights: BertWeights.MaskedLMHead, epsilon: Float, vocabulary: [String], maskToken: String = "[MASK]") {
        transform = weights.transform.linear()
        transformNorm = LayerNorm(gamma: weights.transformLayerNorm.weight, beta: weights.transformLayerNorm.bias,
                                  epsilon: epsilon)
        decoder = weights.decoder
        decoderBias = weights.decoderBias
        let size = weights.decoder.rows
        self.vocabulary = (0..<size).map { $0 < vocabulary.count ? vocabulary[$0] : "[id \($0)]" }
        self.maskToken = maskToken
    }

    /// Number of vocabulary entries the head scores.
    public var vocabularySize: Int { decoder.rows }

    /// Logits over the vocabulary for the given rows of a last hidden state.
    /// - Parameters:
    ///   - hidden: `[token][H]`, e.g. `ForwardResult.hidden`.
    ///   - positions: token positions to score; each must be `< hidden.rows`.
    /// - Returns: `[positions.count][V]`.
    public func logits(hidden: Matrix, positions: [Int]) -> Matrix {
        let width = hidden.columns
        guard width == transform.inputSize, !positions.isEmpty else { return Matrix(zeros: 0, vocabularySize) }
        var rows: [Float] = []
        rows.reserveCapacity(positions.count * width)
        for position in positions { rows += hidden.values[position * width ..< (position + 1) * width] }
        var transformed = transform.apply(Matrix(rows: positions.count, columns: width, values: rows))
        transformed.values = transformed.values.map(Self.gelu)
        transformNorm.apply(&transformed)
        let vocabulary = vocabularySize
        var logits = Matrix(zeros: positions.count, vocabulary)
        transformed.values.withUnsafeBufferPointer { x in
            decoder.values.withUnsafeBufferPointer { w in
                logits.values.withUnsafeMutableBufferPointer { out in
                    guard let x = x.baseAddress, let w = w.baseAddress, let out = out.baseAddress else { return }
                    for row in 0..<positions.count {
                        let features = x + row * width
                        for entry in 0..<vocabulary {
                            let weights = w + entry * width
                            var dot: Float = 0
                            for i in 0..<width { dot += features[i] * weights[i] }
                            out[row * vocabulary + entry] = dot + decoderBias[entry]
                        }
                    }
                }
            }
        }
        return logits
    }

    /// The `count` most probable tokens at each position, most probable first.
    /// - Returns: one list per entry of `positions`.
    public func topPredictions(hidden: Matrix, positions: [Int], count: Int = 5) -> [[TokenProbability]] {
        let logits = logits(hidden: hidden, positions: positions)
        return (0..<logits.rows).map { row in
            let values = logits.values[row * logits.columns ..< (row + 1) * logits.columns]
            let rowMax = values.max() ?? 0
            var sum: Double = 0
            for value in values { sum += Double(Foundation.exp(value - rowMax)) }
            var best: [(id: Int, logit: Float)] = []
            for (offset, logit) in values.enumerated() {
                guard best.count < count || logit > (best.last?.logit ?? -.infinity) else { continue }
                let at = best.firstIndex { logit > $0.logit } ?? best.count
                best.insert((offset, logit), at: at)
                if best.count > count { best.removeLast() }
            }
            return best.map { entry in
                TokenProbability(token: vocabulary[entry.id], id: entry.id,
                                 probability: Float(Double(Foundation.exp(entry.logit - rowMax)) / sum))
            }
        }
    }

    /// Exact GELU, `x/2 · (1 + erf(x/√2))`, BERT's `hidden_act: "gelu"`.
    static func gelu(_ x: Float) -> Float {
        Float(0.5 * Double(x) * (1 + Foundation.erf(Double(x) * 0.707_106_781_186_547_52)))
    }
}
