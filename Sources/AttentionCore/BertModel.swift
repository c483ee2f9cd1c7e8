import Foundation
import Tokenizers

/// Builds an `EncoderModel` from a BERT-family checkpoint folder (config.json,
/// model.safetensors, vocab.txt and/or tokenizer.json).
public enum BertModel {
    /// Loads and validates the checkpoint; the weights are converted to F32 and laid out for
    /// the kernels once, here.
    public static func load(folder: URL, name: String) throws -> EncoderModel {
        let (config, weights) = try BertWeights.load(folder: folder)
        let tokenizer = try WordPieceTokenizer.load(folder: folder)
        return make(config: config, weights: weights, tokenizer: tokenizer, name: name, source: folder.path)
    }

    static func make(config: BertConfig, weights: BertWeights, tokenizer: any TextTokenizer,
                     name: String, source: String) -> EncoderModel {
        let epsilon = Float(config.layerNormEps)
        func linear(_ dense: BertWeights.Dense) -> Linear { Linear(weight: dense.weight, bias: dense.bias) }
        func norm(_ n: BertWeights.LayerNorm) -> LayerNorm { LayerNorm(gamma: n.weight, beta: n.bias, epsilon: epsilon) }
        let layers = weights.layers.map { layer in
            EncoderLayer(
                query: linear(layer.query), key: linear(layer.key), value: linear(layer.value),
                attentionOutput: linear(layer.attentionOutput), attentionNorm: norm(layer.attentionLayerNorm),
                feedForward: FeedForward(intermediate: linear(layer.intermediate), output: linear(layer.output)),
                outputNorm: norm(layer.outputLayerNorm), headCount: config.numAttentionHeads)
        }
        let embedder = BertEmbedder(
            word: weights.embeddings.word, position: weights.embeddings.position,
            tokenType: weights.embeddings.tokenType, norm: norm(weights.embeddings.layerNorm))
        let info = ModelInfo(
            name: name, source: source, layerCount: config.numHiddenLayers, headCount: config.numAttentionHeads,
            hiddenSize: config.hiddenSize, maxPositions: config.maxPositionEmbeddings)
        let maskedLMHead = weights.maskedLMHead.map { head in
            MaskedLMHead(weights: head, epsilon: epsilon, vocabulary: vocabulary(of: tokenizer, size: config.vocabSize))
        }
        return EncoderModel(info: info, tokenizer: tokenizer, embedder: embedder, layers: layers,
                            maskedLMHead: maskedLMHead)
    }

    /// Token text for ids `0..<size`, for naming masked-LM predictions; ids the tokenizer
    /// cannot name read `[id N]`.
    static func vocabulary(of tokenizer: any TextTokenizer, size: Int) -> [String] {
        let wordPiece = tokenizer as? WordPieceTokenizer
        return (0..<size).map { wordPiece?.token(for: $0) ?? "[id \($0)]" }
    }
}

/// Loads whatever `ModelLocator` found.
public enum ModelLoader {
    public static func load(_ location: ModelLocation) throws -> EncoderModel {
        if let file = location.file { return try GGUFModelLoader.load(file: file) }
        guard let folder = location.folder else { return BuiltinModel.make() }
        return try BertModel.load(folder: folder, name: location.name)
    }
}
