/// Finds special tokens written literally in raw text (`[MASK]`, `[SEP]`…), before any
/// normalization, case-sensitively and anywhere (also inside a word: `a[MASK]b`), taking
/// the leftmost and then longest match as `tokenizers`' added-vocabulary matcher does.
struct SpecialTokenSplitter: Sendable {
    /// One piece of the raw text: plain text to normalize, or a special token's id.
    enum Segment: Equatable {
        case text(Substring)
        case special(token: String, id: Int)
    }

    private let specials: [(bytes: [UInt8], token: String, id: Int)]

    init(specialTokens: [(token: String, id: Int)]) {
        specials = specialTokens
            .filter { !$0.token.isEmpty }
            .map { (bytes: Array($0.token.utf8), token: $0.token, id: $0.id) }
            .sorted { $0.bytes.count > $1.bytes.count }
    }

    func segments(of text: String) -> [Segment] {
        guard !specials.isEmpty else { return [.text(text[...])] }
        let utf8 = text.utf8
        var segments: [Segment] = []
        var plainStart = utf8.startIndex
        var position = utf8.startIndex
        while position < utf8.endIndex {
            let byte = utf8[position]
            var matched: (end: String.Index, token: String, id: Int)?
            for special in specials where special.bytes[0] == byte {
                if let end = Self.match(special.bytes, in: utf8, at: position) {
                    matched = (end, special.token, special.id)
                    break
                }
            }
            if let match = matched {
                if plainStart < position { segments.append(.text(text[plainStart..<position])) }
                segments.append(.special(token: match.token, id: match.id))
                position = match.end
                plainStart = position
            } else {
                position = utf8.index(after: position)
            }
        }
        if plainStart < utf8.endIndex { segments.append(.text(text[plainStart..<utf8.endIndex])) }
        return segments
    }

    private static func match(_ bytes: [UInt8], in utf8: String.UTF8View, at start: String.Index) -> String.Index? {
        var index = start
        for byte in bytes {
            guard index < utf8.endIndex, utf8[index] == byte else { return nil }
            index = utf8.index(after: index)
        }
        return index
    }
}
