import Tokenizers

/// GPT-2's input layer: `wte[id] + wpe[position]`, positions counted from 0 whatever the mask
/// (transformers' default `position_ids`, padding included); no norm (each block norms first).
struct GPT2Embedder: TokenEmbedder {
    /// `[vocabulary][hidden]`.
    let word: Matrix
    /// `[n_positions][hidden]`.
    let position: Matrix

    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = word.columns
        guard encoding.count <= position.rows else {
            throw ModelInputError.tooLong(tokens: encoding.count, limit: position.rows, model: "the model")
        }
        var x = Matrix(zeros: encoding.count, width)                          // [L][H]
        for t in 0..<encoding.count {
            let id = encoding.ids[t]
            guard id >= 0, id < word.rows else {
                throw EmbeddingError.idOutOfRange(token: encoding.tokens[t], id: id, vocabularySize: word.rows)
            }
            for i in 0..<width {
                x.values[t * width + i] = word.values[id * width + i] + position.values[t * width + i]
            }
        }
        return x
    }
}
