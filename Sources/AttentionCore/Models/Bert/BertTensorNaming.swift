/// Where a BERT-shaped encoder keeps its tensors. BERT, DistilBERT and RoBERTa run the same
/// post-norm layer; only the names (and whether token-type embeddings exist) differ, so their
/// families read `BertWeights` through one of these.
///
/// Names are relative to the first of `prefixes` under which `embeddings.word_embeddings.weight`
/// exists; the masked-LM head's names are absolute (task heads sit beside the encoder).
public struct BertTensorNaming: Sendable {
    /// The masked-LM head's tensors.
    public struct Head: Sendable {
        /// Any tensor starting with this means the checkpoint has the head.
        public var prefix: String
        /// The H→H dense layer before GELU.
        public var transform: String
        public var norm: String
        /// `[V][H]`; absent when tied to the word embeddings.
        public var decoder: String
        /// `[V]`, the first present of these.
        public var bias: [String]
    }

    public var prefixes: [String]
    /// Layer N's tensors are under `layers + "N."`.
    public var layers: String
    public var query: String, key: String, value: String, attentionOutput: String, attentionNorm: String
    public var intermediate: String, output: String, outputNorm: String
    /// False when the checkpoint has no `embeddings.token_type_embeddings` (DistilBERT).
    public var hasTokenTypes: Bool
    public var head: Head
    /// config.json's names for the sizes, so shape errors name the key to check.
    public var layerCountKey: String, hiddenSizeKey: String, intermediateSizeKey: String

    /// `BertModel` / `BertForMaskedLM`.
    public static let bert = BertTensorNaming(
        prefixes: ["bert.", ""], layers: "encoder.layer.",
        query: "attention.self.query", key: "attention.self.key", value: "attention.self.value",
        attentionOutput: "attention.output.dense", attentionNorm: "attention.output.LayerNorm",
        intermediate: "intermediate.dense", output: "output.dense", outputNorm: "output.LayerNorm",
        hasTokenTypes: true,
        head: Head(prefix: "cls.predictions.", transform: "cls.predictions.transform.dense",
                   norm: "cls.predictions.transform.LayerNorm", decoder: "cls.predictions.decoder.weight",
                   bias: ["cls.predictions.bias", "cls.predictions.decoder.bias"]),
        layerCountKey: "num_hidden_layers", hiddenSizeKey: "hidden_size", intermediateSizeKey: "intermediate_size")

    /// `RobertaModel` / `RobertaForMaskedLM` (and XLM-RoBERTa): BERT's layer names under
    /// `roberta.`, the head as `lm_head`.
    public static let roberta: BertTensorNaming = {
        var naming = BertTensorNaming.bert
        naming.prefixes = ["roberta.", ""]
        naming.head = Head(prefix: "lm_head.", transform: "lm_head.dense", norm: "lm_head.layer_norm",
                           decoder: "lm_head.decoder.weight", bias: ["lm_head.bias", "lm_head.decoder.bias"])
        return naming
    }()

    /// `DistilBertModel` / `DistilBertForMaskedLM`: no token types, `transformer.layer.N`
    /// with `q_lin`…`out_lin`, `sa_layer_norm`, `ffn.lin1/lin2`, `output_layer_norm`.
    public static let distilBert = BertTensorNaming(
        prefixes: ["distilbert.", ""], layers: "transformer.layer.",
        query: "attention.q_lin", key: "attention.k_lin", value: "attention.v_lin",
        attentionOutput: "attention.out_lin", attentionNorm: "sa_layer_norm",
        intermediate: "ffn.lin1", output: "ffn.lin2", outputNorm: "output_layer_norm",
        hasTokenTypes: false,
        head: Head(prefix: "vocab_", transform: "vocab_transform", norm: "vocab_layer_norm",
                   decoder: "vocab_projector.weight", bias: ["vocab_projector.bias"]),
        layerCountKey: "n_layers", hiddenSizeKey: "dim", intermediateSizeKey: "hidden_dim")
}
