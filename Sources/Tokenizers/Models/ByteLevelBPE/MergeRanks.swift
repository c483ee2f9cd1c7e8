/// The merge table of a BPE vocabulary: for a pair of adjacent token ids, the rank of the merge
/// (lower merges first) and the id of the token it makes. Keyed by the two ids packed into one
/// 64-bit integer, so a lookup hashes a number instead of two strings.
struct MergeRanks: Sendable {
    struct Merge: Sendable {
        let rank: Int32
        let merged: Int32
    }

    private let table: [UInt64: Merge]

    var count: Int { table.count }

    /// Builds from merges in file order (rank = position). A repeated pair keeps its last rank,
    /// as `tokenizers` collects them into a map.
    /// - Parameters:
    ///   - pairs: the two spellings of each merge, in rank order, with the line (or array index,
    ///     1-based) it came from for error messages.
    ///   - id: the vocabulary lookup.
    /// - Throws: `TokenizerError.mergeNotInVocabulary` when a side or the merged token is not in
    ///   the vocabulary (the file and its merges do not belong together).
    init(pairs: [(left: String, right: String, line: Int)], id: (String) -> Int?, source: String) throws {
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(pairs.count)
        for (rank, pair) in pairs.enumerated() {
            guard let left = id(pair.left) else {
                throw TokenizerError.mergeNotInVocabulary(file: source, line: pair.line, token: pair.left)
            }
            guard let right = id(pair.right) else {
                throw TokenizerError.mergeNotInVocabulary(file: source, line: pair.line, token: pair.right)
            }
            let joined = pair.left + pair.right
            guard let merged = id(joined) else {
                throw TokenizerError.mergeNotInVocabulary(file: source, line: pair.line, token: joined)
            }
            table[Self.key(left, right)] = Merge(rank: Int32(clamping: rank), merged: Int32(clamping: merged))
        }
        self.table = table
    }

    /// The merge of `left` followed by `right`, if the vocabulary has one.
    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        table[Self.key(Int(left), Int(right))]
    }

    @inline(__always)
    private static func key(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }
}
