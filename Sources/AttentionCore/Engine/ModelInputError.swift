import Foundation

/// Why a text cannot go through a model.
public enum ModelInputError: Error, CustomStringConvertible, Equatable {
    case tooLong(tokens: Int, limit: Int, model: String)
    /// A padding length past the model's position limit, refused before anything is allocated.
    case padTooLong(padTo: Int, limit: Int, model: String)
    /// A padding length below the text's own token count, which would pad nothing.
    case padShorterThanText(padTo: Int, tokens: Int)
    case padNotPositive(padTo: Int)

    public var description: String {
        switch self {
        case let .tooLong(tokens, limit, model):
            return "the text is \(tokens) tokens long but \(model) takes at most \(limit) (its max_position_embeddings, special tokens included); shorten the text"
        case let .padTooLong(padTo, limit, model):
            return "pad-to \(padTo) is more positions than \(model) has: it takes at most \(limit) (its max_position_embeddings, special tokens included); pad to \(limit) or fewer"
        case let .padShorterThanText(padTo, tokens):
            return "pad-to \(padTo) is shorter than the text, which is already \(tokens) tokens (special tokens included), so nothing would be padded; pad to \(tokens) or more, or leave padding out"
        case let .padNotPositive(padTo):
            return "pad-to must be a positive number of token positions, not \(padTo)"
        }
    }
}
