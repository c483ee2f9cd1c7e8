import Foundation
import Tokenizers

/// RoBERTa encoders saved by transformers (`RobertaModel`, `RobertaForMaskedLM`, e.g.
/// roberta-base), and XLM-RoBERTa, the same network: config.json, model.safetensors,
/// tokenizer.json (byte-level BPE with `<s> … </s>`, `</s></s>` between a pair).
/// BERT's post-norm layer; positions start at `pad_token_id + 1` (see `RobertaEmbedder`).
/// XLM-RoBERTa's SentencePiece tokenizer is refused by name.
public struct RobertaFamily: ModelFamily {
    public init() {}

    public var name: String { "roberta" }
    public var modelTypes: [String] { ["roberta", "xlm-roberta"] }
    public var architectures: [String] {
        ["RobertaModel", "RobertaForMaskedLM", "RobertaForSequenceClassification", "RobertaForTokenClassification",
         "RobertaForQuestionAnswering", "XLMRobertaModel", "XLMRobertaForMaskedLM"]
    }

    /// The one key RoBERTa adds to BERT's config: `pad_token_id`, which is also the padding position.
    struct Padding: Decodable {
        let padTokenID: Int?
        enum CodingKeys: String, CodingKey { case padTokenID = "pad_token_id" }
    }

    public func load(_ location: ModelLocation) throws -> EncoderModel {
        guard let folder = location.folder else {
            throw ModelLoadError.folderMissing(folder: URL(fileURLWithPath: location.name))
        }
        let tokenizer = BackgroundLoad { try Self.tokenizer(folder: folder) as any TextTokenizer }
        let (config, weights) = try BertWeights.load(folder: folder, naming: .roberta) { url in
            try ConfigFile.decode(BertConfig.self, from: url, userInfo: [BertConfig.acceptedModelTypes: ["roberta", "xlm-roberta"]])
        }
        let configURL = folder.appendingPathComponent("config.json")
        let paddingIndex = try ConfigFile.decode(Padding.self, from: configURL).padTokenID ?? 1
        guard paddingIndex >= 0, paddingIndex < config.vocabSize else {
            throw ModelLoadError.configInvalidValue(
                file: configURL, key: "pad_token_id", problem: "is \(paddingIndex); it must be a vocabulary id below vocab_size \(config.vocabSize)")
        }
        let maxPositions = config.maxPositionEmbeddings - paddingIndex - 1
        guard maxPositions >= 1 else {
            throw RobertaLoadError.tooFewPositions(file: configURL, maxPositions: config.maxPositionEmbeddings, paddingIndex: paddingIndex)
        }
        let epsilon = Float(config.layerNormEps)
        let embedder = RobertaEmbedder(
            word: weights.embeddings.wordTable, position: weights.embeddings.position, tokenType: weights.embeddings.tokenType,
            norm: LayerNorm(gamma: weights.embeddings.layerNorm.weight, beta: weights.embeddings.layerNorm.bias, epsilon: epsilon),
            paddingIndex: paddingIndex)
        return try BertModel.make(config: config, weights: weights, tokenizer: tokenizer, name: location.name,
                                  source: folder.path, embedder: embedder, architecture: config.modelType,
                                  maxPositions: maxPositions, fallbackMaskToken: "<mask>")
    }

    /// The byte-level BPE of tokenizer.json. An XLM-RoBERTa folder (Unigram tokenizer.json,
    /// or only sentencepiece.bpe.model) is refused with `RobertaLoadError.tokenizerUnsupported`.
    static func tokenizer(folder: URL) throws -> ByteLevelBPETokenizer {
        let json = folder.appendingPathComponent("tokenizer.json")
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        guard FileManager.default.fileExists(atPath: json.path) else {
            if present.contains("sentencepiece.bpe.model") {
                throw RobertaLoadError.tokenizerUnsupported(folder: folder, found: "SentencePiece (sentencepiece.bpe.model, XLM-RoBERTa's)")
            }
            throw RobertaLoadError.tokenizerJSONMissing(folder: folder, present: present)
        }
        if let data = try? Data(contentsOf: json),
           let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let model = root["model"] as? [String: Any], let type = model["type"] as? String, type != "BPE" {
            throw RobertaLoadError.tokenizerUnsupported(
                folder: folder, found: type == "Unigram" ? "SentencePiece Unigram (XLM-RoBERTa's tokenizer.json)" : "'\(type)' (tokenizer.json)")
        }
        let config = folder.appendingPathComponent("tokenizer_config.json")
        return try ByteLevelBPETokenizer.load(
            tokenizerJSON: json, config: FileManager.default.fileExists(atPath: config.path) ? config : nil)
    }
}
