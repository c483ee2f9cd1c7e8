import Tokenizers

/// RoBERTa's input layer: word + token-type 0 + position embeddings, then LayerNorm.
///
/// Positions are transformers' `create_position_ids_from_input_ids`: the padding id keeps
/// position `paddingIndex`, every other token counts up from `paddingIndex + 1`, so a padded
/// input's real tokens sit where they would without padding. Token type ids are always 0
/// (`type_vocab_size` is 1; RoBERTa's tokenizer does not hand them to the model).
struct RobertaEmbedder: TokenEmbedder {
    /// `[vocabulary][hidden]`.
    let word: EmbeddingTable
    /// `[max_position_embeddings][hidden]`; rows `0...paddingIndex` are never used by real tokens.
    let position: Matrix
    /// `[type vocabulary][hidden]`; only row 0 is read.
    let tokenType: Matrix
    let norm: LayerNorm
    /// `pad_token_id`, which is also the padding position.
    let paddingIndex: Int

    /// Position id per token, as transformers computes it from the ids.
    static func positionIDs(ids: [Int], paddingIndex: Int) -> [Int] {
        var seen = 0
        return ids.map { id in
            guard id != paddingIndex else { return paddingIndex }
            seen += 1
            return paddingIndex + seen
        }
    }

    func embed(_ encoding: Encoding) throws -> Matrix {
        let width = word.columns
        let positions = Self.positionIDs(ids: encoding.ids, paddingIndex: paddingIndex)
        if let last = positions.max(), last >= position.rows {
            throw ModelInputError.tooLong(tokens: encoding.count, limit: position.rows - paddingIndex - 1, model: "the model")
        }
        var x = Matrix(zeros: encoding.count, width)                    // [L][H]
        for t in 0..<encoding.count {
            let id = encoding.ids[t], p = positions[t]
            guard id >= 0, id < word.rows else {
                throw EmbeddingError.idOutOfRange(token: encoding.tokens[t], id: id, vocabularySize: word.rows)
            }
            x.values.withUnsafeMutableBufferPointer { row in
                guard let row = row.baseAddress.map({ $0 + t * width }) else { return }
                word.copyRow(id, into: row)
                for i in 0..<width { row[i] = (row[i] + tokenType.values[i]) + position.values[p * width + i] }
            }
        }
        norm.apply(&x)
        return x
    }
}
