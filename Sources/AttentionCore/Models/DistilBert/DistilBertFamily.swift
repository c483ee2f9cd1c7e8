import Foundation
import Tokenizers

/// DistilBERT encoders saved by transformers (`DistilBertModel`, `DistilBertForMaskedLM`,
/// e.g. distilbert-base-uncased): config.json, model.safetensors, vocab.txt and/or
/// tokenizer.json. BERT's post-norm layer under other names, without token types.
public struct DistilBertFamily: ModelFamily {
    public init() {}

    public var name: String { "distilbert" }
    public var modelTypes: [String] { ["distilbert"] }
    public var architectures: [String] {
        ["DistilBertModel", "DistilBertForMaskedLM", "DistilBertForSequenceClassification",
         "DistilBertForTokenClassification", "DistilBertForQuestionAnswering"]
    }

    public func load(_ location: ModelLocation) throws -> EncoderModel {
        guard let folder = location.folder else {
            throw ModelLoadError.folderMissing(folder: URL(fileURLWithPath: location.name))
        }
        let tokenizer = BackgroundLoad { try WordPieceTokenizer.load(folder: folder) as any TextTokenizer }
        let (config, weights) = try BertWeights.load(folder: folder, naming: .distilBert) { url in
            try DistilBertConfig.load(url: url).bert
        }
        let epsilon = Float(config.layerNormEps)
        let embedder = WordPositionEmbedder(
            word: weights.embeddings.wordTable, position: weights.embeddings.position,
            norm: LayerNorm(gamma: weights.embeddings.layerNorm.weight, beta: weights.embeddings.layerNorm.bias, epsilon: epsilon))
        return try BertModel.make(config: config, weights: weights, tokenizer: tokenizer, name: location.name,
                                  source: folder.path, embedder: embedder, architecture: name)
    }
}
