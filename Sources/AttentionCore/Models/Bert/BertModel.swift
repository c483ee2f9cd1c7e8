import Foundation
import Tokenizers

/// Builds an `EncoderModel` from a BERT-family checkpoint folder (config.json,
/// model.safetensors, vocab.txt and/or tokenizer.json).
public enum BertModel {
    /// Loads and validates the checkpoint; the weights are converted to F32 and laid out for
    /// the kernels once, here.
    public static func load(folder: URL, name: String) throws -> EncoderModel {
        let tokenizer = BackgroundLoad { try WordPieceTokenizer.load(folder: folder) as any TextTokenizer }
        let (config, weights) = try BertWeights.load(folder: folder)
        return try make(config: config, weights: weights, tokenizer: tokenizer, name: name, source: folder.path)
    }

    /// BERT as data: post-norm LayerNorm, learned absolute positions added by the embedder,
    /// equal query and key/value heads, erf-GELU MLP, bidirectional.
    /// - Parameter maxPositions: the longest input; `max_position_embeddings` unless the
    ///   family reserves rows (RoBERTa starts at padding_idx + 1).
    static func description(config: BertConfig, hasMaskedLMHead: Bool, maxPositions: Int? = nil) -> TransformerDescription {
        TransformerDescription(
            hiddenSize: config.hiddenSize, layerCount: config.numHiddenLayers,
            norms: .init(kind: .layerNorm, placement: .post, epsilon: Float(config.layerNormEps)),
            attention: .init(headCount: config.numAttentionHeads, keyValueHeadCount: config.numAttentionHeads,
                             headSize: config.headSize),
            positions: .learnedAbsolute, mlp: .gelu, intermediateSize: config.intermediateSize, isCausal: false,
            outputHead: hasMaskedLMHead ? .maskedLM : .none, specialTokenRoles: [.cls, .sep, .pad, .mask, .unk],
            maxPositions: maxPositions ?? config.maxPositionEmbeddings)
    }

    /// The model from BERT-shaped weights. DistilBERT and RoBERTa pass their own `embedder`
    /// (no token types; RoBERTa's padding-aware positions), `architecture` name, the longest
    /// input, and the mask token to name when the tokenizer has no mask role. The tokenizer,
    /// still loading on another core, is waited for only once the layers are packed.
    static func make(config: BertConfig, weights: BertWeights, tokenizer loading: BackgroundLoad<any TextTokenizer>,
                     name: String, source: String, embedder: (any TokenEmbedder)? = nil,
                     architecture: String = "bert", maxPositions: Int? = nil,
                     fallbackMaskToken: String = "[MASK]") throws -> EncoderModel {
        let epsilon = Float(config.layerNormEps)
        let maxPositions = maxPositions ?? config.maxPositionEmbeddings
        let description = description(config: config, hasMaskedLMHead: weights.maskedLMHead != nil, maxPositions: maxPositions)
        func linear(_ dense: BertWeights.Dense) -> Linear { dense.linear() }
        func norm(_ n: BertWeights.LayerNorm) -> LayerNorm { LayerNorm(gamma: n.weight, beta: n.bias, epsilon: epsilon) }
        let layers = weights.layers.map { layer in
            TransformerLayer(
                description: description,
                query: linear(layer.query), key: linear(layer.key), value: linear(layer.value),
                attentionOutput: linear(layer.attentionOutput), attentionNorm: .layer(norm(layer.attentionLayerNorm)),
                feedForward: FeedForward(intermediate: linear(layer.intermediate), output: linear(layer.output)),
                outputNorm: .layer(norm(layer.outputLayerNorm)))
        }
        let embedder = embedder ?? BertEmbedder(
            word: weights.embeddings.wordTable, position: weights.embeddings.position,
            tokenType: weights.embeddings.tokenType, norm: norm(weights.embeddings.layerNorm))
        var info = ModelInfo(
            name: name, source: source, layerCount: config.numHiddenLayers, headCount: config.numAttentionHeads,
            hiddenSize: config.hiddenSize, maxPositions: maxPositions)
        info.architecture = architecture
        let tokenizer = try loading.value()
        let maskedLMHead = weights.maskedLMHead.map { head in
            MaskedLMHead(weights: head, epsilon: epsilon, vocabulary: vocabulary(of: tokenizer, size: config.vocabSize),
                         maskToken: tokenizer.specialTokenRoles[.mask]?.token ?? fallbackMaskToken)
        }
        return EncoderModel(info: info, tokenizer: tokenizer, embedder: embedder, layers: layers,
                            maskedLMHead: maskedLMHead)
    }

    /// Token text for ids `0..<size`, for naming masked-LM predictions; ids the tokenizer
    /// cannot name read `[id N]`.
    static func vocabulary(of tokenizer: any TextTokenizer, size: Int) -> [String] {
        (0..<size).map { tokenizer.token(for: $0) ?? "[id \($0)]" }
    }
}
