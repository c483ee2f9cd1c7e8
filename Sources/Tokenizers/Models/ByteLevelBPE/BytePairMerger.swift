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
        return Self.applyMerges(to: symbols, ranks: ranks)
    }

    /// Merges `symbols` lowest rank first, leftmost first among equal ranks, in O(n log n):
    /// symbols form a linked list over their original positions and candidate pairs wait in a
    /// min-heap keyed by (rank, position), as in `tokenizers`' `Word::merge_all`. A popped pair
    /// whose symbols changed since it was pushed is stale and skipped.
    static func applyMerges(to symbols: [Int32], ranks: MergeRanks) -> [Int] {
        guard symbols.count > 1 else { return symbols.map(Int.init) }
        var ids = symbols
        var next = Array(1...symbols.count)      // symbols.count means "no next"
        var previous = Array(-1..<(symbols.count - 1))
        var heap = PairHeap()
        for position in 0..<(ids.count - 1) {
            if let merge = ranks.merge(ids[position], ids[position + 1]) {
                heap.push(.init(rank: merge.rank, position: Int32(position), left: ids[position], right: ids[position + 1], merged: merge.merged))
            }
        }
        while let candidate = heap.pop() {
            let position = Int(candidate.position)
            let right = next[position]
            guard ids[position] == candidate.left, right < ids.count, ids[right] == candidate.right else { continue }
            ids[position] = candidate.merged
            ids[right] = -1
            next[position] = next[right]
            if next[right] < ids.count { previous[next[right]] = position }
            if previous[position] >= 0, let merge = ranks.merge(ids[previous[position]], candidate.merged) {
                heap.push(.init(rank: merge.rank, position: Int32(previous[position]), left: ids[previous[position]], right: candidate.merged, merged: merge.merged))
            }
            if next[position] < ids.count, let merge = ranks.merge(candidate.merged, ids[next[position]]) {
                heap.push(.init(rank: merge.rank, position: Int32(position), left: candidate.merged, right: ids[next[position]], merged: merge.merged))
            }
        }
        var result: [Int] = []
        var position = 0
        while position < ids.count {
            result.append(Int(ids[position]))
            position = next[position]
        }
        return result
    }
}
