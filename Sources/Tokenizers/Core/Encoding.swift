/// The result of tokenizing one text (or a text pair) for a model.
///
/// All arrays have one entry per token position, special tokens included, in the order the
/// model's tokenizer lays them out: a BERT encoder's `[CLS] a… [SEP]` or
/// `[CLS] a… [SEP] b… [SEP]`, a decoder's optional BOS then the text; then any padding.
/// Which special token plays which part is the tokenizer's `specialTokenRoles`.
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
    /// True for the special tokens the tokenizer added (`[CLS]`, `[SEP]`, BOS…), padding, and any
    /// special token written literally in the text.
    public var isSpecial: [Bool]
    /// True for positions added by padding; their starting mask value is 0.
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

    /// Adds the padding token (type id 0, as transformers pads) until there are `length`
    /// positions: after the text, or before it on the `left`. A length at or below the current
    /// count leaves the encoding unchanged.
    public func padded(to length: Int, padToken: String, padID: Int, side: PaddingSide = .right) -> Encoding {
        guard length > count else { return self }
        let extra = length - count
        func pad<T>(_ values: [T], _ value: T) -> [T] {
            let padding = Array(repeating: value, count: extra)
            return side == .left ? padding + values : values + padding
        }
        var padded = self
        padded.tokens = pad(tokens, padToken)
        padded.ids = pad(ids, padID)
        padded.typeIDs = pad(typeIDs, 0)
        padded.wordIndices = pad(wordIndices, nil)
        padded.isSpecial = pad(isSpecial, true)
        padded.isPadding = pad(isPadding, true)
        padded.texts = pad(texts, padToken)
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
    /// The vocabulary string of `id`, or nil when the tokenizer cannot name it.
    func token(for id: Int) -> String?
    /// The text ids stand for, as transformers' `decode(ids)` (special tokens kept): pieces
    /// joined the way the tokenizer's decoder joins them.
    func decode(_ ids: [Int]) -> String
}

extension TextTokenizer {
    public var specialTokenRoles: [SpecialTokenRole: SpecialToken] {
        [.pad: SpecialToken(token: padToken.token, id: padToken.id)]
    }

    public func displayForm(of token: String) -> String { token }

    public func token(for id: Int) -> String? {
        specialTokenRoles.values.first { $0.id == id }?.token
    }

    /// Tokens joined with nothing between them; ids the tokenizer cannot name read `[id N]`.
    public func decode(_ ids: [Int]) -> String {
        ids.map { token(for: $0) ?? "[id \($0)]" }.joined()
    }

    /// The token that ends a document when several are packed in one input: the separator
    /// of an encoder, else the end-of-sequence token of a decoder; nil when there is neither.
    public var documentSeparator: SpecialToken? {
        specialTokenRoles[.sep] ?? specialTokenRoles[.eos]
    }
}
