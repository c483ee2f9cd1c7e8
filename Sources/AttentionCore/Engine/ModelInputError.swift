import Foundation

/// Why a text cannot go through a model.
public enum ModelInputError: Error, CustomStringConvertible, Equatable {
    case tooLong(tokens: Int, limit: Int, model: String)

    public var description: String {
        switch self {
        case let .tooLong(tokens, limit, model):
            return "the text is \(tokens) tokens long but \(model) takes at most \(limit) (its max_position_embeddings, [CLS] and [SEP] included); shorten the text"
        }
    }
}
