import Tokenizers

/// Llama's input layer: a row of the token embedding matrix per token, nothing added
/// (positions enter later, as rotary on Q and K).
struct LlamaEmbedder: TokenEmbedder {
    /// `[vocabulary][hidden]`.
    let word: Matrix

    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = word.columns
        var x = Matrix(zeros: encoding.count, width)                          // [L][H]
        for t in 0..<encoding.count {
            let id = encoding.ids[t]
            guard id >= 0, id < word.rows else {
                throw EmbeddingError.idOutOfRange(token: encoding.tokens[t], id: id, vocabularySize: word.rows)
            }
            for i in 0..<width { x.values[t * width + i] = word.values[id * width + i] }
        }
        return x
    }
}
