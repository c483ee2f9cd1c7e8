import Tokenizers

/// Llama's input layer: a row of the token embedding matrix per token, nothing added
/// (positions enter later, as rotary on Q and K).
struct LlamaEmbedder: TokenEmbedder {
    /// `[vocabulary][hidden]`, float32 or kept in its GGUF blocks (rows gathered, never the
    /// whole table expanded).
    let word: EmbeddingTable

    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = word.columns
        var x = Matrix(zeros: encoding.count, width)                          // [L][H]
        for t in 0..<encoding.count {
            let id = encoding.ids[t]
            guard id >= 0, id < word.rows else {
                throw EmbeddingError.idOutOfRange(token: encoding.tokens[t], id: id, vocabularySize: word.rows)
            }
        }
        x.values.withUnsafeMutableBufferPointer { values in
            guard let base = values.baseAddress else { return }
            for t in 0..<encoding.count { word.copyRow(encoding.ids[t], into: base + t * width) }   // [H] row t
        }
        return x
    }
}
