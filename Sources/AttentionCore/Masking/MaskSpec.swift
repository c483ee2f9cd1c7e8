/// A mask written as text: comma-separated `SELECTOR=VALUE` assignments, applied in order
/// (later ones override earlier ones).
///
/// SELECTOR is a position (`5`), an inclusive range of positions (`3..7`, `8..`, `..4`), a
/// token text (`jumps`: every position whose token is exactly that), or an inclusive range
/// whose ends are token texts or positions (`lazy..`, `quick..lazy`; a text end means its
/// first occurrence); `..` alone is every position. Positions are 0-based and count special tokens, as the explorer labels
/// them. A token text that contains `,` or `=` or looks like a number can be quoted: `','=0`.
///
/// The blog post's scenario: `quick=1,jumps=0.5,lazy..=0`.
public struct MaskSpec: Equatable, Sendable {
    public enum Endpoint: Equatable, Sendable {
        case position(Int)
        case token(String)
    }

    public enum Selector: Equatable, Sendable {
        case position(Int)
        case token(String)
        /// Inclusive; a missing end means the first or last position.
        case range(from: Endpoint?, to: Endpoint?)
    }

    public struct Assignment: Equatable, Sendable {
        public let selector: Selector
        public let value: Float
        /// The text this assignment was parsed from, for error messages.
        public let source: String
    }

    public let assignments: [Assignment]

    /// Parses a preset file's text: `#` starts a comment, and lines are joined with commas,
    /// so a file can hold one assignment per line (what the explorer's `w` writes).
    public init(preset text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { line -> String in
            var inQuote: Character?
            var kept = ""
            for character in line {
                if let open = inQuote {
                    if character == open { inQuote = nil }
                } else if character == "'" || character == "\"" {
                    inQuote = character
                } else if character == "#" {
                    break
                }
                kept.append(character)
            }
            return kept
        }
        try self.init(parsing: lines.filter { !$0.trimmingWhitespace.isEmpty }.joined(separator: ","))
    }

    /// Parses a SPEC. An empty string is an empty spec (no changes); an empty part (`a=0,,b=1`,
    /// a trailing comma) is an error, since it usually means something was left out.
    public init(parsing text: String) throws {
        var assignments: [Assignment] = []
        for part in try Self.splitParts(text) {
            assignments.append(try Self.parseAssignment(part))
        }
        self.assignments = assignments
    }

    /// Applies the assignments to `mask` (one value per token of `tokens`).
    ///
    /// - Parameter texts: what each token stands for (byte-level BPE decoded: `Ġjumps` is
    ///   " jumps"), when that differs from the raw token; a selector then also matches a
    ///   token whose text, trimmed of surrounding whitespace, equals it, so `jumps=0.5` works.
    public func apply(to mask: [Float], tokens: [String], texts: [String]? = nil) throws -> [Float] {
        var result = mask
        for assignment in assignments {
            for position in try positions(of: assignment, tokens: tokens, texts: texts) {
                result[position] = assignment.value
            }
        }
        return result
    }

    /// The token positions an assignment selects, in order.
    public func positions(of assignment: Assignment, tokens: [String], texts: [String]? = nil) throws -> [Int] {
        func selects(_ index: Int, _ text: String) -> Bool {
            if tokens[index] == text { return true }
            guard let texts, index < texts.count else { return false }
            return texts[index].trimmingWhitespace == text
        }
        func resolve(_ endpoint: Endpoint) throws -> Int {
            switch endpoint {
            case .position(let p):
                guard p >= 0, p < tokens.count else {
                    throw MaskSpecError.positionOutOfRange(part: assignment.source, position: p, count: tokens.count)
                }
                return p
            case .token(let text):
                guard let p = tokens.indices.first(where: { selects($0, text) }) else {
                    throw MaskSpecError.tokenNotFound(part: assignment.source, token: text, tokens: tokens)
                }
                return p
            }
        }
        switch assignment.selector {
        case .position(let p):
            return [try resolve(.position(p))]
        case .token(let text):
            let matches = tokens.indices.filter { selects($0, text) }
            guard !matches.isEmpty else {
                throw MaskSpecError.tokenNotFound(part: assignment.source, token: text, tokens: tokens)
            }
            return matches
        case let .range(from, to):
            let start = try from.map(resolve) ?? 0
            let end = try to.map(resolve) ?? tokens.count - 1
            guard start <= end else {
                throw MaskSpecError.reversedRange(part: assignment.source, start: start, end: end)
            }
            return Array(start...end)
        }
    }

    /// Splits on commas outside quotes. A whole text of blanks has no parts; an empty part
    /// anywhere else is refused.
    static func splitParts(_ text: String) throws -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                current.append(character)
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard quote == nil else { throw MaskSpecError.unclosedQuote(part: current) }
        parts.append(current)
        let trimmed = parts.map { $0.trimmingWhitespace }
        if trimmed.count == 1, trimmed[0].isEmpty { return [] }
        if let empty = trimmed.firstIndex(where: \.isEmpty) {
            throw MaskSpecError.emptyPart(spec: text, index: empty, count: trimmed.count)
        }
        return trimmed
    }

    static func parseAssignment(_ part: String) throws -> Assignment {
        guard let equals = lastUnquotedEquals(in: part) else { throw MaskSpecError.missingValue(part: part) }
        let selectorText = String(part[..<equals]).trimmingWhitespace
        let valueText = String(part[part.index(after: equals)...]).trimmingWhitespace
        // Decimal only: `Float("0x10")` would read hexadecimal as 16.
        guard valueText.allSatisfy({ "0123456789+-.eE".contains($0) }), let value = Float(valueText), value.isFinite else {
            throw MaskSpecError.notANumber(part: part, value: valueText)
        }
        guard !selectorText.isEmpty else { throw MaskSpecError.missingSelector(part: part) }
        return Assignment(selector: try parseSelector(selectorText, part: part), value: value, source: part)
    }

    static func parseSelector(_ text: String, part: String) throws -> Selector {
        if let quoted = unquoted(text) { return .token(quoted) }
        if let dots = rangeOperator(in: text) {
            let from = String(text[..<dots.lowerBound]).trimmingWhitespace
            let to = String(text[dots.upperBound...]).trimmingWhitespace
            return .range(from: from.isEmpty ? nil : endpoint(from), to: to.isEmpty ? nil : endpoint(to))
        }
        if let position = Int(text) { return .position(position) }
        return .token(text)
    }

    private static func endpoint(_ text: String) -> Endpoint {
        if let quoted = unquoted(text) { return .token(quoted) }
        if let position = Int(text) { return .position(position) }
        return .token(text)
    }

    private static func unquoted(_ text: String) -> String? {
        guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else { return nil }
        return String(text.dropFirst().dropLast())
    }

    /// The `..` of a range, outside quotes. A selector made only of dots other than `..`
    /// itself (`.`, `...`) is a token, not a range.
    private static func rangeOperator(in text: String) -> Range<String.Index>? {
        guard text == ".." || !text.allSatisfy({ $0 == "." }) else { return nil }
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ".", text[index...].hasPrefix("..") {
                return index..<text.index(index, offsetBy: 2)
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func lastUnquotedEquals(in text: String) -> String.Index? {
        var quote: Character?
        var found: String.Index?
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "=" {
                found = index
            }
        }
        return found
    }
}

/// A mask SPEC that cannot be applied; each case names the offending part.
public enum MaskSpecError: Error, CustomStringConvertible, Equatable {
    case missingValue(part: String)
    case missingSelector(part: String)
    case notANumber(part: String, value: String)
    case unclosedQuote(part: String)
    case tokenNotFound(part: String, token: String, tokens: [String])
    case positionOutOfRange(part: String, position: Int, count: Int)
    case reversedRange(part: String, start: Int, end: Int)
    case invalidValue(part: String, reason: String)
    /// Part `index` (0-based) of `count` is empty: two commas in a row, or one at an end.
    case emptyPart(spec: String, index: Int, count: Int)

    public var description: String {
        switch self {
        case .missingValue(let part):
            return "mask part '\(part)' has no '=VALUE' (write e.g. '\(part)=0')"
        case .missingSelector(let part):
            return "mask part '\(part)' has no position or token before '='"
        case let .notANumber(part, value):
            return "mask part '\(part)': '\(value)' is not a number (use e.g. 0, 0.5, 1, or -2 with --semantics bias)"
        case .unclosedQuote(let part):
            return "mask part '\(part)' has an unclosed quote"
        case let .tokenNotFound(part, token, tokens):
            return "mask part '\(part)': no token '\(token)' in the text; its tokens are: \(tokens.joined(separator: " "))"
        case let .positionOutOfRange(part, position, count):
            return "mask part '\(part)': position \(position) is out of range; the text has \(count) tokens (positions 0…\(count - 1), special tokens included)"
        case let .reversedRange(part, start, end):
            return "mask part '\(part)': the range runs backwards (position \(start) comes after \(end))"
        case let .invalidValue(part, reason):
            return "mask part '\(part)': \(reason)"
        case let .emptyPart(spec, index, count):
            let where_ = index == 0 ? "before the first comma" : index == count - 1 ? "after the last comma" : "between two commas"
            return "mask '\(spec)' has an empty part \(where_); remove the extra comma or write the missing SELECTOR=VALUE"
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
