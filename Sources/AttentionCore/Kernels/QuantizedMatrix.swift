/// A weight matrix `[out][in]` left as ggml blocks where the file holds them (the mapped GGUF,
/// no copy), dequantized a few rows at a time by whoever multiplies with it.
///
/// Row `r` of the matrix is stored row `rowOrder[r]` (or `r` without an order): Llama's Q and K
/// rows are un-permuted this way instead of moving bytes (`RotaryRowOrder`). Every row is a
/// whole number of blocks (`GGUFFile` checked that when it opened the file), so any run of a
/// row's blocks dequantizes on its own, bit-identical to dequantizing the whole tensor.
///
/// Immutable after `init`; `owner` keeps the mapping alive as long as any layer uses it, which
/// is why sharing across threads (`@unchecked Sendable`) is safe.
public final class QuantizedMatrix: @unchecked Sendable {
    /// A quantized ggml type `GGMLDequantizer` reads (`GGMLType.isDequantizable`, blocks > 1).
    public let type: GGMLType
    /// Output features: rows of the weight.
    public let rows: Int
    /// Input features: elements per row (ggml `ne[0]`).
    public let rowLength: Int
    /// Bytes of one stored row: `rowLength / blockSize × blockByteCount`.
    let rowByteCount: Int
    /// `rows × rowByteCount` bytes inside `owner`'s storage.
    let blocks: UnsafeRawPointer
    /// Stored row of each row, or nil for the identity.
    let rowOrder: [Int]?
    /// Whatever holds `blocks` (the `GGUFFile` and its mapping).
    private let owner: AnyObject

    /// - Precondition: the bytes hold `rows` rows of `rowLength` elements of `type` in whole
    ///   blocks, and `rowOrder`, when given, is a permutation of `0..<rows` (checked by the
    ///   callers that read them from a validated file).
    init(type: GGMLType, rows: Int, rowLength: Int, blocks: UnsafeRawPointer, owner: AnyObject, rowOrder: [Int]? = nil) {
        precondition(type.isDequantizable && type.isQuantized && rowLength % type.blockSize == 0)
        precondition(rowOrder.map { $0.count == rows } ?? true)
        self.type = type
        self.rows = rows
        self.rowLength = rowLength
        self.rowByteCount = rowLength / type.blockSize * type.blockByteCount
        self.blocks = blocks
        self.owner = owner
        self.rowOrder = rowOrder
    }

    /// The same bytes read with another row order (e.g. Q/K un-permuted for rotate-half).
    func reordered(_ order: [Int]) -> QuantizedMatrix {
        let composed = rowOrder.map { previous in order.map { previous[$0] } } ?? order
        return QuantizedMatrix(type: type, rows: rows, rowLength: rowLength, blocks: blocks, owner: owner, rowOrder: composed)
    }

    /// Writes the whole row `row` (`0..<rows`) as `rowLength` floats at `output`: an embedding
    /// row gathered for a token. Whole rows are whole blocks, so no scratch is needed.
    func dequantizeRow(_ row: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(row >= 0 && row < rows, "QuantizedMatrix: row \(row) outside 0..<\(rows)")
        dequantize(rows: row..<(row + 1), columns: 0..<rowLength, into: output, scratch: output)
    }

    /// Bytes the weight occupies in the file (and, once read, in resident memory).
    public var byteCount: Int { rows * rowByteCount }

    /// Largest run of elements `dequantize(rows:columns:into:scratch:)` may need in `scratch`
    /// for a column range of `count` elements: the range rounded out to whole blocks.
    func scratchCount(columns count: Int) -> Int {
        (count + 2 * type.blockSize - 2) / type.blockSize * type.blockSize
    }

    /// Starts loading the bytes `dequantize(rows:columns:…)` will read for each row of `rows`
    /// (`CachePrefetch`). The multiply visits a row's blocks one depth block at a time, microseconds
    /// apart and 16–32 rows side by side, which the hardware prefetchers do not follow: without
    /// this, most of the dequantization time is spent waiting for memory.
    func prefetch(rows: Range<Int>, columns: Range<Int>) {
        let size = type.blockSize
        let start = columns.lowerBound / size * type.blockByteCount
        let end = (columns.upperBound + size - 1) / size * type.blockByteCount
        for row in rows {
            CachePrefetch.read(blocks + (rowOrder?[row] ?? row) * rowByteCount + start, byteCount: end - start)
        }
    }

    /// Writes elements `columns` of each row of `rows` to `output`, row after row
    /// (`rows.count × columns.count` floats), exactly the floats `GGMLDequantizer` gives for the
    /// whole tensor. When `columns` does not start and end on block boundaries each row's
    /// covering blocks are dequantized into `scratch` (`scratchCount(columns:)` floats) and the
    /// range copied out. The block range is worked out once for all the rows: the multiply calls
    /// this for 16–32 rows of one depth block, and the divisions by the block size cost about as
    /// much as dequantizing a 256-element block.
    @inline(__always)
    func dequantize(rows: Range<Int>, columns: Range<Int>, into output: UnsafeMutablePointer<Float>,
                    scratch: UnsafeMutablePointer<Float>) {
        let size = type.blockSize
        let firstBlock = columns.lowerBound / size
        let blockCount = (columns.upperBound + size - 1) / size - firstBlock
        let skipped = columns.lowerBound - firstBlock * size
        let aligned = skipped == 0 && columns.count == blockCount * size
        let byteOffset = firstBlock * type.blockByteCount
        var out = output
        for row in rows {
            let source = blocks + (rowOrder?[row] ?? row) * rowByteCount + byteOffset
            if aligned {
                GGMLDequantizer.dequantize(type, blocks: source, count: blockCount, into: out)
            } else {
                GGMLDequantizer.dequantize(type, blocks: source, count: blockCount, into: scratch)
                out.update(from: scratch + skipped, count: columns.count)
            }
            out += columns.count
        }
    }
}
