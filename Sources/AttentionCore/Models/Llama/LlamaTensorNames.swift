/// Where a Llama-family checkpoint keeps each tensor: llama.cpp's GGUF names or transformers'.
struct LlamaTensorNames: Sendable {
    let embeddings: String
    let finalNorm: String
    let output: String
    /// The name of tensor `part` of layer `layer`: `part` is one of the `Part` cases.
    let layer: @Sendable (_ layer: Int, _ part: Part) -> String
    /// GGUF stores Q and K rows permuted for llama.cpp's interleaved rotary; transformers'
    /// rotate-half layout needs them un-permuted at load.
    let rotaryRowsInterleaved: Bool

    enum Part: CaseIterable {
        case attentionNorm, query, key, value, attentionOutput, mlpNorm, gate, up, down
        case queryBias, keyBias, valueBias, attentionOutputBias
    }

    static let gguf = LlamaTensorNames(
        embeddings: "token_embd.weight", finalNorm: "output_norm.weight", output: "output.weight",
        layer: { layer, part in
            let suffix: String
            switch part {
            case .attentionNorm: suffix = "attn_norm.weight"
            case .query: suffix = "attn_q.weight"
            case .key: suffix = "attn_k.weight"
            case .value: suffix = "attn_v.weight"
            case .attentionOutput: suffix = "attn_output.weight"
            case .mlpNorm: suffix = "ffn_norm.weight"
            case .gate: suffix = "ffn_gate.weight"
            case .up: suffix = "ffn_up.weight"
            case .down: suffix = "ffn_down.weight"
            case .queryBias: suffix = "attn_q.bias"
            case .keyBias: suffix = "attn_k.bias"
            case .valueBias: suffix = "attn_v.bias"
            case .attentionOutputBias: suffix = "attn_output.bias"
            }
            return "blk.\(layer).\(suffix)"
        },
        rotaryRowsInterleaved: true)

    static let transformers = LlamaTensorNames(
        embeddings: "model.embed_tokens.weight", finalNorm: "model.norm.weight", output: "lm_head.weight",
        layer: { layer, part in
            let suffix: String
            switch part {
            case .attentionNorm: suffix = "input_layernorm.weight"
            case .query: suffix = "self_attn.q_proj.weight"
            case .key: suffix = "self_attn.k_proj.weight"
            case .value: suffix = "self_attn.v_proj.weight"
            case .attentionOutput: suffix = "self_attn.o_proj.weight"
            case .mlpNorm: suffix = "post_attention_layernorm.weight"
            case .gate: suffix = "mlp.gate_proj.weight"
            case .up: suffix = "mlp.up_proj.weight"
            case .down: suffix = "mlp.down_proj.weight"
            case .queryBias: suffix = "self_attn.q_proj.bias"
            case .keyBias: suffix = "self_attn.k_proj.bias"
            case .valueBias: suffix = "self_attn.v_proj.bias"
            case .attentionOutputBias: suffix = "self_attn.o_proj.bias"
            }
            return "model.layers.\(layer).\(suffix)"
        },
        rotaryRowsInterleaved: false)
}
