/// What a forward pass has to produce. The attention maps never need the last layer's
/// value projection, context, output projection, norms or feed-forward block: those only
/// feed the last hidden state, a sixth of a 6-layer pass.
public enum ForwardNeeds: Sendable, Equatable {
    /// Every layer's attention probabilities (and what raw scores need); `hidden` is nil.
    /// What the explorer shows after a mask edit.
    case attention
    /// Also the last layer's output, `ForwardResult.hidden`: for `OutputEffect` and
    /// `attention --hidden`.
    case attentionAndHidden
}
