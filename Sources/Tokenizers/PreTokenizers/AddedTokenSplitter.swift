/// A token matched whole in raw text before any splitting or merging (`<|im_start|>`, `<mask>`),
/// with `tokenizers`' AddedToken options.
public struct AddedToken: Equatable, Sendable {
    public var content: String
    public var id: Int
    /// Special tokens are control tokens (`<|im_end|>`); plain added tokens are user-defined words.
    public var special: Bool
    /// Swallows the whitespace just before the token (RoBERTa's `<mask>`).
    public var lstrip: Bool
    /// Swallows the whitespace just after the token.
    public var rstrip: Bool
    /// Matches only when not inside a word.
    public var singleWord: Bool

    public init(content: String, id: Int, special: Bool, lstrip: Bool = false, rstrip: Bool = false, singleWord: Bool = false) {
        self.content = content
        self.id = id
        self.special = special
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }
}

/// Cuts raw text (as Unicode scalars) into plain runs and added tokens, taking the leftmost and
/// then longest match as `tokenizers`' added vocabulary does (Aho–Corasick, LeftmostLongest).
struct AddedTokenSplitter: Sendable {
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(AddedToken)
    }

    /// Tokens grouped by their first scalar, longest first within a group.
    private let byFirstScalar: [UInt32: [(scalars: [Unicode.Scalar], token: AddedToken)]]

    init(tokens: [AddedToken]) {
        var groups: [UInt32: [(scalars: [Unicode.Scalar], token: AddedToken)]] = [:]
        for token in tokens {
            let scalars = Array(token.content.unicodeScalars)
            guard let first = scalars.first else { continue }
            groups[first.value, default: []].append((scalars, token))
        }
        byFirstScalar = groups.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    var isEmpty: Bool { byFirstScalar.isEmpty }

    func segments(of s: [Unicode.Scalar]) -> [Segment] {
        guard !byFirstScalar.isEmpty else { return s.isEmpty ? [] : [.text(0..<s.count)] }
        var segments: [Segment] = []
        var plainStart = 0
        var position = 0
        while position < s.count {
            guard let candidates = byFirstScalar[s[position].value],
                  let match = candidates.first(where: { matches($0.scalars, $0.token, in: s, at: position) }) else {
                position += 1
                continue
            }
            var start = position
            var end = position + match.scalars.count
            if match.token.lstrip {
                while start > plainStart, s[start - 1].properties.isWhitespace { start -= 1 }
            }
            if match.token.rstrip {
                while end < s.count, s[end].properties.isWhitespace { end += 1 }
            }
            if plainStart < start { segments.append(.text(plainStart..<start)) }
            segments.append(.token(match.token))
            position = end
            plainStart = end
        }
        if plainStart < s.count { segments.append(.text(plainStart..<s.count)) }
        return segments
    }

    private func matches(_ scalars: [Unicode.Scalar], _ token: AddedToken, in s: [Unicode.Scalar], at start: Int) -> Bool {
        guard start + scalars.count <= s.count else { return false }
        for (offset, scalar) in scalars.enumerated() where s[start + offset] != scalar { return false }
        if token.singleWord {
            let end = start + scalars.count
            if start > 0, Self.isWordCharacter(s[start - 1]) { return false }
            if end < s.count, Self.isWordCharacter(s[end]) { return false }
        }
        return true
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
