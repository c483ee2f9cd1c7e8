import Tokenizers

/// DistilBERT's input layer: word + position embeddings, then LayerNorm. There are no token
/// types: a pair's second text differs from the first only by the [SEP] between them, as in
/// transformers (its tokenizer does not even return token_type_ids).
struct DistilBertEmbedder: TokenEmbedder {
    /// `[vocabulary][hidden]`.
    let word: Matrix
    /// `[max positions][hidden]`.
    let position: Matrix
    let norm: LayerNorm

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
            for i in 0..<width {
                x.values[t * width + i] = word.values[id * width + i] + position.values[t * width + i]
            }
        }
        norm.apply(&x)
        return x
    }
}
