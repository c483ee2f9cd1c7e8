/// What checking one claim found.
public enum ClaimOutcome: Equatable, Sendable {
    case holds
    /// The claim is false; `actual` says where and what was found instead
    /// (`layer 0 head 7 has 0.0132`).
    case fails(actual: String)
    /// The claim cannot be checked on this step or model (a token that is not in the text, a
    /// layer that does not exist, a model without a language-model head).
    case unusable(String)
}
