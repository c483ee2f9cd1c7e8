import Tokenizers

/// BERT's input layer: word + token-type + position embeddings, then LayerNorm.
struct BertEmbedder: TokenEmbedder {
    /// `[vocabulary][hidden]`.
    let word: EmbeddingTable
    /// `[max positions][hidden]`.
    let position: Matrix
    /// `[type vocabulary][hidden]`.
    let tokenType: Matrix
    let norm: LayerNorm

    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = word.columns
        var x = Matrix(zeros: encoding.count, width)
        for t in 0..<encoding.count {
            let id = encoding.ids[t], type = encoding.typeIDs[t]
            guard id >= 0, id < word.rows else {
                throw EmbeddingError.idOutOfRange(token: encoding.tokens[t], id: id, vocabularySize: word.rows)
            }
            guard type >= 0, type < tokenType.rows else {
                throw EmbeddingError.typeOutOfRange(type: type, typeCount: tokenType.rows)
            }
            guard t < position.rows else {
                throw ModelInputError.tooLong(tokens: encoding.count, limit: position.rows, model: "the model")
            }
            x.values.withUnsafeMutableBufferPointer { row in
                guard let row = row.baseAddress.map({ $0 + t * width }) else { return }
                word.copyRow(id, into: row)
                for i in 0..<width {
                    row[i] = (row[i] + tokenType.values[type * width + i]) + position.values[t * width + i]
                }
            }
        }
        norm.apply(&x)
        return x
    }
}

/// A token the embeddings cannot look up: the vocabulary and the checkpoint disagree.
public enum EmbeddingError: Error, CustomStringConvertible, Equatable {
    case idOutOfRange(token: String, id: Int, vocabularySize: Int)
    case typeOutOfRange(type: Int, typeCount: Int)

    public var description: String {
        switch self {
        case let .idOutOfRange(token, id, size):
            return "token '\(token)' has id \(id) but the model's word embeddings have only \(size) rows; the vocabulary file does not belong to this checkpoint"
        case let .typeOutOfRange(type, count):
            return "token type \(type) is out of range: the model has \(count) token type embeddings (sentence pairs need 2)"
        }
    }
}
