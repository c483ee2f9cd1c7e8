import Foundation
import Tokenizers

/// The hyper-parameters of a BERT encoder, read from a Hugging Face `config.json`.
///
/// Only what reproduces `transformers`' `BertModel` exactly is accepted: exact (erf) GELU and
/// absolute position embeddings. Keys `transformers` gives defaults to (`type_vocab_size`,
/// `layer_norm_eps`, `hidden_act`, `position_embedding_type`, `model_type`) get the same
/// defaults here; the sizes must be present.
public struct BertConfig: Decodable, Equatable, Sendable {
    /// The feed-forward activation. Only `gelu` (exact, erf-based) is supported, so the
    /// forward pass can switch over it without a default.
    public enum Activation: String, Sendable {
        case gelu
    }

    /// Width of every token's hidden state (H).
    public var hiddenSize: Int
    /// Heads per attention layer; each head sees `headSize = H / heads` features.
    public var numAttentionHeads: Int
    /// Encoder layers.
    public var numHiddenLayers: Int
    /// Width of the feed-forward layer (I).
    public var intermediateSize: Int
    /// Longest input in tokens, [CLS] and [SEP] included (P).
    public var maxPositionEmbeddings: Int
    /// LayerNorm's epsilon, added to the variance before the square root.
    public var layerNormEps: Double
    /// Word-piece vocabulary size (V).
    public var vocabSize: Int
    /// Number of segment ids (T), 2 for sentence A / sentence B.
    public var typeVocabSize: Int
    public var hiddenAct: Activation
    /// `"bert"` once loaded by `load(url:)`; RoBERTa's family reads `"roberta"`/`"xlm-roberta"` configs too.
    public var modelType: String
    /// Always `"absolute"` once loaded.
    public var positionEmbeddingType: String
    /// The model classes the checkpoint was saved from, e.g. `["BertForMaskedLM"]`.
    public var architectures: [String]?

    /// Features per attention head, `hiddenSize / numAttentionHeads`.
    public var headSize: Int { hiddenSize / numAttentionHeads }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numAttentionHeads = "num_attention_heads"
        case numHiddenLayers = "num_hidden_layers"
        case intermediateSize = "intermediate_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case layerNormEps = "layer_norm_eps"
        case vocabSize = "vocab_size"
        case typeVocabSize = "type_vocab_size"
        case hiddenAct = "hidden_act"
        case modelType = "model_type"
        case positionEmbeddingType = "position_embedding_type"
        case architectures
    }

    /// A configuration built in code (tests, synthetic models); not validated.
    public init(
        hiddenSize: Int, numAttentionHeads: Int, numHiddenLayers: Int, intermediateSize: Int,
        maxPositionEmbeddings: Int, vocabSize: Int, typeVocabSize: Int = 2, layerNormEps: Double = 1e-12,
        hiddenAct: Activation = .gelu, architectures: [String]? = nil
    ) {
        self.hiddenSize = hiddenSize
        self.numAttentionHeads = numAttentionHeads
        self.numHiddenLayers = numHiddenLayers
        self.intermediateSize = intermediateSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.vocabSize = vocabSize
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
        self.hiddenAct = hiddenAct
        self.modelType = "bert"
        self.positionEmbeddingType = "absolute"
        self.architectures = architectures
    }

    /// Decodes and validates. Unusable values throw `DecodingError.dataCorrupted` whose
    /// coding path names the key and whose description says what is wrong with it.
    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try Self.positiveCount(.hiddenSize, in: keys)
        numAttentionHeads = try Self.positiveCount(.numAttentionHeads, in: keys)
        numHiddenLayers = try Self.positiveCount(.numHiddenLayers, in: keys)
        intermediateSize = try Self.positiveCount(.intermediateSize, in: keys)
        maxPositionEmbeddings = try Self.positiveCount(.maxPositionEmbeddings, in: keys)
        vocabSize = try Self.positiveCount(.vocabSize, in: keys)
        typeVocabSize = keys.contains(.typeVocabSize) ? try Self.positiveCount(.typeVocabSize, in: keys) : 2

        layerNormEps = try keys.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? 1e-12
        guard layerNormEps.isFinite, layerNormEps >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .layerNormEps, in: keys, debugDescription: "is \(layerNormEps); it must be a non-negative number")
        }

        let activation = try keys.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        guard let hiddenAct = Activation(rawValue: activation) else {
            throw DecodingError.dataCorruptedError(
                forKey: .hiddenAct, in: keys,
                debugDescription: "is \"\(activation)\"; only \"gelu\" (exact erf GELU, as in BERT and MiniLM) is supported")
        }
        self.hiddenAct = hiddenAct

        let accepted = decoder.userInfo[Self.acceptedModelTypes] as? [String] ?? ["bert"]
        modelType = try keys.decodeIfPresent(String.self, forKey: .modelType) ?? accepted[0]
        guard accepted.contains(modelType) else {
            throw DecodingError.dataCorruptedError(
                forKey: .modelType, in: keys,
                debugDescription: "is \"\(modelType)\"; only " + accepted.map { "\"\($0)\"" }.joined(separator: ", ")
                    + " checkpoints are supported here (their tensor names and embeddings differ)")
        }
        positionEmbeddingType = try keys.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
        guard positionEmbeddingType == "absolute" else {
            throw DecodingError.dataCorruptedError(
                forKey: .positionEmbeddingType, in: keys,
                debugDescription: "is \"\(positionEmbeddingType)\"; only \"absolute\" position embeddings are supported")
        }
        architectures = try keys.decodeIfPresent([String].self, forKey: .architectures)

        guard hiddenSize % numAttentionHeads == 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .numAttentionHeads, in: keys,
                debugDescription: "is \(numAttentionHeads), which does not divide hidden_size \(hiddenSize) into equal heads")
        }
    }

    /// Reads a size as a whole number ≥ 1. Decoded via `Double` because `JSONDecoder` on Linux
    /// reports a fraction read as `Int` as corrupt data with no key.
    private static func positiveCount(_ key: CodingKeys, in keys: KeyedDecodingContainer<CodingKeys>) throws -> Int {
        let value: Double
        do {
            value = try keys.decode(Double.self, forKey: key)
        } catch DecodingError.typeMismatch(_, let context) {
            throw DecodingError.typeMismatch(Int.self, context)
        } catch DecodingError.valueNotFound(_, let context) {
            throw DecodingError.valueNotFound(Int.self, context)
        }
        guard let count = Int(exactly: value) else {
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: keys.codingPath + [key], debugDescription: "\(value) is not a whole number"))
        }
        guard count > 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: keys, debugDescription: "is \(count); it must be at least 1")
        }
        return count
    }

    /// `userInfo` key: the `model_type`s a family built on BERT's layer reads with this type
    /// (`["roberta", "xlm-roberta"]`); BERT's own `["bert"]` when absent. The first is the default.
    static let acceptedModelTypes = CodingUserInfoKey(rawValue: "maskscope.acceptedModelTypes")!

    /// Reads and validates a `config.json`.
    ///
    /// - Throws: `ModelLoadError` naming the file and, for content problems, the key:
    ///   `.configMissing`, `.configUnreadable`, `.configNotJSON` (with line and column),
    ///   `.configKeyMissing`, `.configKeyWrongType`, `.configInvalidValue`.
    public static func load(url: URL) throws -> BertConfig {
        try ConfigFile.decode(BertConfig.self, from: url)
    }

    /// Validates a `config.json` already read from `file` (named in errors); `load(url:)` without
    /// the file system, for the fuzz target.
    static func decode(_ data: Data, file: URL) throws -> BertConfig {
        try ConfigFile.decode(BertConfig.self, data: data, file: file)
    }
}
