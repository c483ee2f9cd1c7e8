import Foundation

/// The hyperparameters of a GPT-2 checkpoint, from config.json (`n_embd`, `n_layer`, …) or
/// GGUF metadata (`gpt2.*`).
struct GPT2Config: Equatable, Sendable {
    var hiddenSize: Int
    var layerCount: Int
    var headCount: Int
    /// `n_inner`, `4·n_embd` when config.json says null.
    var intermediateSize: Int
    var vocabularySize: Int
    /// `n_positions`: rows of `wpe`, the longest input.
    var maxPositions: Int
    var layerNormEpsilon: Float
    /// `gelu_new` (and its aliases) is the tanh GELU; `gelu` is the exact erf one.
    var mlp: TransformerDescription.MLPKind

    var description: TransformerDescription {
        // hf4MaskIsBoolean stays false: GPT-2's eager code in transformers 4.x turned a 2-D
        // mask into `(1 − m)·float32 lowest` added to the scores, as BERT did, so 0.5 masks fully.
        TransformerDescription(
            hiddenSize: hiddenSize, layerCount: layerCount,
            norms: .init(kind: .layerNorm, placement: .pre, epsilon: layerNormEpsilon),
            attention: .init(headCount: headCount, keyValueHeadCount: headCount, headSize: hiddenSize / headCount),
            positions: .learnedAbsolute, mlp: mlp, intermediateSize: intermediateSize,
            isCausal: true, outputHead: .causalLM, specialTokenRoles: [.bos, .eos, .pad, .unk],
            maxPositions: maxPositions)
    }

    /// Checks every size before anything is allocated from them.
    func validate(file: URL) throws {
        func positive(_ value: Int, _ key: String) throws {
            guard value >= 1, value <= 1 << 20 else {
                throw ModelLoadError.configInvalidValue(file: file, key: key, problem: "is \(value); it must be between 1 and \(1 << 20)")
            }
        }
        try positive(hiddenSize, "n_embd")
        try positive(layerCount, "n_layer")
        try positive(headCount, "n_head")
        try positive(intermediateSize, "n_inner")
        try positive(vocabularySize, "vocab_size")
        try positive(maxPositions, "n_positions")
        guard hiddenSize % headCount == 0 else {
            throw ModelLoadError.configInvalidValue(file: file, key: "n_head",
                                                    problem: "is \(headCount), which does not divide n_embd \(hiddenSize)")
        }
        guard layerNormEpsilon >= 0, layerNormEpsilon.isFinite else {
            throw ModelLoadError.configInvalidValue(file: file, key: "layer_norm_epsilon",
                                                    problem: "is \(layerNormEpsilon); it must be a small positive number")
        }
    }

    /// The MLP an `activation_function` names; nil for one not implemented.
    static func mlp(activation: String) -> TransformerDescription.MLPKind? {
        switch activation {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_python_tanh": .tanhGELU
        case "gelu", "gelu_python": .gelu
        default: nil
        }
    }

    /// From a transformers config.json of `model_type` gpt2. Variants whose numbers Maskscope
    /// would not reproduce (no 1/√d scaling, scaling by the layer index) are refused by name.
    static func json(_ url: URL) throws -> GPT2Config {
        let raw = try ConfigFile.decode(GPT2ConfigJSON.self, from: url)
        if raw.scaleAttnWeights == false {
            throw ModelLoadError.configInvalidValue(file: url, key: "scale_attn_weights",
                                                    problem: "is false; only GPT-2's 1/√d score scaling is implemented")
        }
        if raw.scaleAttnByInverseLayerIdx == true {
            throw ModelLoadError.configInvalidValue(file: url, key: "scale_attn_by_inverse_layer_idx",
                                                    problem: "is true; scaling scores by 1/(layer + 1) is not implemented")
        }
        if raw.addCrossAttention == true {
            throw ModelLoadError.configInvalidValue(file: url, key: "add_cross_attention",
                                                    problem: "is true; encoder-decoder GPT-2 with cross-attention is not implemented")
        }
        let activation = raw.activationFunction ?? "gelu_new"
        guard let mlp = mlp(activation: activation) else {
            throw ModelLoadError.configInvalidValue(file: url, key: "activation_function",
                                                    problem: "is \"\(activation)\"; only gelu_new (tanh GELU) and gelu are implemented")
        }
        guard let hidden = raw.nEmbd else { throw ModelLoadError.configKeyMissing(file: url, key: "n_embd") }
        guard let layers = raw.nLayer else { throw ModelLoadError.configKeyMissing(file: url, key: "n_layer") }
        guard let heads = raw.nHead else { throw ModelLoadError.configKeyMissing(file: url, key: "n_head") }
        guard let vocabulary = raw.vocabSize else { throw ModelLoadError.configKeyMissing(file: url, key: "vocab_size") }
        return GPT2Config(
            hiddenSize: hidden, layerCount: layers, headCount: heads,
            intermediateSize: raw.nInner ?? (hidden <= 1 << 20 ? 4 * hidden : 0), vocabularySize: vocabulary,
            maxPositions: raw.nPositions ?? 1024, layerNormEpsilon: Float(raw.layerNormEpsilon ?? 1e-5), mlp: mlp)
    }

    /// From a GGUF file's `gpt2.*` keys, as llama.cpp's converter writes them.
    static func gguf(_ file: GGUFFile) throws -> GPT2Config {
        let url = file.url, h = file.metadata.hyperparameters
        func required(_ value: Int?, _ key: String) throws -> Int {
            guard let value else { throw ModelLoadError.configKeyMissing(file: url, key: "gpt2.\(key)") }
            return value
        }
        let hidden = try required(h.embeddingLength, "embedding_length")
        let vocabulary = h.vocabularySize ?? file.metadata.tokenizer?.tokens.count
            ?? file.info("token_embd.weight").map { $0.dimensions.count > 1 ? Int($0.dimensions[1]) : 0 } ?? 0
        return GPT2Config(
            hiddenSize: hidden, layerCount: try required(h.blockCount, "block_count"),
            headCount: try required(h.headCount, "attention.head_count"),
            intermediateSize: h.feedForwardLength ?? (hidden <= 1 << 20 ? 4 * hidden : 0),
            vocabularySize: vocabulary, maxPositions: try required(h.contextLength, "context_length"),
            layerNormEpsilon: Float(h.layerNormEpsilon ?? 1e-5), mlp: .tanhGELU)
    }
}

/// The config.json keys GPT-2 reads; everything optional so a missing key is named.
private struct GPT2ConfigJSON: Decodable {
    let nEmbd: Int?
    let nLayer: Int?
    let nHead: Int?
    let nInner: Int?
    let nPositions: Int?
    let vocabSize: Int?
    let layerNormEpsilon: Double?
    let activationFunction: String?
    let scaleAttnWeights: Bool?
    let scaleAttnByInverseLayerIdx: Bool?
    let addCrossAttention: Bool?

    enum CodingKeys: String, CodingKey {
        case nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head", nInner = "n_inner"
        case nPositions = "n_positions", vocabSize = "vocab_size", layerNormEpsilon = "layer_norm_epsilon"
        case activationFunction = "activation_function", scaleAttnWeights = "scale_attn_weights"
        case scaleAttnByInverseLayerIdx = "scale_attn_by_inverse_layer_idx", addCrossAttention = "add_cross_attention"
    }
}
