import Foundation

/// The hyper-parameters of a DistilBERT encoder, read from its `config.json` (transformers'
/// `DistilBertConfig` key names: `dim`, `n_layers`, `n_heads`, `hidden_dim`).
///
/// Only what reproduces `DistilBertModel` exactly is accepted: exact (erf) GELU and learned
/// positions (`sinusoidal_pos_embds: false`). LayerNorm's epsilon is DistilBERT's fixed 1e-12.
public struct DistilBertConfig: Decodable, Equatable, Sendable {
    /// Width of every token's hidden state (H).
    public var dim: Int
    public var layerCount: Int
    public var headCount: Int
    /// Width of the feed-forward layer (I).
    public var hiddenDim: Int
    /// Longest input in tokens, [CLS] and [SEP] included.
    public var maxPositionEmbeddings: Int
    public var vocabSize: Int
    public var architectures: [String]?

    enum CodingKeys: String, CodingKey {
        case dim, nLayers = "n_layers", nHeads = "n_heads", hiddenDim = "hidden_dim"
        case maxPositionEmbeddings = "max_position_embeddings", vocabSize = "vocab_size"
        case activation, sinusoidal = "sinusoidal_pos_embds", modelType = "model_type", architectures
    }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys, default fallback: Int? = nil) throws -> Int {
            let value: Double
            if let fallback, !keys.contains(key) { return fallback }
            do {
                value = try keys.decode(Double.self, forKey: key)
            } catch DecodingError.typeMismatch(_, let context) {
                throw DecodingError.typeMismatch(Int.self, context)
            } catch DecodingError.valueNotFound(_, let context) {
                throw DecodingError.valueNotFound(Int.self, context)
            }
            guard let whole = Int(exactly: value) else {
                throw DecodingError.typeMismatch(Int.self, .init(codingPath: keys.codingPath + [key], debugDescription: "\(value) is not a whole number"))
            }
            guard whole > 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: keys, debugDescription: "is \(whole); it must be at least 1")
            }
            return whole
        }
        // transformers' DistilBertConfig defaults for the sizes distilbert-base-uncased writes.
        dim = try count(.dim, default: 768)
        layerCount = try count(.nLayers, default: 6)
        headCount = try count(.nHeads, default: 12)
        hiddenDim = try count(.hiddenDim, default: 3072)
        maxPositionEmbeddings = try count(.maxPositionEmbeddings, default: 512)
        vocabSize = try count(.vocabSize)
        let activation = try keys.decodeIfPresent(String.self, forKey: .activation) ?? "gelu"
        guard activation == "gelu" else {
            throw DecodingError.dataCorruptedError(
                forKey: .activation, in: keys,
                debugDescription: "is \"\(activation)\"; only \"gelu\" (exact erf GELU, as in distilbert-base) is supported")
        }
        if try keys.decodeIfPresent(Bool.self, forKey: .sinusoidal) == true {
            throw DecodingError.dataCorruptedError(
                forKey: .sinusoidal, in: keys,
                debugDescription: "is true; only learned position embeddings (false, as every published DistilBERT) are supported")
        }
        let modelType = try keys.decodeIfPresent(String.self, forKey: .modelType) ?? "distilbert"
        guard modelType == "distilbert" else {
            throw DecodingError.dataCorruptedError(forKey: .modelType, in: keys, debugDescription: "is \"\(modelType)\", not \"distilbert\"")
        }
        architectures = try keys.decodeIfPresent([String].self, forKey: .architectures)
        guard dim % headCount == 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .nHeads, in: keys, debugDescription: "is \(headCount), which does not divide dim \(dim) into equal heads")
        }
    }

    /// The same network in BERT's terms, for `BertWeights` and `BertModel`: no token types,
    /// LayerNorm epsilon 1e-12.
    var bert: BertConfig {
        BertConfig(hiddenSize: dim, numAttentionHeads: headCount, numHiddenLayers: layerCount, intermediateSize: hiddenDim,
                   maxPositionEmbeddings: maxPositionEmbeddings, vocabSize: vocabSize, typeVocabSize: 1,
                   layerNormEps: 1e-12, architectures: architectures)
    }

    /// Reads and validates a `config.json`; errors are `ModelLoadError`s naming the file and key.
    public static func load(url: URL) throws -> DistilBertConfig {
        try ConfigFile.decode(DistilBertConfig.self, from: url)
    }
}
