/// What a special token is for. Families name their special tokens by role, so code that needs
/// "the padding token" or "the token that starts a sequence" never spells `[PAD]` or `<s>`.
public enum SpecialTokenRole: String, CaseIterable, Sendable {
    /// Begins a sequence (`<s>`, `<|begin_of_text|>`); decoders may or may not add it.
    case bos
    /// Ends a sequence or a document (`</s>`, `<|endoftext|>`).
    case eos
    /// The encoder's summary token at position 0 (`[CLS]`, RoBERTa's `<s>`).
    case cls
    /// Separates or ends segments in an encoder (`[SEP]`, RoBERTa's `</s>`).
    case sep
    /// Fills positions added by padding.
    case pad
    /// The masked-LM blank (`[MASK]`, `<mask>`).
    case mask
    /// Stands for text the vocabulary cannot spell.
    case unk
}

/// A special token as the vocabulary spells it, with its id.
public struct SpecialToken: Equatable, Hashable, Sendable {
    public let token: String
    public let id: Int

    public init(token: String, id: Int) {
        self.token = token
        self.id = id
    }
}
