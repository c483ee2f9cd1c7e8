import Tokenizers

/// A query × key pattern of mask values: the 2-D shapes a teacher demonstrates (causal
/// decoding, prefix-LM, sliding windows, packed documents, padding, global tokens).
///
/// **Combine rule.** A cell's mask value is the pattern's value for (query, key) times the
/// key's per-token mask value; the `MaskSemantics` then turns that cell value into a logit
/// bias. See `combine(pattern:keyMask:semantics:)` for the one exception (`bias` semantics).
///
/// Written as `NAME[:ARGS]` (see `init(parsing:)`); `description` gives that text back.
public indirect enum MaskPattern: Equatable, Sendable, CustomStringConvertible {
    /// Every cell 1: only the per-token mask acts.
    case none
    /// The last `count` tokens get 0 as keys, as if they were `[PAD]`.
    case padding(count: Int)
    /// A query sees itself and earlier keys (key ≤ query), as in a decoder.
    case causal
    /// The first `length` tokens see each other both ways; the rest are causal
    /// (cell 1 if key < length or key ≤ query), as in a prefix-LM (T5, UniLM).
    case prefix(length: Int)
    /// A query sees keys at most `radius` positions away (|query − key| ≤ radius), as in
    /// Longformer's local attention.
    case window(radius: Int)
    /// Block-diagonal documents packed in one sequence: a token sees only its own document.
    /// `starts` nil splits after each document separator, the tokenizer's separator role
    /// (`[SEP]` for BERT) or else its end-of-sequence token (a separator ends its document); otherwise the
    /// documents begin at those positions (position 0 always begins one).
    case block(starts: [Int]?)
    /// The tokens at `positions` see every key and are seen by every query; every other cell
    /// follows `base`, as in Longformer's global attention.
    case global(positions: [Int], base: MaskPattern)
    /// The blog post's mask as key values: `quick` 1, `jumps` 0.5, `lazy` and every later
    /// token 0, found by token text (first occurrence), every other key 1.
    case seed

    /// The pattern's keyword, e.g. `"window"`.
    public var name: String {
        switch self {
        case .none: return "none"
        case .padding: return "padding"
        case .causal: return "causal"
        case .prefix: return "prefix"
        case .window: return "window"
        case .block: return "block"
        case .global: return "global"
        case .seed: return "seed"
        }
    }

    /// The parse syntax that gives this pattern back, e.g. `"global:0,5+window:2"`.
    public var description: String {
        func list(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }
        switch self {
        case .none, .causal, .seed, .block(starts: nil): return name
        case .padding(let count): return "padding:\(count)"
        case .prefix(let length): return "prefix:\(length)"
        case .window(let radius): return "window:\(radius)"
        case .block(let starts?): return "block:\(list(starts))"
        case let .global(positions, base):
            return "global:\(list(positions))" + (base == .none ? "" : "+\(base.description)")
        }
    }

    /// One line for help screens and the pattern picker, naming no tokenizer's separator.
    public var summary: String { summary(documentSeparator: nil) }

    /// One line for the pattern picker and the status message, with `block`'s separator named
    /// as the model's tokenizer spells it (`[SEP]`, `</s>`, `<|endoftext|>`); nil says "separator".
    public func summary(documentSeparator: String?) -> String {
        switch self {
        case .none: return "no pattern: only the per-token mask acts"
        case .padding(let count): return "the last \(count) tokens are masked as keys, like [PAD]"
        case .causal: return "each query sees itself and earlier keys (key ≤ query), as in a decoder"
        case .prefix(let length): return "the first \(length) tokens see each other; later tokens see the prefix and earlier keys (prefix-LM)"
        case .window(let radius): return "each query sees keys at most \(radius) positions away (sliding window)"
        case .block(nil):
            let end = documentSeparator.map { "each \($0)" } ?? "each separator token ([SEP] or end-of-sequence)"
            return "packed documents: a token sees only its own document; a document ends at \(end)"
        case .block(let starts?): return "packed documents starting at positions \(starts.map(String.init).joined(separator: ", ")); a token sees only its own"
        case let .global(positions, base):
            let others = base == .none ? "all other cells are open" : "the other cells follow \(base.description)"
            return "positions \(positions.map(String.init).joined(separator: ", ")) see and are seen by every token; \(others)"
        case .seed: return "the blog post's mask: quick=1, jumps=0.5, lazy and later=0 (by token position)"
        }
    }

    /// One entry of `catalog`: what a pattern picker lists.
    public struct CatalogEntry: Equatable, Sendable {
        /// The keyword, e.g. `"prefix"`.
        public let name: String
        /// A complete example that parses, e.g. `"prefix:4"`.
        public let example: String
        /// The general form, e.g. `"prefix:N"`.
        public let syntax: String
        /// One line on what it shows.
        public let summary: String
    }

    /// Every pattern kind, in teaching order, with a parseable example.
    public static var catalog: [CatalogEntry] { catalog(documentSeparator: nil) }

    /// `catalog` with `block`'s separator named as the model's tokenizer spells it.
    public static func catalog(documentSeparator: String?) -> [CatalogEntry] {
        let separator = documentSeparator ?? "separator"
        return [
            .init(name: "none", example: "none", syntax: "none", summary: "no pattern: only the per-token mask acts"),
            .init(name: "padding", example: "padding:2", syntax: "padding:K", summary: "the last K tokens are masked as keys, like [PAD]"),
            .init(name: "causal", example: "causal", syntax: "causal", summary: "each query sees itself and earlier keys (decoder)"),
            .init(name: "prefix", example: "prefix:4", syntax: "prefix:N", summary: "first N tokens bidirectional, the rest causal (prefix-LM)"),
            .init(name: "window", example: "window:2", syntax: "window:W", summary: "keys at most W positions away (sliding window)"),
            .init(name: "block", example: "block", syntax: "block or block:P1,P2,…", summary: "packed documents: split after each \(separator), or starting at P1, P2…"),
            .init(name: "global", example: "global:0+window:1", syntax: "global:P1,P2,…[+PATTERN]", summary: "P1, P2… see and are seen by all; other cells follow PATTERN"),
            .init(name: "seed", example: "seed", syntax: "seed", summary: "the blog post's quick=1, jumps=0.5, lazy..=0 by position"),
        ]
    }

    /// Parses `NAME[:ARGS]`: `none`, `padding:K`, `causal`, `prefix:N`, `window:W`, `block`,
    /// `block:P1,P2`, `global:P1,P2[+PATTERN]` (`PATTERN` is any other pattern, itself
    /// parsed by these rules: `global:0,5+window:2`), `seed`. Numbers are 0-based token
    /// positions or counts, whitespace around parts is ignored, names are case-insensitive.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw MaskPatternError.empty }
        let name: String
        let argument: String?
        if let colon = trimmed.firstIndex(of: ":") {
            name = String(trimmed[..<colon]).trimmingWhitespace.lowercased()
            argument = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace
        } else {
            name = trimmed.lowercased()
            argument = nil
        }
        if name == "global" {
            guard let argument, !argument.isEmpty else {
                throw MaskPatternError.missingArgument(pattern: trimmed, syntax: "global:P1,P2[+PATTERN]")
            }
            var positionsText = argument
            var base = MaskPattern.none
            if let plus = argument.firstIndex(of: "+") {
                positionsText = String(argument[..<plus])
                let baseText = String(argument[argument.index(after: plus)...])
                guard !baseText.trimmingWhitespace.isEmpty else {
                    throw MaskPatternError.missingArgument(pattern: trimmed, syntax: "global:P1,P2+PATTERN (a pattern after '+')")
                }
                base = try MaskPattern(parsing: baseText)
            }
            self = .global(positions: try Self.positions(positionsText, in: trimmed, syntax: "global:P1,P2[+PATTERN]"), base: base)
            return
        }
        func noArgument(_ pattern: MaskPattern) throws -> MaskPattern {
            if let argument { throw MaskPatternError.unexpectedArgument(pattern: trimmed, name: name, argument: argument) }
            return pattern
        }
        func count(_ syntax: String) throws -> Int {
            guard let argument, !argument.isEmpty else { throw MaskPatternError.missingArgument(pattern: trimmed, syntax: syntax) }
            guard let value = Int(argument) else { throw MaskPatternError.notANumber(pattern: trimmed, part: argument) }
            guard value >= 0 else { throw MaskPatternError.negative(pattern: trimmed, value: value) }
            return value
        }
        switch name {
        case "none": self = try noArgument(.none)
        case "causal": self = try noArgument(.causal)
        case "seed": self = try noArgument(.seed)
        case "padding": self = .padding(count: try count("padding:K"))
        case "prefix": self = .prefix(length: try count("prefix:N"))
        case "window": self = .window(radius: try count("window:W"))
        case "block":
            guard let argument else { self = .block(starts: nil); return }
            self = .block(starts: try Self.positions(argument, in: trimmed, syntax: "block:P1,P2"))
        default:
            throw MaskPatternError.unknownName(pattern: trimmed, name: name, known: Self.catalog.map(\.name))
        }
    }

    /// Comma-separated non-negative positions, at least one.
    private static func positions(_ text: String, in pattern: String, syntax: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
        guard !(parts.count == 1 && parts[0].isEmpty) else { throw MaskPatternError.missingArgument(pattern: pattern, syntax: syntax) }
        return try parts.map { part in
            guard !part.isEmpty else { throw MaskPatternError.emptyPosition(pattern: pattern) }
            guard let value = Int(part) else { throw MaskPatternError.notANumber(pattern: pattern, part: part) }
            guard value >= 0 else { throw MaskPatternError.negative(pattern: pattern, value: value) }
            return value
        }
    }

    /// The pattern's mask value for every cell of `encoding`, `[query][key]` row-major,
    /// `L × L` with `L = encoding.count`: 1 open, 0 closed (`seed` also has 0.5).
    ///
    /// - Parameter documentSeparator: the token that ends a document for `block` without
    ///   positions (`TextTokenizer.documentSeparator`); nil makes the input one document.
    /// - Throws: `MaskPatternError` when the pattern does not fit the text (a count or
    ///   position past its end, or `seed` on a text without "quick", "jumps" or "lazy").
    public func values(for encoding: Encoding, documentSeparator: SpecialToken?) throws -> [Float] {
        let length = encoding.count
        func grid(_ open: (_ query: Int, _ key: Int) -> Float) -> [Float] {
            var cells = [Float](repeating: 0, count: length * length)
            for query in 0..<length {
                for key in 0..<length { cells[query * length + key] = open(query, key) }
            }
            return cells
        }
        func check(_ positions: [Int]) throws {
            if let bad = positions.first(where: { $0 >= length }) {
                throw MaskPatternError.positionOutOfRange(pattern: description, position: bad, count: length)
            }
        }
        switch self {
        case .none:
            return [Float](repeating: 1, count: length * length)
        case .padding(let count):
            guard count <= length else { throw MaskPatternError.countTooLarge(pattern: description, count: count, length: length) }
            return grid { _, key in key < length - count ? 1 : 0 }
        case .causal:
            return grid { query, key in key <= query ? 1 : 0 }
        case .prefix(let prefixLength):
            guard prefixLength <= length else {
                throw MaskPatternError.countTooLarge(pattern: description, count: prefixLength, length: length)
            }
            return grid { query, key in key < prefixLength || key <= query ? 1 : 0 }
        case .window(let radius):
            return grid { query, key in abs(query - key) <= radius ? 1 : 0 }
        case .block(let starts):
            let document: [Int]
            if let starts {
                try check(starts)
                document = (0..<length).map { position in starts.filter { $0 <= position && $0 > 0 }.count }
            } else {
                var index = 0
                document = encoding.ids.map { id in
                    defer { if id == documentSeparator?.id { index += 1 } }
                    return index
                }
            }
            return grid { query, key in document[query] == document[key] ? 1 : 0 }
        case let .global(positions, base):
            try check(positions)
            var cells = try base.values(for: encoding, documentSeparator: documentSeparator)
            for position in positions {
                for other in 0..<length {
                    cells[position * length + other] = 1
                    cells[other * length + position] = 1
                }
            }
            return cells
        case .seed:
            let keyValues: [Float]
            do {
                keyValues = try MaskSpec(parsing: "quick=1,jumps=0.5,lazy..=0")
                    .apply(to: [Float](repeating: 1, count: length), tokens: encoding.tokens)
            } catch MaskSpecError.tokenNotFound(_, let token, let tokens) {
                throw MaskPatternError.seedTokenMissing(token: token, tokens: tokens)
            }
            return grid { _, key in keyValues[key] }
        }
    }

    /// The combine rule, in one place: `cell = pattern[query][key] × keyMask[key]`, then
    /// `overrides` (keyed `query * L + key`) replace their cells.
    ///
    /// Under `bias` semantics a mask value is a logit offset and 0 is neutral, so a product
    /// with a closed pattern cell would open it; there a pattern cell of 0 gives float32's
    /// lowest value instead (the bias `hf` puts on a masked key) and other cells the product.
    ///
    /// - Parameters:
    ///   - pattern: `L × L` values from `values(for:)`.
    ///   - keyMask: `L` per-token values.
    /// - Returns: `L × L` cell mask values for `AttentionBias(cellMask:length:semantics:)`.
    public static func combine(pattern: [Float], keyMask: [Float], semantics: MaskSemantics,
                               overrides: [Int: Float] = [:]) -> [Float] {
        let length = keyMask.count
        var cells = [Float](repeating: 0, count: length * length)
        for query in 0..<length {
            for key in 0..<length {
                cells[query * length + key] = cell(query: query, key: key, pattern: pattern, keyMask: keyMask, semantics: semantics)
            }
        }
        for (index, value) in overrides where cells.indices.contains(index) { cells[index] = value }
        return cells
    }

    /// One cell of `combine`, without building the other `L² − 1`.
    public static func cell(query: Int, key: Int, pattern: [Float], keyMask: [Float], semantics: MaskSemantics,
                            overrides: [Int: Float] = [:]) -> Float {
        let index = query * keyMask.count + key
        if let value = overrides[index] { return value }
        let open = index < pattern.count ? pattern[index] : 1
        if semantics == .bias, open == 0 { return -Float.greatestFiniteMagnitude }
        return open * keyMask[key]
    }
}
