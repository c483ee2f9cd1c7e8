import Foundation

/// Byte-level BPE (GPT-2, RoBERTa, SmolLM, Llama 3, Qwen2), matching transformers 5.24 token
/// for token: added tokens matched literally first, then a split regex cuts each remaining run
/// into words, each word's UTF-8 bytes are spelled in GPT-2's byte alphabet and merged by rank,
/// and a template adds the model's special tokens.
///
/// `Encoding.tokens` keeps vocabulary spellings (`Ġjumps`, as `convert_ids_to_tokens` gives);
/// `Encoding.texts` holds each token's decoded text (` jumps`); `displayForm(of:)` makes a
/// token readable on screen (`␣jumps`, `⏎`, `<0xE6>`).
public struct ByteLevelBPETokenizer: TextTokenizer {
    /// The word-splitting regex; nil when the file splits only on added tokens.
    public let splitPattern: SplitPattern?
    /// Puts a space before each run of text that lacks one (RoBERTa with `add_prefix_space`).
    public let addPrefixSpace: Bool
    /// NFC-normalizes text between added tokens (Qwen2's tokenizer.json has this normalizer).
    public let normalizesNFC: Bool
    /// Special tokens added around the text or the pair.
    public let template: PostTemplate
    /// Tokens matched whole in the raw text.
    public let addedTokens: [AddedToken]
    public let specialTokenRoles: [SpecialTokenRole: SpecialToken]
    /// The padding token: the `pad` role, else `eos` (GPT-2 has none and pads with its EOS).
    public let padToken: (token: String, id: Int)

    private let vocabulary: [String: Int]
    private let tokensByID: [String?]
    private let merger: BytePairMerger
    private let splitter: AddedTokenSplitter
    private let specialAddedIDs: Set<Int>

    /// Builds a tokenizer from a vocabulary (alphabet-spelled token → id) and merges in rank
    /// order. The loaders in `ByteLevelBPETokenizer+Loading.swift` call this.
    ///
    /// - Parameters:
    ///   - merges: each merge's two sides with the line or 1-based index it came from.
    ///   - addedTokens: matched literally; their ids need not be in `vocabulary`.
    ///   - roles: special tokens by role; `pad` falls back to `eos`, then to `unk`.
    ///   - unknownToken: `model.unk_token`; characters outside the vocabulary are dropped without it.
    ///   - source: the file (or "GGUF metadata") named in errors.
    ///   - mergesSource: the file the merges came from, when not `source` (merges.txt).
    /// - Throws: `TokenizerError.emptyVocabulary`, `.missingMerges`, `.mergeNotInVocabulary`,
    ///   `.badVocabularyID`, `.missingSpecialToken` (no token to pad with).
    public init(
        vocabulary: [String: Int],
        merges: [(left: String, right: String, line: Int)],
        addedTokens: [AddedToken],
        splitPattern: SplitPattern?,
        addPrefixSpace: Bool = false,
        normalizesNFC: Bool = false,
        template: PostTemplate = .plain,
        roles: [SpecialTokenRole: SpecialToken] = [:],
        ignoreMerges: Bool = false,
        unknownToken: String? = nil,
        source: String,
        mergesSource: String? = nil
    ) throws {
        guard !vocabulary.isEmpty else { throw TokenizerError.emptyVocabulary(file: source) }
        guard !merges.isEmpty else { throw TokenizerError.missingMerges(file: mergesSource ?? source) }
        let maximumID = 1 << 24
        var largest = 0
        for (token, id) in vocabulary {
            guard id >= 0, id < maximumID else { throw TokenizerError.badVocabularyID(file: source, token: token, id: id) }
            largest = max(largest, id)
        }
        for added in addedTokens {
            guard added.id >= 0, added.id < maximumID else {
                throw TokenizerError.badVocabularyID(file: source, token: added.content, id: added.id)
            }
            largest = max(largest, added.id)
        }
        var tokensByID = [String?](repeating: nil, count: largest + 1)
        for (token, id) in vocabulary where tokensByID[id] == nil { tokensByID[id] = token }
        for added in addedTokens { tokensByID[added.id] = added.content }

        let ranks = try MergeRanks(pairs: merges, id: { vocabulary[$0] }, source: mergesSource ?? source)
        var roles = roles
        if roles[.pad] == nil { roles[.pad] = roles[.eos] ?? roles[.unk] }
        guard let pad = roles[.pad] else { throw TokenizerError.missingSpecialToken(token: "pad/eos", file: source) }

        self.vocabulary = vocabulary
        self.tokensByID = tokensByID
        self.merger = BytePairMerger(ranks: ranks, vocabulary: vocabulary, ignoreMerges: ignoreMerges,
                                     unknownID: unknownToken.flatMap { vocabulary[$0] })
        self.splitter = AddedTokenSplitter(tokens: addedTokens)
        self.specialAddedIDs = Set(addedTokens.filter(\.special).map(\.id))
        self.addedTokens = addedTokens
        self.splitPattern = splitPattern
        self.addPrefixSpace = addPrefixSpace
        self.normalizesNFC = normalizesNFC
        self.template = template
        self.specialTokenRoles = roles
        self.padToken = (pad.token, pad.id)
    }

    /// Number of ids, added tokens included (the model's vocabulary size at least this).
    public var vocabularySize: Int { tokensByID.count }

    /// The number of merges.
    public var mergeCount: Int { merger.ranks.count }

    /// The id of a token spelled exactly as in the vocabulary (`Ġjumps`) or an added token.
    public func id(for token: String) -> Int? {
        vocabulary[token] ?? addedTokens.first(where: { $0.content == token })?.id
    }

    /// The vocabulary spelling of an id, or nil for an id with no token.
    public func token(for id: Int) -> String? {
        id >= 0 && id < tokensByID.count ? tokensByID[id] : nil
    }

    /// Tokenizes `text` (and `pair`) and adds the template's special tokens.
    /// - Throws: `TokenizerError.emptyText` when the text or the pair is empty.
    public func encode(_ text: String, pair: String? = nil) throws -> Encoding {
        var encoding = Encoding(tokens: [], ids: [], typeIDs: [], wordIndices: [], isSpecial: [], isPadding: [], texts: [])
        var nextWord = 0
        for piece in pair == nil ? template.single : template.pair {
            switch piece {
            case .first(let typeID):
                nextWord = try append(text, which: "text", typeID: typeID, firstWord: nextWord, to: &encoding)
            case .second(let typeID):
                nextWord = try append(pair ?? "", which: "pair", typeID: typeID, firstWord: nextWord, to: &encoding)
            case .special(let tokens, let typeID):
                for special in tokens {
                    append(id: special.id, token: special.token, typeID: typeID, word: nil, special: true, to: &encoding)
                }
            }
        }
        return encoding
    }

    /// The text of `ids` as transformers' `decode(ids, skip_special_tokens=False)` gives it:
    /// the bytes of all tokens joined, invalid UTF-8 replaced by U+FFFD. Unknown ids are skipped.
    public func decode(_ ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            guard let token = token(for: id) else { continue }
            bytes += ByteLevelAlphabet.decodedBytes(of: token)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of one token (` jumps` for `Ġjumps`), as `decode([id])`.
    public func text(of token: String) -> String {
        String(decoding: ByteLevelAlphabet.decodedBytes(of: token), as: UTF8.self)
    }

    /// A token as a person reads it: spaces as `␣`, newline `⏎`, tab `⇥`, carriage return `␍`,
    /// other control bytes and bytes that are not valid UTF-8 on their own as `<0xE6>`.
    /// Added tokens (`<|im_start|>`) and spellings outside the byte alphabet are shown as they are.
    public func displayForm(of token: String) -> String {
        guard !addedTokens.contains(where: { $0.content == token }),
              let bytes = ByteLevelAlphabet.bytes(of: token) else { return token }
        return Self.visibleText(of: bytes)
    }

    /// `bytes` decoded as UTF-8 with whitespace, controls and invalid bytes made visible.
    static func visibleText(of bytes: [UInt8]) -> String {
        var result = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        func hex(_ byte: UInt8) -> String {
            let digits = Array("0123456789ABCDEF")
            return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])>"
        }
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                switch scalar {
                case " ": result += "␣"
                case "\n": result += "⏎"
                case "\t": result += "⇥"
                case "\r": result += "␍"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        result += hex(UInt8(scalar.value))
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
                offset += encoded.count
            case .error(let length):
                for index in offset..<min(offset + length, bytes.count) { result += hex(bytes[index]) }
                offset += length
            case .emptyInput:
                return result
            }
        }
    }

    // MARK: - Encoding one text

    private func append(_ text: String, which: String, typeID: Int, firstWord: Int, to encoding: inout Encoding) throws -> Int {
        let countBefore = encoding.count
        var word = firstWord
        let scalars = Array(text.unicodeScalars)
        for segment in splitter.segments(of: scalars) {
            switch segment {
            case .token(let added):
                let isSpecial = specialAddedIDs.contains(added.id)
                append(id: added.id, token: added.content, typeID: typeID, word: isSpecial ? nil : word, special: isSpecial, to: &encoding)
                if !isSpecial { word += 1 }
            case .text(let range):
                var run = scalars[range]
                if normalizesNFC {
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: run)
                    run = ArraySlice(String(view).precomposedStringWithCanonicalMapping.unicodeScalars)
                }
                if addPrefixSpace, run.first != " " { run = ArraySlice([" "] + Array(run)) }
                let pieces = splitPattern?.pieces(of: run) ?? [run.startIndex..<run.endIndex]
                for piece in pieces {
                    var bytes: [UInt8] = []
                    for scalar in run[piece] { UTF8.encode(scalar) { bytes.append($0) } }
                    for id in merger.ids(of: ByteLevelAlphabet.spell(bytes)) {
                        append(id: id, token: token(for: id) ?? "", typeID: typeID, word: word, special: false, to: &encoding)
                    }
                    word += 1
                }
            }
        }
        guard encoding.count > countBefore else { throw TokenizerError.emptyText(which: which) }
        return word
    }

    private func append(id: Int, token: String, typeID: Int, word: Int?, special: Bool, to encoding: inout Encoding) {
        encoding.tokens.append(token)
        encoding.ids.append(id)
        encoding.typeIDs.append(typeID)
        encoding.wordIndices.append(word)
        encoding.isSpecial.append(special)
        encoding.isPadding.append(false)
        encoding.texts.append(text(of: token))
    }
}
