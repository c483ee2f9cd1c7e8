/// One tensor as a GGUF header describes it, validated against the file.
///
/// `dimensions` is ggml's `ne[]`: innermost (contiguous, the input dimension of a weight) first.
/// `shape` reverses it into the outermost-first order `TensorSource` uses.
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    /// ggml `ne[]`, innermost first; 1 to 4 entries.
    public let dimensions: [Int]
    public let type: GGMLType
    /// Absolute byte positions of the tensor's data in the file.
    public let byteRange: Range<Int>
    /// Where this tensor's description starts in the header, for error messages.
    public let headerOffset: Int

    /// Outermost first, PyTorch order: `ne = [576, 192]` is `[192, 576]`.
    public var shape: [Int] { dimensions.reversed() }
    /// `product(ne)`.
    public var elementCount: Int { dimensions.reduce(1, *) }
    /// Elements per row: `ne[0]`.
    public var rowLength: Int { dimensions.first ?? 1 }
    /// Rows: the product of every dimension but the first.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Bytes of one row: `rowLength / blockSize × blockByteCount`.
    public var rowByteCount: Int { rowLength / type.blockSize * type.blockByteCount }
}
