import Foundation

/// The hyperparameters of a Llama-family decoder (Llama, SmolLM2, Qwen2, Mistral), read from
/// GGUF metadata (`llama.*`) or from a transformers config.json.
struct LlamaConfig: Equatable, Sendable {
    var hiddenSize: Int
    var layerCount: Int
    var intermediateSize: Int
    var headCount: Int
    var keyValueHeadCount: Int
    /// Features per head, `d`; `hiddenSize / headCount` unless the checkpoint says otherwise.
    var headSize: Int
    var vocabularySize: Int
    var maxPositions: Int
    var rmsEpsilon: Float
    /// Rotary `θ` (transformers' `rope_theta`, GGUF's `rope.freq_base`).
    var ropeBase: Float
    /// Mistral's `sliding_window`: keys a query sees, itself included; nil for none.
    var slidingWindow: Int?
    /// `tie_word_embeddings` (config.json); a GGUF file ties when it has no `output.weight`.
    var tiedEmbeddings: Bool
    /// "llama", "qwen2", "mistral": what the checkpoint calls itself, shown in reports.
    var modelType: String

    var description: TransformerDescription {
        var description = TransformerDescription(
            hiddenSize: hiddenSize, layerCount: layerCount,
            norms: .init(kind: .rmsNorm, placement: .pre, epsilon: rmsEpsilon),
            attention: .init(headCount: headCount, keyValueHeadCount: keyValueHeadCount, headSize: headSize),
            positions: .rotary(base: ropeBase), mlp: .gatedSiLU, intermediateSize: intermediateSize,
            isCausal: true, outputHead: .causalLM, specialTokenRoles: [.bos, .eos, .pad, .unk],
            maxPositions: maxPositions)
        description.slidingWindow = slidingWindow
        description.hf4MaskIsBoolean = true
        return description
    }

    /// Checks every size before anything is allocated from them.
    func validate(file: URL) throws {
        func positive(_ value: Int, _ key: String) throws {
            guard value >= 1, value <= 1 << 20 else {
                throw LlamaLoadError.invalidValue(file: file, key: key, problem: "is \(value); it must be between 1 and \(1 << 20)")
            }
        }
        try positive(hiddenSize, "hidden size")
        try positive(layerCount, "layer count")
        try positive(intermediateSize, "intermediate size")
        try positive(headCount, "attention head count")
        try positive(keyValueHeadCount, "key/value head count")
        try positive(headSize, "head size")
        try positive(vocabularySize, "vocabulary size")
        try positive(maxPositions, "context length")
        guard headCount % keyValueHeadCount == 0 else {
            throw LlamaLoadError.invalidValue(file: file, key: "key/value head count",
                                              problem: "is \(keyValueHeadCount), which does not divide the \(headCount) query heads")
        }
        guard headSize % 2 == 0 else {
            throw LlamaLoadError.invalidValue(file: file, key: "head size", problem: "is \(headSize); rotary positions need an even head size")
        }
        guard ropeBase > 0, ropeBase.isFinite else {
            throw LlamaLoadError.invalidValue(file: file, key: "rope theta", problem: "is \(ropeBase); it must be a positive number")
        }
        guard rmsEpsilon >= 0, rmsEpsilon.isFinite else {
            throw LlamaLoadError.invalidValue(file: file, key: "rms_norm_eps", problem: "is \(rmsEpsilon); it must be a small positive number")
        }
        if let slidingWindow, slidingWindow < 1 {
            throw LlamaLoadError.invalidValue(file: file, key: "sliding_window", problem: "is \(slidingWindow); it must be at least 1")
        }
    }

    /// From a GGUF file's `<arch>.*` keys. `rope.scaling.type` other than none and a rotary
    /// dimension count other than the head size are refused by name.
    static func gguf(_ file: GGUFFile) throws -> LlamaConfig {
        let metadata = file.metadata, url = file.url
        let arch = metadata.architecture ?? "llama"
        let h = metadata.hyperparameters
        func required(_ value: Int?, _ key: String) throws -> Int {
            guard let value else { throw LlamaLoadError.missingKey(file: url, key: "\(arch).\(key)") }
            return value
        }
        let hidden = try required(h.embeddingLength, "embedding_length")
        let heads = try required(h.headCount, "attention.head_count")
        if h.keyLength == nil, heads > 0, hidden % heads != 0 {
            throw LlamaLoadError.invalidValue(file: url, key: "\(arch).embedding_length",
                                              problem: "is \(hidden), which the \(heads) attention heads do not divide, and no \(arch).attention.key_length gives the head size")
        }
        let headSize = h.keyLength ?? (heads > 0 ? hidden / heads : 0)
        if let scaling = metadata["\(arch).rope.scaling.type"]?.stringValue, scaling != "none" {
            throw LlamaLoadError.unsupported(file: url, key: "\(arch).rope.scaling.type", value: scaling,
                                             why: "rotary scaling is not implemented; only unscaled rotary positions are reproduced exactly")
        }
        if let dimensions = h.ropeDimensionCount, dimensions != headSize {
            throw LlamaLoadError.unsupported(file: url, key: "\(arch).rope.dimension_count", value: String(dimensions),
                                             why: "partial rotary (rotating \(dimensions) of \(headSize) features per head) is not implemented")
        }
        let vocabulary = h.vocabularySize ?? metadata.tokenizer?.tokens.count
            ?? file.info("token_embd.weight").map { $0.dimensions.count > 1 ? Int($0.dimensions[1]) : 0 } ?? 0
        return LlamaConfig(
            hiddenSize: hidden, layerCount: try required(h.blockCount, "block_count"),
            intermediateSize: try required(h.feedForwardLength, "feed_forward_length"),
            headCount: heads, keyValueHeadCount: h.headCountKV ?? heads, headSize: headSize,
            vocabularySize: vocabulary, maxPositions: h.contextLength ?? 2048,
            rmsEpsilon: Float(h.rmsNormEpsilon ?? 1e-5), ropeBase: Float(h.ropeFrequencyBase ?? 10000),
            slidingWindow: nil, tiedEmbeddings: file.info("output.weight") == nil, modelType: arch)
    }

    /// From a transformers config.json of `model_type` llama, qwen2 or mistral.
    static func json(_ url: URL) throws -> LlamaConfig {
        let raw = try ConfigFile.decode(LlamaConfigJSON.self, from: url)
        if let scaling = raw.ropeScaling {
            let type = scaling.ropeType ?? scaling.type ?? "unnamed"
            if type != "default" {
                throw LlamaLoadError.unsupported(file: url, key: "rope_scaling", value: type,
                                                 why: "rotary scaling '\(type)' is not implemented; only unscaled rotary positions are reproduced exactly")
            }
        }
        if let type = raw.ropeParameters?.ropeType, type != "default" {
            throw LlamaLoadError.unsupported(file: url, key: "rope_parameters.rope_type", value: type,
                                             why: "rotary scaling '\(type)' is not implemented; only unscaled rotary positions are reproduced exactly")
        }
        if let factor = raw.partialRotaryFactor, factor != 1 {
            throw LlamaLoadError.unsupported(file: url, key: "partial_rotary_factor", value: "\(factor)",
                                             why: "partial rotary positions are not implemented")
        }
        if let activation = raw.hiddenAct, activation != "silu" {
            throw LlamaLoadError.unsupported(file: url, key: "hidden_act", value: activation, why: "only the SiLU-gated MLP is implemented")
        }
        let modelType = raw.modelType ?? "llama"
        var window: Int?
        if modelType == "mistral" { window = raw.slidingWindow }
        if modelType == "qwen2", raw.useSlidingWindow == true {
            throw LlamaLoadError.unsupported(file: url, key: "use_sliding_window", value: "true",
                                             why: "Qwen2's per-layer sliding window is not implemented")
        }
        guard let hidden = raw.hiddenSize else { throw LlamaLoadError.missingKey(file: url, key: "hidden_size") }
        guard let heads = raw.numAttentionHeads else { throw LlamaLoadError.missingKey(file: url, key: "num_attention_heads") }
        guard let layers = raw.numHiddenLayers else { throw LlamaLoadError.missingKey(file: url, key: "num_hidden_layers") }
        guard let inner = raw.intermediateSize else { throw LlamaLoadError.missingKey(file: url, key: "intermediate_size") }
        guard let vocabulary = raw.vocabSize else { throw LlamaLoadError.missingKey(file: url, key: "vocab_size") }
        // transformers takes hidden_size // heads as the head size; a remainder means the
        // config and the weights cannot agree on it.
        if raw.headDim == nil, heads > 0, hidden % heads != 0 {
            throw LlamaLoadError.invalidValue(file: url, key: "hidden_size",
                                              problem: "is \(hidden), which the \(heads) attention heads do not divide, and no head_dim gives the head size")
        }
        return LlamaConfig(
            hiddenSize: hidden, layerCount: layers, intermediateSize: inner, headCount: heads,
            keyValueHeadCount: raw.numKeyValueHeads ?? heads,
            headSize: raw.headDim ?? (heads > 0 ? hidden / heads : 0), vocabularySize: vocabulary,
            maxPositions: raw.maxPositionEmbeddings ?? 2048, rmsEpsilon: Float(raw.rmsNormEps ?? 1e-6),
            ropeBase: Float(raw.ropeTheta ?? raw.ropeParameters?.ropeTheta ?? 10000), slidingWindow: window,
            tiedEmbeddings: raw.tieWordEmbeddings ?? false, modelType: modelType)
    }
}

/// The config.json keys the Llama family reads; everything optional so a missing key gets
/// `LlamaLoadError.missingKey` naming it.
private struct LlamaConfigJSON: Decodable {
    struct RopeScaling: Decodable {
        let type: String?
        let ropeType: String?
        enum CodingKeys: String, CodingKey { case type; case ropeType = "rope_type" }
    }
    struct RopeParameters: Decodable {
        let ropeTheta: Double?
        let ropeType: String?
        enum CodingKeys: String, CodingKey { case ropeTheta = "rope_theta"; case ropeType = "rope_type" }
    }
    let modelType: String?
    let hiddenSize: Int?
    let numHiddenLayers: Int?
    let intermediateSize: Int?
    let numAttentionHeads: Int?
    let numKeyValueHeads: Int?
    let headDim: Int?
    let vocabSize: Int?
    let maxPositionEmbeddings: Int?
    let rmsNormEps: Double?
    let ropeTheta: Double?
    let ropeScaling: RopeScaling?
    let ropeParameters: RopeParameters?
    let partialRotaryFactor: Double?
    let slidingWindow: Int?
    let useSlidingWindow: Bool?
    let tieWordEmbeddings: Bool?
    let hiddenAct: String?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case intermediateSize = "intermediate_size", numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads", headDim = "head_dim", vocabSize = "vocab_size"
        case maxPositionEmbeddings = "max_position_embeddings", rmsNormEps = "rms_norm_eps", ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling", ropeParameters = "rope_parameters", partialRotaryFactor = "partial_rotary_factor"
        case slidingWindow = "sliding_window", useSlidingWindow = "use_sliding_window"
        case tieWordEmbeddings = "tie_word_embeddings", hiddenAct = "hidden_act"
    }
}
