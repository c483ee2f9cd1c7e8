import Foundation

/// BERT's pre-tokenizer: words are runs between whitespace, and every punctuation
/// character is a word by itself.
enum BertPreTokenizer {
    /// The words of already-normalized text, as index ranges into `scalars`.
    static func wordRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var start: Int?
        for (index, scalar) in scalars.enumerated() {
            if BertCharacterClasses.isWhitespace(scalar) {
                if let open = start { words.append(open..<index) }
                start = nil
            } else if BertCharacterClasses.isPunctuation(scalar) {
                if let open = start { words.append(open..<index) }
                words.append(index..<(index + 1))
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let open = start { words.append(open..<scalars.count) }
        return words
    }
}
