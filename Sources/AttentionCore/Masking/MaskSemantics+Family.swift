/// A semantics as the model on screen defines it. `hf4` is "what transformers 4 did", and
/// that depended on the family: BERT's `(1 − m)·lowest` masks 0.5 fully, Llama's
/// `causal + (m == 0)` keeps 0.5 exactly like 1. Everything that turns a mask into a bias or
/// describes it for a model goes through these.
extension MaskSemantics {
    /// The semantics whose `bias(for:)` reproduces this one on a model described by `description`.
    public func resolved(for description: TransformerDescription) -> MaskSemantics {
        self == .hf4 && description.hf4MaskIsBoolean ? .hf : self
    }

    /// `summary`, said for the model: hf4 on a Llama-family decoder names its boolean reading,
    /// and every semantics says the model's own causal mask stays applied.
    public func summary(for description: TransformerDescription) -> String {
        var text = summary
        if self == .hf4, description.hf4MaskIsBoolean {
            text = "transformers 4 on this decoder: causal + (mask == 0); any value ≠ 0 keeps a key fully, 0 masks (unlike BERT in 4.x)"
        }
        if description.isCausal { text += "; the model's causal mask always applies" }
        return text
    }

    /// `effect(of:)` for the model.
    public func effect(of value: Float, for description: TransformerDescription) -> String {
        resolved(for: description).effect(of: value)
    }

    /// `keyState(for:)` for the model.
    public func keyState(for value: Float, on description: TransformerDescription) -> KeyMaskState {
        resolved(for: description).keyState(for: value)
    }
}
