import Foundation

/// BERT's tokenizer (basic tokenizer + WordPiece), matching transformers 5's `BertTokenizer`
/// token for token: same normalization, word splitting, greedy longest-match pieces,
/// literal special tokens and `[CLS] a [SEP] b [SEP]` assembly.
public struct WordPieceTokenizer: TextTokenizer {
    /// Lower-cases the text (uncased models).
    public let lowercase: Bool
    /// Removes accents (NFD, then nonspacing marks). Defaults to `lowercase`, as in BERT.
    public let stripAccents: Bool
    /// Makes every CJK ideograph a word of its own.
    public let tokenizeChineseChars: Bool
    /// Removes control and format characters and maps all whitespace to spaces.
    public let cleanText: Bool
    /// A word with more characters (Unicode scalars) than this becomes `[UNK]`.
    public let maxInputCharsPerWord: Int
    public let unknownToken: (token: String, id: Int)
    public let classToken: (token: String, id: Int)
    public let separatorToken: (token: String, id: Int)
    public let padToken: (token: String, id: Int)
    /// The masked-LM blank, when the vocabulary has one.
    public let maskToken: (token: String, id: Int)?
    /// Special tokens recognised when written literally in the text, with their ids.
    public let specialTokens: [(token: String, id: Int)]

    let vocabulary: WordPieceVocabulary
    private let normalizer: BertNormalizer
    private let splitter: SpecialTokenSplitter

    /// Builds a tokenizer from a vocabulary held in memory, where `vocabulary[id]` is the
    /// token with that id (vocab.txt's line order). A repeated token keeps its last id.
    ///
    /// - Parameters:
    ///   - stripAccents: nil follows `lowercase`, as transformers does.
    ///   - specialTokens: tokens split out of raw text as whole special tokens; the four
    ///     structural tokens and `maskToken` are always included when in the vocabulary.
    ///   - source: the file the vocabulary came from, named in errors.
    /// - Throws: `TokenizerError.emptyVocabulary`, or `.missingSpecialToken` when
    ///   `[UNK]`, `[CLS]`, `[SEP]` or `[PAD]` is not in the vocabulary.
    public init(
        vocabulary: [String],
        lowercase: Bool = true,
        stripAccents: Bool? = nil,
        tokenizeChineseChars: Bool = true,
        cleanText: Bool = true,
        unknownToken: String = "[UNK]",
        classToken: String = "[CLS]",
        separatorToken: String = "[SEP]",
        paddingToken: String = "[PAD]",
        maskToken: String? = "[MASK]",
        specialTokens: [String] = [],
        continuationPrefix: String = "##",
        maxInputCharsPerWord: Int = 100,
        source: String = "vocabulary"
    ) throws {
        try self.init(
            entries: vocabulary.enumerated().map { (token: $0.element, id: $0.offset) },
            lowercase: lowercase, stripAccents: stripAccents, tokenizeChineseChars: tokenizeChineseChars,
            cleanText: cleanText, unknownToken: unknownToken, classToken: classToken,
            separatorToken: separatorToken, paddingToken: paddingToken, maskToken: maskToken,
            extraSpecialTokens: specialTokens.map { (token: $0, id: nil) },
            continuationPrefix: continuationPrefix, maxInputCharsPerWord: maxInputCharsPerWord, source: source
        )
    }

    /// Builds from (token, id) entries, for vocabularies whose ids are given explicitly
    /// (tokenizer.json). An extra special token with an id of its own need not be in `entries`.
    init(
        entries: [(token: String, id: Int)],
        lowercase: Bool,
        stripAccents: Bool?,
        tokenizeChineseChars: Bool,
        cleanText: Bool,
        unknownToken: String,
        classToken: String,
        separatorToken: String,
        paddingToken: String,
        maskToken: String?,
        extraSpecialTokens: [(token: String, id: Int?)],
        continuationPrefix: String,
        maxInputCharsPerWord: Int,
        source: String
    ) throws {
        guard !entries.isEmpty else { throw TokenizerError.emptyVocabulary(file: source) }
        let extraWithIDs = extraSpecialTokens.compactMap { special in special.id.map { (token: special.token, id: $0) } }
        let vocabulary = WordPieceVocabulary(entries: entries + extraWithIDs, continuationPrefix: continuationPrefix)
        func required(_ token: String) throws -> (token: String, id: Int) {
            guard let id = vocabulary.id(for: token) else {
                throw TokenizerError.missingSpecialToken(token: token, file: source)
            }
            return (token, id)
        }
        self.unknownToken = try required(unknownToken)
        self.classToken = try required(classToken)
        self.separatorToken = try required(separatorToken)
        self.padToken = try required(paddingToken)

        var specials: [(token: String, id: Int)] = [self.padToken, self.unknownToken, self.classToken, self.separatorToken]
        let optional = (maskToken.map { [$0] } ?? []) + extraSpecialTokens.map(\.token)
        for token in optional where !specials.contains(where: { $0.token == token }) {
            if let id = vocabulary.id(for: token) { specials.append((token, id)) }
        }
        self.specialTokens = specials
        self.maskToken = maskToken.flatMap { token in vocabulary.id(for: token).map { (token, $0) } }
        self.vocabulary = vocabulary
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
        self.tokenizeChineseChars = tokenizeChineseChars
        self.cleanText = cleanText
        self.maxInputCharsPerWord = maxInputCharsPerWord
        normalizer = BertNormalizer(
            cleanText: cleanText, handleChineseChars: tokenizeChineseChars,
            stripAccents: stripAccents ?? lowercase, lowercase: lowercase
        )
        splitter = SpecialTokenSplitter(specialTokens: specials)
    }

    /// Number of distinct tokens in the vocabulary.
    /// `[CLS]`, `[SEP]`, `[PAD]`, `[UNK]` and, when the vocabulary has it, `[MASK]`, as this
    /// checkpoint spells them.
    public var specialTokenRoles: [SpecialTokenRole: SpecialToken] {
        var roles: [SpecialTokenRole: SpecialToken] = [
            .cls: SpecialToken(token: classToken.token, id: classToken.id),
            .sep: SpecialToken(token: separatorToken.token, id: separatorToken.id),
            .pad: SpecialToken(token: padToken.token, id: padToken.id),
            .unk: SpecialToken(token: unknownToken.token, id: unknownToken.id),
        ]
        if let maskToken { roles[.mask] = SpecialToken(token: maskToken.token, id: maskToken.id) }
        return roles
    }

    /// The token itself: `##` already reads as "continues the previous word", as BertViz shows it.
    public func displayForm(of token: String) -> String { token }

    /// transformers' BERT decoding (`decode(ids)`, special tokens kept), as the `tokenizers`
    /// WordPiece decoder does it: a continuation piece glued to the one before (`##` dropped; kept on a first piece),
    /// any other piece after a space; with each piece's space then cleaned up before `.`, `?`,
    /// `!`, `,` and English contractions (`n't`, `'s`, …), piece by piece.
    public func decode(_ ids: [Int]) -> String {
        var text = ""
        let prefix = vocabulary.continuationPrefix
        for (index, id) in ids.enumerated() {
            let token = self.token(for: id) ?? unknownToken.token
            var piece = token
            if index > 0 {
                piece = !prefix.isEmpty && token.hasPrefix(prefix) ? String(token.dropFirst(prefix.count)) : " " + token
            }
            for (spaced, glued) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                                    (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
                piece = piece.replacingOccurrences(of: spaced, with: glued)
            }
            text += piece
        }
        return text
    }

    public var vocabularySize: Int { vocabulary.count }

    /// The id of a token spelled exactly (byte for byte) as in the vocabulary.
    public func id(for token: String) -> Int? { vocabulary.id(for: token) }

    /// The token with this id, or nil for an id outside the vocabulary.
    public func token(for id: Int) -> String? { vocabulary.token(for: id) }

    /// Tokenizes `text` (and `pair`) into `[CLS] text [SEP]` or `[CLS] text [SEP] pair [SEP]`.
    /// Word indices count on from the first text into the pair.
    /// - Throws: `TokenizerError.emptyText` when the text or the pair yields no tokens.
    public func encode(_ text: String, pair: String? = nil) throws -> Encoding {
        var encoding = Encoding(tokens: [], ids: [], typeIDs: [], wordIndices: [], isSpecial: [], isPadding: [])
        func appendSpecial(_ special: (token: String, id: Int), typeID: Int) {
            encoding.tokens.append(special.token)
            encoding.ids.append(special.id)
            encoding.typeIDs.append(typeID)
            encoding.wordIndices.append(nil)
            encoding.isSpecial.append(true)
            encoding.isPadding.append(false)
        }
        appendSpecial(classToken, typeID: 0)
        var nextWord = try appendPieces(of: text, which: "text", typeID: 0, firstWord: 0, to: &encoding)
        appendSpecial(separatorToken, typeID: 0)
        if let pair {
            nextWord = try appendPieces(of: pair, which: "pair", typeID: 1, firstWord: nextWord, to: &encoding)
            appendSpecial(separatorToken, typeID: 1)
        }
        return encoding
    }

    /// Appends the tokens of one text and returns the next free word index.
    private func appendPieces(of text: String, which: String, typeID: Int, firstWord: Int, to encoding: inout Encoding) throws -> Int {
        let countBefore = encoding.count
        var word = firstWord
        for segment in splitter.segments(of: text) {
            switch segment {
            case .special(let token, let id):
                encoding.tokens.append(token)
                encoding.ids.append(id)
                encoding.typeIDs.append(typeID)
                encoding.wordIndices.append(nil)
                encoding.isSpecial.append(true)
                encoding.isPadding.append(false)
            case .text(let plain):
                let scalars = normalizer.normalize(plain.unicodeScalars)
                for range in BertPreTokenizer.wordRanges(scalars) {
                    let ids: [Int]
                    if range.count > maxInputCharsPerWord {
                        ids = [unknownToken.id]
                    } else {
                        ids = vocabulary.pieces(of: scalars[range]) ?? [unknownToken.id]
                    }
                    for id in ids {
                        encoding.tokens.append(vocabulary.token(for: id) ?? unknownToken.token)
                        encoding.ids.append(id)
                        encoding.typeIDs.append(typeID)
                        encoding.wordIndices.append(word)
                        encoding.isSpecial.append(false)
                        encoding.isPadding.append(false)
                    }
                    word += 1
                }
            }
        }
        guard encoding.count > countBefore else { throw TokenizerError.emptyText(which: which) }
        return word
    }
}
