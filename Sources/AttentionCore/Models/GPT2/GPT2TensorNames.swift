/// Where a GPT-2 checkpoint keeps each tensor: transformers' names (with or without the
/// `transformer.` prefix: `GPT2LMHeadModel` saves it, the hub's `gpt2` files were saved from
/// `GPT2Model` without it) or llama.cpp's GGUF names.
struct GPT2TensorNames: Sendable {
    let wordEmbeddings: String
    let positionEmbeddings: String
    /// The final norm, without `.weight`/`.bias`.
    let finalNorm: String
    /// A separate LM head; GPT-2 ties it to `wordEmbeddings`, and llama.cpp writes a copy.
    let output: String
    /// The name of `part` in layer `layer`, without `.weight`/`.bias`.
    let layer: @Sendable (_ layer: Int, _ part: Part) -> String
    /// transformers' `Conv1D` stores weights `[in][out]`, the transpose of `nn.Linear`;
    /// llama.cpp's converter transposes them to `[out][in]`.
    let weightsAreInputByOutput: Bool

    enum Part: CaseIterable {
        /// `ln_1`, before attention.
        case attentionNorm
        /// `c_attn`: Q, K and V fused along the output axis, in that order.
        case queryKeyValue
        /// `attn.c_proj`.
        case attentionOutput
        /// `ln_2`, before the MLP.
        case mlpNorm
        /// `mlp.c_fc`.
        case up
        /// `mlp.c_proj`.
        case down
    }

    static func transformers(prefix: String) -> GPT2TensorNames {
        GPT2TensorNames(
            wordEmbeddings: prefix + "wte.weight", positionEmbeddings: prefix + "wpe.weight",
            finalNorm: prefix + "ln_f", output: "lm_head.weight",
            layer: { layer, part in
                let suffix: String
                switch part {
                case .attentionNorm: suffix = "ln_1"
                case .queryKeyValue: suffix = "attn.c_attn"
                case .attentionOutput: suffix = "attn.c_proj"
                case .mlpNorm: suffix = "ln_2"
                case .up: suffix = "mlp.c_fc"
                case .down: suffix = "mlp.c_proj"
                }
                return "\(prefix)h.\(layer).\(suffix)"
            },
            weightsAreInputByOutput: true)
    }

    static let gguf = GPT2TensorNames(
        wordEmbeddings: "token_embd.weight", positionEmbeddings: "position_embd.weight",
        finalNorm: "output_norm", output: "output.weight",
        layer: { layer, part in
            let suffix: String
            switch part {
            case .attentionNorm: suffix = "attn_norm"
            case .queryKeyValue: suffix = "attn_qkv"
            case .attentionOutput: suffix = "attn_output"
            case .mlpNorm: suffix = "ffn_norm"
            case .up: suffix = "ffn_up"
            case .down: suffix = "ffn_down"
            }
            return "blk.\(layer).\(suffix)"
        },
        weightsAreInputByOutput: false)
}
