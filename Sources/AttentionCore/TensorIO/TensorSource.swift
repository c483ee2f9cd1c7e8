import Foundation

/// One stored tensor as any weights format describes it, in a form every model family can read.
///
/// Shapes are outermost first, PyTorch order: an `nn.Linear` weight is `[out, in]`. A GGUF
/// source reverses ggml's `ne[]` (innermost first) into this order, so `blk.0.attn_k.weight`
/// with `ne = [576, 192]` is `[192, 576]` here.
public struct TensorDescriptor: Equatable, Sendable {
    public let name: String
    /// Dimensions outermost first; empty for a scalar.
    public let shape: [Int]
    /// The element type as the file names it: "F32", "BF16", "Q4_K", …
    public let typeName: String
    /// Bytes the tensor occupies in the file.
    public let byteCount: Int
    /// Whether elements are stored in quantized blocks (GGUF's Q* types) rather than one by one.
    public let isQuantized: Bool
    /// Whether `TensorSource.floats(_:)` can turn this tensor into `Float`s.
    public let isReadableAsFloat: Bool

    public init(name: String, shape: [Int], typeName: String, byteCount: Int, isQuantized: Bool, isReadableAsFloat: Bool) {
        self.name = name
        self.shape = shape
        self.typeName = typeName
        self.byteCount = byteCount
        self.isQuantized = isQuantized
        self.isReadableAsFloat = isReadableAsFloat
    }

    /// `product(shape)`; 1 for a scalar.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// Named tensors from one weights file (safetensors today, GGUF next), validated when opened.
///
/// Families read their weights only through this protocol, so a family does not care which
/// format its checkpoint came in. Quantized formats dequantize in `floats(_:)`; a later step can
/// add a method that hands out the quantized blocks themselves for a matrix multiply that
/// dequantizes tile by tile (ARCHITECTURE.md, "Quantized weights").
public protocol TensorSource: Sendable {
    /// The file the tensors are read from, for error messages.
    var sourceURL: URL { get }
    /// The format as a person would name it: "safetensors", "GGUF v3".
    var formatName: String { get }
    /// Tensor names in file order.
    var tensorNames: [String] { get }
    /// The tensor's shape and type, or nil if the source has no tensor of that name.
    func descriptor(_ name: String) -> TensorDescriptor?
    /// The tensor's elements in row-major order (outermost dimension slowest), as `Float`.
    ///
    /// - Throws: a format error naming the file and the tensor when the name is absent or its
    ///   type cannot be turned into `Float`.
    func floats(_ name: String) throws -> [Float]
    /// The tensor in place when the source can lend it without converting it (`MappedFloats`):
    /// a little-endian float32 tensor, 4-byte aligned, in a mapped file. Nil otherwise, or for
    /// an unknown name; `floats(_:)` then reads it.
    func mappedFloats(_ name: String) -> MappedFloats?
}

extension SafeTensorsFile: TensorSource {
    public var sourceURL: URL { url }
    public var formatName: String { "safetensors" }

    public func descriptor(_ name: String) -> TensorDescriptor? {
        guard let info = info(name) else { return nil }
        return TensorDescriptor(
            name: info.name, shape: info.shape, typeName: info.dtype.rawValue,
            byteCount: info.byteRange.count, isQuantized: false,
            isReadableAsFloat: info.dtype.isReadableAsFloat)
    }
}

extension TensorSource {
    /// Bytes all tensors occupy in the file: what a config's sizes are checked against before
    /// anything of that size is allocated.
    public var tensorByteCount: Int {
        tensorNames.reduce(0) { $0 + (descriptor($1)?.byteCount ?? 0) }
    }
}
