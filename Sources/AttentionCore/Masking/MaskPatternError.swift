/// A mask pattern that cannot be parsed, or does not fit the text; each case names the
/// offending part.
public enum MaskPatternError: Error, CustomStringConvertible, Equatable {
    case empty
    case unknownName(pattern: String, name: String, known: [String])
    case missingArgument(pattern: String, syntax: String)
    case unexpectedArgument(pattern: String, name: String, argument: String)
    case notANumber(pattern: String, part: String)
    case negative(pattern: String, value: Int)
    case emptyPosition(pattern: String)
    case positionOutOfRange(pattern: String, position: Int, count: Int)
    case countTooLarge(pattern: String, count: Int, length: Int)
    case seedTokenMissing(token: String, tokens: [String])

    public var description: String {
        switch self {
        case .empty:
            return "the pattern is empty; write one of: none, padding:K, causal, prefix:N, window:W, block, block:P1,P2, global:P1,P2[+PATTERN], seed"
        case let .unknownName(pattern, name, known):
            return "pattern '\(pattern)': unknown name '\(name)'; known patterns: \(known.joined(separator: ", "))"
        case let .missingArgument(pattern, syntax):
            return "pattern '\(pattern)' needs an argument: \(syntax)"
        case let .unexpectedArgument(pattern, name, argument):
            return "pattern '\(pattern)': '\(name)' takes no argument, but ':\(argument)' was given"
        case let .notANumber(pattern, part):
            return "pattern '\(pattern)': '\(part)' is not a whole number"
        case let .negative(pattern, value):
            return "pattern '\(pattern)': \(value) is negative; counts and positions start at 0"
        case .emptyPosition(let pattern):
            return "pattern '\(pattern)' has an empty position between commas"
        case let .positionOutOfRange(pattern, position, count):
            return "pattern '\(pattern)': position \(position) is out of range; the text has \(count) tokens (positions 0…\(count - 1), special tokens included)"
        case let .countTooLarge(pattern, count, length):
            return "pattern '\(pattern)': \(count) is more than the text's \(length) tokens (special tokens included)"
        case let .seedTokenMissing(token, tokens):
            return "pattern 'seed' needs the blog post's tokens quick, jumps and lazy, but the text has no '\(token)'; its tokens are: \(tokens.joined(separator: " "))"
        }
    }
}
