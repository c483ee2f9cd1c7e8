import Tokenizers

/// The built-in model's tokenizer: lower-cased words and punctuation marks between `[CLS]`
/// and `[SEP]`. Special tokens written literally (`[MASK]`, `[SEP]`, …) stay whole.
///
/// Ids are stable per word (a hash into 1,000 … 29,999, BERT's special ids below that), so
/// the same word always shows the same id; the built-in model reads the token text itself.
public struct BuiltinTokenizer: TextTokenizer {
    public static let specialTokens: [String: Int] = ["[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103]

    public init() {}

    public var padToken: (token: String, id: Int) { ("[PAD]", 0) }

    /// BERT's spellings and ids, which the built-in tokenizer keeps so its inputs read like BERT's.
    public var specialTokenRoles: [SpecialTokenRole: SpecialToken] {
        let roles: [(SpecialTokenRole, String)] = [(.pad, "[PAD]"), (.unk, "[UNK]"), (.cls, "[CLS]"), (.sep, "[SEP]"), (.mask, "[MASK]")]
        var named: [SpecialTokenRole: SpecialToken] = [:]
        for (role, token) in roles { named[role] = SpecialToken(token: token, id: Self.specialTokens[token] ?? 0) }
        return named
    }

    /// Special tokens only: a word's id is a one-way hash of its text (the model reads the text).
    public func token(for id: Int) -> String? {
        Self.specialTokens.first { $0.value == id }?.key
    }

    /// Special tokens by name and every other id as `[id N]`, space-separated: word ids are
    /// one-way hashes, so the built-in tokenizer cannot spell them back.
    public func decode(_ ids: [Int]) -> String {
        ids.map { token(for: $0) ?? "[id \($0)]" }.joined(separator: " ")
    }

    public func encode(_ text: String, pair: String?) throws -> Encoding {
        var tokens = ["[CLS]"], types = [0], words: [Int?] = [nil], special = [true]
        var wordIndex = 0
        for (segment, part) in [text, pair].enumerated() {
            guard let part else { continue }
            let pieces = Self.split(part)
            guard !pieces.isEmpty else { throw BuiltinTokenizerError.emptyText(segment == 0 ? "text" : "pair") }
            for piece in pieces {
                tokens.append(piece.token)
                types.append(segment)
                let isSpecial = Self.specialTokens[piece.token] != nil
                special.append(isSpecial)
                words.append(isSpecial ? nil : wordIndex + piece.word)
            }
            wordIndex += (pieces.map(\.word).max() ?? 0) + 1
            tokens.append("[SEP]"); types.append(segment); words.append(nil); special.append(true)
        }
        return Encoding(tokens: tokens, ids: tokens.map(Self.id(for:)), typeIDs: types, wordIndices: words,
                        isSpecial: special, isPadding: Array(repeating: false, count: tokens.count))
    }

    /// The id shown for a token: BERT's ids for special tokens, a stable hash for words.
    public static func id(for token: String) -> Int {
        if let id = specialTokens[token] { return id }
        return 1000 + Int(StableHash.fnv1a(token) % 29_000)
    }

    /// Splits on whitespace, then separates each punctuation mark, symbol and CJK ideograph.
    /// Returns each token with the index of the whitespace-separated word it came from.
    static func split(_ text: String) -> [(token: String, word: Int)] {
        var result: [(String, Int)] = []
        var word = -1
        for chunk in text.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy(\.properties.isDefaultIgnorableCodePoint) }) {
            word += 1
            if specialTokens[String(chunk)] != nil {
                result.append((String(chunk), word))
                continue
            }
            var current = ""
            for character in chunk.lowercased() {
                if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
                    continue
                }
                if character.isPunctuation || character.isSymbol || character.isCJKIdeograph {
                    if !current.isEmpty { result.append((current, word)); current = "" }
                    result.append((String(character), word))
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { result.append((current, word)) }
        }
        return result
    }
}

/// The built-in tokenizer found nothing to tokenize.
public enum BuiltinTokenizerError: Error, CustomStringConvertible, Equatable {
    case emptyText(String)

    public var description: String {
        switch self {
        case .emptyText(let which):
            return "the \(which) is empty: it holds no words or punctuation to tokenize"
        }
    }
}

extension Character {
    /// An ideograph that BERT (and so the built-in tokenizer) makes a token of its own.
    var isCJKIdeograph: Bool { unicodeScalars.first.map(BertCharacterClasses.isCJKIdeograph) ?? false }
}

/// A hash that is the same in every run and on every machine (Swift's `Hasher` is seeded
/// per process), for ids and designed word vectors.
enum StableHash {
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}
