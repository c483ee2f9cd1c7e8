import Foundation

/// A decoder's token-embedding table, dense or kept in its GGUF blocks; shared by the embedder
/// and a tied LM head. Kept quantized, SmolLM2's Q8_0 `token_embd` (49152 × 576) stays 30 MB
/// in the mapped file instead of 113 MB of float32, and only the rows of the text's tokens (and,
/// for a tied head, the rows the shown prediction needs) are ever expanded.
public enum EmbeddingTable: Sendable {
    /// `[vocabulary][hidden]` float32.
    case dense(Matrix)
    /// `[vocabulary][hidden]` in GGUF blocks inside the mapping, dequantized per row to exactly
    /// the floats `GGUFFile.floats` gives.
    case quantized(QuantizedMatrix)
    /// `[vocabulary][columns]` float32 read in place from a mapped checkpoint (safetensors):
    /// loading copies nothing, and only the text's rows are read.
    case mapped(MappedFloats, columns: Int)

    public var rows: Int {
        switch self {
        case .dense(let matrix): matrix.rows
        case .quantized(let table): table.rows
        case .mapped(let floats, let columns): columns > 0 ? floats.count / columns : 0
        }
    }

    public var columns: Int {
        switch self {
        case .dense(let matrix): matrix.columns
        case .quantized(let table): table.rowLength
        case .mapped(_, let columns): columns
        }
    }

    /// Writes row `row` as `columns` floats at `output`.
    func copyRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
        switch self {
        case .dense(let matrix):
            matrix.values.withUnsafeBufferPointer { values in
                guard let base = values.baseAddress else { return }
                output.update(from: base + row * matrix.columns, count: matrix.columns)
            }
        case .quantized(let table):
            table.dequantizeRow(row, into: output)
        case .mapped(let floats, let columns):
            output.update(from: floats.base + row * columns, count: columns)
        }
    }
}
