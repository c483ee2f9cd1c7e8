/// A WordPiece vocabulary: token strings by id, and exact (byte-for-byte, not
/// canonical-equivalence) lookup of word-initial and `##`-continuation pieces.
struct WordPieceVocabulary: Sendable {
    /// Token spelling for each id; ids a tokenizer.json skips hold an empty string.
    let tokensByID: [String]
    /// Every token, keyed by its UTF-8 bytes.
    private let idsByBytes: [PieceKey: Int]
    /// Tokens that start with the continuation prefix, keyed by the bytes after it.
    private let continuationIDs: [PieceKey: Int]
    /// Longest key in either table, in bytes: no longer piece can match.
    private let longestPiece: Int
    let continuationPrefix: String

    /// Builds from (token, id) entries in file order; a repeated token keeps its last id,
    /// as `tokenizers` does when it reads vocab.txt.
    init(entries: [(token: String, id: Int)], continuationPrefix: String) {
        let prefixBytes = Array(continuationPrefix.utf8)
        var byBytes: [PieceKey: Int] = [:]
        var continuations: [PieceKey: Int] = [:]
        byBytes.reserveCapacity(entries.count)
        var longest = 0
        var maxID = -1
        for (token, id) in entries {
            let bytes = Array(token.utf8)
            byBytes[PieceKey(bytes)] = id
            longest = max(longest, bytes.count)
            if !prefixBytes.isEmpty, bytes.count > prefixBytes.count, bytes.starts(with: prefixBytes) {
                continuations[PieceKey(Array(bytes[prefixBytes.count...]))] = id
            }
            maxID = max(maxID, id)
        }
        var tokens = Array(repeating: "", count: maxID + 1)
        for (token, id) in entries where id >= 0 {
            tokens[id] = token
        }
        // A token repeated with different ids: only the last id maps back to it.
        for (token, id) in entries where id >= 0 && byBytes[PieceKey(Array(token.utf8))] != id && tokens[id] == token {
            tokens[id] = ""
        }
        tokensByID = tokens
        idsByBytes = byBytes
        continuationIDs = prefixBytes.isEmpty ? byBytes : continuations
        longestPiece = longest
        self.continuationPrefix = continuationPrefix
    }

    var count: Int { idsByBytes.count }

    func id(for token: String) -> Int? { idsByBytes[PieceKey(Array(token.utf8))] }

    func token(for id: Int) -> String? {
        guard id >= 0, id < tokensByID.count, !tokensByID[id].isEmpty else { return nil }
        return tokensByID[id]
    }

    /// Greedy longest-match-first split of one word into vocabulary ids, or nil when some
    /// part of the word matches no piece (the caller then emits `[UNK]` for the whole word).
    func pieces(of word: ArraySlice<Unicode.Scalar>) -> [Int]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.count * 2)
        var boundaries: [Int] = [0]
        boundaries.reserveCapacity(word.count + 1)
        for scalar in word {
            UTF8.encode(scalar) { bytes.append($0) }
            boundaries.append(bytes.count)
        }
        var ids: [Int] = []
        var start = 0
        while start < boundaries.count - 1 {
            var end = boundaries.count - 1
            var found: Int?
            while end > start {
                let length = boundaries[end] - boundaries[start]
                if length <= longestPiece {
                    let key = PieceKey(Array(bytes[boundaries[start]..<boundaries[end]]))
                    found = start == 0 ? idsByBytes[key] : continuationIDs[key]
                    if found != nil { break }
                }
                end -= 1
            }
            guard let id = found else { return nil }
            ids.append(id)
            start = end
        }
        return ids
    }
}

/// A token's UTF-8 bytes as a dictionary key: exact byte equality (Swift's `String`
/// equality would merge canonically equivalent spellings that BERT keeps apart), hashed
/// in one pass over the bytes.
struct PieceKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
