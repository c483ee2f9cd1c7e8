/// One tensor as described by a safetensors header, already validated against the file.
public struct TensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: SafeTensorsDType
    /// Dimensions outermost first, PyTorch order (a `nn.Linear` weight is `[out, in]`).
    public let shape: [Int]
    /// Where the tensor's bytes are, counted from the start of the file (not the data section).
    public let byteRange: Range<Int>

    /// `product(shape)`; 1 for a scalar (empty shape).
    public var elementCount: Int { shape.reduce(1, *) }
}
