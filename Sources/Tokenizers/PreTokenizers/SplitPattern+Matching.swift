/// The split regexes as hand-written matchers: at each position the first alternative that
/// matches wins, and its greedy extent (with the backtracking `\s+(?!\S)` and `\s*[\r\n]+`
/// need) is the piece. Every character is covered by some alternative, so the pieces tile the
/// text, as `Split(behavior: isolated)` and `findall` both produce.
extension SplitPattern {
    /// The pieces of `scalars` as index ranges, in order, covering all of it.
    func pieces(of scalars: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        let classes = scalars.map(SplitCharacterClass.init)
        let text = Array(scalars)
        var pieces: [Range<Int>] = []
        var start = 0
        while start < text.count {
            let end: Int
            switch self {
            case .gpt2: end = Self.gpt2Match(text, classes, at: start)
            case .llama3: end = Self.llama3Match(text, classes, at: start, maximumDigits: 3)
            case .qwen2: end = Self.llama3Match(text, classes, at: start, maximumDigits: 1)
            }
            let safeEnd = max(end, start + 1)
            pieces.append((scalars.startIndex + start)..<(scalars.startIndex + safeEnd))
            start = safeEnd
        }
        return pieces
    }

    /// Pieces of a whole string, as strings (for tests and tools).
    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return pieces(of: scalars[...]).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    private static func gpt2Match(_ s: [Unicode.Scalar], _ c: [SplitCharacterClass], at i: Int) -> Int {
        let n = s.count
        if s[i] == "'", let end = contraction(s, at: i, ignoringCase: false) { return end }
        let spaceFirst = s[i] == " " && i + 1 < n
        for wanted in [SplitCharacterClass.letter, .number, .other] {
            if c[i] == wanted { return run(of: wanted, c, from: i) }
            if spaceFirst && c[i + 1] == wanted { return run(of: wanted, c, from: i + 1) }
        }
        return whitespaceMatch(c, at: i)
    }

    private static func llama3Match(_ s: [Unicode.Scalar], _ c: [SplitCharacterClass], at i: Int, maximumDigits: Int) -> Int {
        let n = s.count
        if s[i] == "'", let end = contraction(s, at: i, ignoringCase: true) { return end }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if c[i] == .letter { return run(of: .letter, c, from: i) }
        if c[i] != .number, !isLineBreak(s[i]), i + 1 < n, c[i + 1] == .letter { return run(of: .letter, c, from: i + 1) }
        // \p{N}{1,3}
        if c[i] == .number {
            var end = i + 1
            while end < n, end - i < maximumDigits, c[end] == .number { end += 1 }
            return end
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        let otherStart = (s[i] == " " && i + 1 < n && c[i + 1] == .other) ? i + 1 : i
        if c[otherStart] == .other {
            var end = run(of: .other, c, from: otherStart)
            while end < n, isLineBreak(s[end]) { end += 1 }
            return end
        }
        // \s*[\r\n]+ : up to and including the last line break of the whitespace run
        let runEnd = run(of: .whitespace, c, from: i)
        if let lastBreak = (i..<runEnd).last(where: { isLineBreak(s[$0]) }) { return lastBreak + 1 }
        return whitespaceMatch(c, at: i)
    }

    /// `\s+(?!\S)|\s+` at a whitespace character: the run, less its last character when a
    /// non-space follows and the run is longer than one (that space goes with the next word).
    private static func whitespaceMatch(_ c: [SplitCharacterClass], at i: Int) -> Int {
        let runEnd = run(of: .whitespace, c, from: i)
        if runEnd == c.count || runEnd - i == 1 { return runEnd }
        return runEnd - 1
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` at an apostrophe, optionally case-insensitive.
    private static func contraction(_ s: [Unicode.Scalar], at i: Int, ignoringCase: Bool) -> Int? {
        func lower(_ k: Int) -> Unicode.Scalar? {
            guard k < s.count else { return nil }
            let scalar = s[k]
            guard ignoringCase, (0x41...0x5A).contains(scalar.value) else { return scalar }
            return Unicode.Scalar(scalar.value + 0x20)
        }
        switch lower(i + 1) {
        case "s", "t", "m", "d": return i + 2
        case "r": return lower(i + 2) == "e" ? i + 3 : nil
        case "v": return lower(i + 2) == "e" ? i + 3 : nil
        case "l": return lower(i + 2) == "l" ? i + 3 : nil
        default: return nil
        }
    }

    private static func run(of wanted: SplitCharacterClass, _ c: [SplitCharacterClass], from start: Int) -> Int {
        var end = start
        while end < c.count, c[end] == wanted { end += 1 }
        return end
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r"
    }
}
