/// A GGUF file's key/value metadata, in file order, with typed views of the keys model code uses.
///
/// Keys follow llama.cpp's conventions (gguf-py `Keys`): `general.*`, hyperparameters under the
/// architecture's prefix (`llama.block_count`), and `tokenizer.ggml.*` / `tokenizer.chat_template`.
public struct GGUFMetadata: Sendable {
    /// Every entry in file order.
    public let entries: [(key: String, value: GGUFValue)]
    private let index: [String: Int]

    init(entries: [(key: String, value: GGUFValue)]) {
        self.entries = entries
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() { index[entry.key] = position }
        self.index = index
    }

    public subscript(key: String) -> GGUFValue? {
        index[key].map { entries[$0].value }
    }

    /// `general.architecture`: "llama", "bert", "qwen2", …
    public var architecture: String? { self["general.architecture"]?.stringValue }
    /// `general.name`, the model's display name.
    public var name: String? { self["general.name"]?.stringValue }

    /// The architecture's own keys (`<arch>.*`) in file order: the hyperparameters.
    public var hyperparameterEntries: [(key: String, value: GGUFValue)] {
        guard let architecture else { return [] }
        let prefix = architecture + "."
        return entries.filter { $0.key.hasPrefix(prefix) }
    }

    /// The hyperparameters a decoder or encoder family needs, read from `<arch>.*`.
    public var hyperparameters: GGUFHyperparameters {
        let prefix = (architecture ?? "") + "."
        func int(_ key: String) -> Int? { self[prefix + key]?.intValue }
        func double(_ key: String) -> Double? { self[prefix + key]?.doubleValue }
        return GGUFHyperparameters(
            contextLength: int("context_length"), embeddingLength: int("embedding_length"),
            blockCount: int("block_count"), feedForwardLength: int("feed_forward_length"),
            headCount: int("attention.head_count"), headCountKV: int("attention.head_count_kv"),
            keyLength: int("attention.key_length"), valueLength: int("attention.value_length"),
            rmsNormEpsilon: double("attention.layer_norm_rms_epsilon"), layerNormEpsilon: double("attention.layer_norm_epsilon"),
            ropeFrequencyBase: double("rope.freq_base"), ropeDimensionCount: int("rope.dimension_count"),
            vocabularySize: int("vocab_size"))
    }

    /// The tokenizer stored in `tokenizer.ggml.*`, or nil when the file has no token list.
    public var tokenizer: GGUFTokenizerMetadata? {
        guard let tokens = self["tokenizer.ggml.tokens"]?.arrayValues else { return nil }
        func id(_ key: String) -> Int? { self["tokenizer.ggml.\(key)"]?.intValue }
        return GGUFTokenizerMetadata(
            model: self["tokenizer.ggml.model"]?.stringValue ?? "",
            preTokenizer: self["tokenizer.ggml.pre"]?.stringValue,
            tokens: tokens.map { $0.stringValue ?? "" },
            tokenTypes: self["tokenizer.ggml.token_type"]?.arrayValues?.compactMap(\.intValue) ?? [],
            scores: self["tokenizer.ggml.scores"]?.arrayValues?.compactMap { $0.doubleValue.map(Float.init) } ?? [],
            merges: self["tokenizer.ggml.merges"]?.arrayValues?.compactMap(\.stringValue) ?? [],
            bosTokenID: id("bos_token_id"), eosTokenID: id("eos_token_id"),
            unknownTokenID: id("unknown_token_id"), paddingTokenID: id("padding_token_id"),
            addsBOS: self["tokenizer.ggml.add_bos_token"]?.boolValue, addsEOS: self["tokenizer.ggml.add_eos_token"]?.boolValue)
    }

    /// `tokenizer.chat_template`, the Jinja template chat front ends apply.
    public var chatTemplate: String? { self["tokenizer.chat_template"]?.stringValue }
}

/// Hyperparameters under `<arch>.*`; nil where the file does not say (or stores per-layer arrays).
public struct GGUFHyperparameters: Equatable, Sendable {
    public var contextLength: Int?
    public var embeddingLength: Int?
    public var blockCount: Int?
    public var feedForwardLength: Int?
    public var headCount: Int?
    /// Key/value heads (grouped-query attention); equal to `headCount` when absent in llama.cpp.
    public var headCountKV: Int?
    public var keyLength: Int?
    public var valueLength: Int?
    public var rmsNormEpsilon: Double?
    public var layerNormEpsilon: Double?
    public var ropeFrequencyBase: Double?
    public var ropeDimensionCount: Int?
    public var vocabularySize: Int?
}

/// `tokenizer.ggml.*`: what a BPE or SentencePiece tokenizer needs to be rebuilt from a GGUF file.
public struct GGUFTokenizerMetadata: Equatable, Sendable {
    /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE), "llama" (SentencePiece), "bert" (WordPiece), …
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer regex family ("smollm", "llama-bpe", …).
    public var preTokenizer: String?
    /// Token texts by id.
    public var tokens: [String]
    /// llama.cpp token types by id (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
    public var tokenTypes: [Int]
    /// SentencePiece scores by id (empty for BPE).
    public var scores: [Float]
    /// BPE merges, "left right", highest priority first.
    public var merges: [String]
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    public var unknownTokenID: Int?
    public var paddingTokenID: Int?
    public var addsBOS: Bool?
    public var addsEOS: Bool?

    /// A person's name for the tokenizer kind.
    public var kindDescription: String {
        switch model {
        case "gpt2": "byte-level BPE (gpt2)"
        case "llama": "SentencePiece (llama)"
        case "bert": "WordPiece (bert)"
        case "t5": "Unigram (t5)"
        case "rwkv": "RWKV"
        case "": "unnamed"
        default: model
        }
    }
}
