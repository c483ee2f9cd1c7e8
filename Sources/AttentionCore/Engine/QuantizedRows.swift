import Foundation

/// A `[rows][width]` matrix kept in its GGUF block encoding and dequantized one row at a
/// time: a decoder's token embeddings (SmolLM2's `token_embd`, Q8_0, 49152 × 576) are
/// 30 MB this way instead of 113 MB of float32, and only the rows of the text's tokens (and,
/// for a tied LM head, the rows of the positions shown) are ever expanded.
///
/// A row dequantizes to exactly the floats `GGUFFile.floats` gives for it (the same
/// `GGMLDequantizer`), so embeddings and logits are unchanged. Immutable after `init`.
public final class QuantizedRows: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    /// Floats per row.
    public let width: Int
    /// Bytes per row: `width / type.blockSize` blocks of `type.blockByteCount`.
    let rowByteCount: Int
    private let storage: UnsafeMutableRawBufferPointer

    /// Copies the tensor's blocks out of the file (which need not stay mapped).
    ///
    /// - Throws: `GGUFError` when the tensor is missing or of a type that cannot be dequantized.
    public init(file: GGUFFile, tensor name: String) throws {
        guard let info = file.info(name) else { throw GGUFError.noSuchTensor(file: file.url, tensor: name) }
        guard info.type.isDequantizable else {
            throw GGUFError.notDequantizable(file: file.url, tensor: name, type: info.type)
        }
        type = info.type
        rows = info.rowCount
        width = info.rowLength
        rowByteCount = info.rowByteCount
        let byteCount = rows * rowByteCount
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, byteCount), alignment: 64)
        let target = storage
        try file.withBlocks(name) { _, bytes in
            guard bytes.count >= byteCount else {
                throw GGUFError.noSuchTensor(file: file.url, tensor: name)
            }
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount]))
        }
    }

    deinit { storage.deallocate() }

    /// Bytes held: the encoded rows.
    public var byteCount: Int { rows * rowByteCount }

    /// Writes row `row` (`0..<rows`) as `width` floats at `output`.
    func dequantizeRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "QuantizedRows: row \(row) outside 0..<\(rows)")
        let bytes = UnsafeRawBufferPointer(start: storage.baseAddress.map { $0 + row * rowByteCount }, count: rowByteCount)
        GGMLDequantizer.dequantize(type, blocks: bytes, into: UnsafeMutableBufferPointer(start: output, count: width))
    }
}

/// A decoder's token-embedding table, dense or kept quantized; shared by the embedder and a
/// tied LM head.
public enum EmbeddingTable: Sendable {
    /// `[vocabulary][hidden]` float32.
    case dense(Matrix)
    /// `[vocabulary][hidden]` in GGUF blocks, dequantized per row.
    case quantized(QuantizedRows)

    public var rows: Int {
        switch self {
        case .dense(let matrix): matrix.rows
        case .quantized(let table): table.rows
        }
    }

    public var columns: Int {
        switch self {
        case .dense(let matrix): matrix.columns
        case .quantized(let table): table.width
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
        }
    }
}
