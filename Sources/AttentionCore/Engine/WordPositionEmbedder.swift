import Tokenizers

/// The input layer of a model with learned absolute positions and no token types:
/// `word[id] + position[t]`, positions counted from 0 whatever the mask (transformers' default
/// `position_ids`, padding included), then an optional LayerNorm.
///
/// DistilBERT norms here (a pair's second text differs from the first only by the [SEP]
/// between them, as in transformers); GPT-2 does not (each block norms first).
struct WordPositionEmbedder: TokenEmbedder {
    /// `[vocabulary][hidden]`.
    let word: EmbeddingTable
    /// `[max positions][hidden]`.
    let position: Matrix
    /// Applied to the sum; nil for pre-norm models.
    let norm: LayerNorm?

    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = word.columns
        guard encoding.count <= position.rows else {
            throw ModelInputError.tooLong(tokens: encoding.count, limit: position.rows, model: "the model")
        }
        var x = Matrix(zeros: encoding.count, width)                    // [L][H]
        for t in 0..<encoding.count {
            let id = encoding.ids[t]
            guard id >= 0, id < word.rows else {
                throw EmbeddingError.idOutOfRange(token: encoding.tokens[t], id: id, vocabularySize: word.rows)
            }
            x.values.withUnsafeMutableBufferPointer { row in
                guard let row = row.baseAddress.map({ $0 + t * width }) else { return }
                word.copyRow(id, into: row)
                for i in 0..<width { row[i] = row[i] + position.values[t * width + i] }
            }
        }
        norm?.apply(&x)
        return x
    }
}
