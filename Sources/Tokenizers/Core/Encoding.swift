/// The result of tokenizing one text (or a text pair) for a BERT-style encoder.
///
/// All arrays have one entry per token position, special tokens included, in order:
/// `[CLS] a… [SEP]` or `[CLS] a… [SEP] b… [SEP]`, then any `[PAD]`.
public struct Encoding: Equatable, Sendable {
    /// Token strings as the vocabulary spells them (`##` marks a word continuation).
    public var tokens: [String]
    /// Vocabulary ids, the model's `input_ids`.
    public var ids: [Int]
    /// Segment ids, the model's `token_type_ids`: 0 for the first text, 1 for the pair.
    public var typeIDs: [Int]
    /// Which word (counted over both texts) each token belongs to; nil for special tokens.
    /// Pieces of one word share an index, which is what "same word" means.
    public var wordIndices: [Int?]
    /// True for `[CLS]`, `[SEP]`, `[PAD]` and any special token written literally in the text.
    public var isSpecial: [Bool]
    /// True for `[PAD]` positions added by padding; their starting mask value is 0.
    public var isPadding: [Bool]
    /// Each token's decoded text (` jumps` for byte-level `Ġjumps`); JSON's `text`. Defaults to
    /// the vocabulary strings for tokenizers whose tokens are already text (WordPiece).
    public var texts: [String]

    public init(tokens: [String], ids: [Int], typeIDs: [Int], wordIndices: [Int?], isSpecial: [Bool], isPadding: [Bool], texts: [String]? = nil) {
        self.tokens = tokens
        self.ids = ids
        self.typeIDs = typeIDs
        self.wordIndices = wordIndices
        self.isSpecial = isSpecial
        self.isPadding = isPadding
        self.texts = texts ?? tokens
    }

    /// Number of token positions.
    public var count: Int { tokens.count }

    /// The mask a tokenizer hands a model: 1 for every token, 0 for padding.
    public var defaultMask: [Float] { isPadding.map { $0 ? 0 : 1 } }

    /// Appends `[PAD]` tokens (type id 0, as transformers pads) until there are `length` positions.
    /// A length at or below the current count leaves the encoding unchanged.
    public func padded(to length: Int, padToken: String, padID: Int) -> Encoding {
        guard length > count else { return self }
        var padded = self
        let extra = length - count
        padded.tokens += Array(repeating: padToken, count: extra)
        padded.ids += Array(repeating: padID, count: extra)
        padded.typeIDs += Array(repeating: 0, count: extra)
        padded.wordIndices += Array(repeating: nil, count: extra)
        padded.isSpecial += Array(repeating: true, count: extra)
        padded.isPadding += Array(repeating: true, count: extra)
        padded.texts += Array(repeating: padToken, count: extra)
        return padded
    }
}

/// Turns text into an `Encoding`. Every model owns one; the explorer and the headless
/// commands only go through this protocol.
public protocol TextTokenizer: Sendable {
    /// Tokenizes `text`, or the pair `text`, `pair`, adding the model's special tokens.
    func encode(_ text: String, pair: String?) throws -> Encoding
    /// The padding token and its id, for `--pad-to`.
    var padToken: (token: String, id: Int) { get }
    /// The model's special tokens by role; a role the model lacks is absent.
    var specialTokenRoles: [SpecialTokenRole: SpecialToken] { get }
    /// A vocabulary string as a person should read it on screen: a leading-space marker as a
    /// visible space, a newline as ⏎, a byte that is not UTF-8 alone as `<0xE6>`.
    func displayForm(of token: String) -> String
}

extension TextTokenizer {
    public var specialTokenRoles: [SpecialTokenRole: SpecialToken] {
        [.pad: SpecialToken(token: padToken.token, id: padToken.id)]
    }

    public func displayForm(of token: String) -> String { token }
}
