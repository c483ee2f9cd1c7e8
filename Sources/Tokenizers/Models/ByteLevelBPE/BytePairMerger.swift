import Foundation

/// Turns one pre-tokenized word (already spelled in the byte alphabet) into vocabulary ids by
/// applying merges lowest rank first, leftmost first among equal ranks — the order of
/// `tokenizers`' BPE, whose priority queue pops (rank, position). Results are cached per word,
/// since text repeats words and the cache makes a 2,000-character text cost a few lookups.
struct BytePairMerger: Sendable {
    let ranks: MergeRanks
    /// The id of each single alphabet character, indexed by its scalar value (the alphabet ends
    /// at U+0143); -1 where the vocabulary lacks that character.
    private let characterIDs: [Int32]
    /// Ids of whole words, used when `ignoreMerges` is set (Llama 3): a word in the vocabulary
    /// is one token even if the merges would not build it.
    private let vocabulary: [String: Int]
    /// `tokenizers`' `ignore_merges`.
    let ignoreMerges: Bool
    /// Id for a character the vocabulary lacks; nil drops it, as `tokenizers` does without an
    /// unknown token.
    let unknownID: Int?
    private let cache = WordCache()

    init(ranks: MergeRanks, vocabulary: [String: Int], ignoreMerges: Bool, unknownID: Int?) {
        self.ranks = ranks
        self.vocabulary = vocabulary
        self.ignoreMerges = ignoreMerges
        self.unknownID = unknownID
        var ids = [Int32](repeating: -1, count: 0x144)
        for scalar in ByteLevelAlphabet.characterForByte {
            if let id = vocabulary[String(Character(scalar))] { ids[Int(scalar.value)] = Int32(clamping: id) }
        }
        characterIDs = ids
    }

    /// The ids of `word`, a string in the byte alphabet.
    func ids(of word: String) -> [Int] {
        if let cached = cache[word] { return cached }
        let result = merge(word)
        cache[word] = result
        return result
    }

    private func merge(_ word: String) -> [Int] {
        if ignoreMerges, let id = vocabulary[word] { return [id] }
        var symbols: [Int32] = []
        symbols.reserveCapacity(word.unicodeScalars.count)
        for scalar in word.unicodeScalars {
            let value = Int(scalar.value)
            if value < characterIDs.count, characterIDs[value] >= 0 {
                symbols.append(characterIDs[value])
            } else if let id = vocabulary[String(Character(scalar))] {
                symbols.append(Int32(clamping: id))
            } else if let unknownID {
                symbols.append(Int32(clamping: unknownID))
            }
        }
        while symbols.count > 1 {
            var best: (rank: Int32, position: Int, merged: Int32)?
            for position in 0..<(symbols.count - 1) {
                guard let merge = ranks.merge(symbols[position], symbols[position + 1]) else { continue }
                if let current = best, current.rank <= merge.rank { continue }
                best = (merge.rank, position, merge.merged)
            }
            guard let chosen = best else { break }
            symbols[chosen.position] = chosen.merged
            symbols.remove(at: chosen.position + 1)
        }
        return symbols.map(Int.init)
    }
}

/// A bounded, thread-safe word → ids cache. Cleared when full (`tokenizers` stops adding at
/// 10,000 words; clearing keeps the memory bound and the common words come back at once).
final class WordCache: @unchecked Sendable {
    private var entries: [String: [Int]] = [:]
    private let lock = NSLock()
    private let capacity = 10_000

    subscript(word: String) -> [Int]? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return entries[word]
        }
        set {
            guard word.utf8.count <= 256 else { return }
            lock.lock()
            defer { lock.unlock() }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[word] = newValue
        }
    }
}
