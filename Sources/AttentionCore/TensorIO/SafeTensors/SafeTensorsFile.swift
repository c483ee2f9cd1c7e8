import Foundation

/// A `.safetensors` checkpoint, memory-mapped and with its whole header validated up front.
///
/// Opening reads only the header: tensor bytes stay on disk until `floats(_:)` touches them.
/// Everything the header claims is checked at `init` (UTF-8 JSON object, known dtypes,
/// non-negative shapes, byte ranges inside the file, lengths equal to
/// `product(shape) × dtype size`, no overlaps), so reading a tensor afterwards cannot index
/// outside the mapping. The mapping is released when the last reference goes.
public final class SafeTensorsFile: Sendable {
    public let url: URL
    /// Metadata strings from the header's optional `__metadata__` object (e.g. `format: pt`).
    public let metadata: [String: String]
    /// Tensor names in the order their bytes appear in the file.
    public let tensorNames: [String]
    private let tensors: [String: TensorInfo]
    private let mapping: MappedFile

    /// - Throws: `SafeTensorsError`, naming the file, the tensor and the byte positions at fault.
    public init(url: URL) throws {
        let mapping = try MappedFile(url: url, minimumByteCount: 8)
        let header = try SafeTensorsHeader(file: mapping.bytes, url: url)
        self.url = url
        self.mapping = mapping
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.tensorNames = header.tensors.values
            .sorted { ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name) }
            .map(\.name)
    }

    /// An F32 tensor in place, when the host is little-endian and its bytes are 4-byte aligned
    /// (Hugging Face's writer aligns the data section to 8 bytes; another writer might not).
    public func mappedFloats(_ name: String) -> MappedFloats? {
        #if _endian(little)
        guard let tensor = tensors[name], tensor.dtype == .f32, let start = mapping.bytes.baseAddress else { return nil }
        let address = start + tensor.byteRange.lowerBound
        guard Int(bitPattern: address) % MemoryLayout<Float>.alignment == 0 else { return nil }
        return MappedFloats(owner: mapping, base: address.assumingMemoryBound(to: Float.self), count: tensor.elementCount)
        #else
        return nil
        #endif
    }

    /// Size of the file in bytes.
    public var byteCount: Int { mapping.bytes.count }

    /// The tensor's dtype, shape and byte range, or nil if the file has no tensor of that name.
    public func info(_ name: String) -> TensorInfo? { tensors[name] }

    /// The tensor's elements in row-major order, converted to `Float` exactly as PyTorch's
    /// `.float()` would: F32 copied, F16 and BF16 widened (every value is representable),
    /// F64 rounded to nearest.
    ///
    /// - Throws: `SafeTensorsError.noSuchTensor`, or `.notFloatingPoint` for integer, bool
    ///   and 8-bit-or-smaller float types.
    public func floats(_ name: String) throws -> [Float] {
        guard let tensor = tensors[name] else { throw SafeTensorsError.noSuchTensor(file: url, tensor: name) }
        let bytes = UnsafeRawBufferPointer(rebasing: mapping.bytes[tensor.byteRange])
        let count = tensor.elementCount
        switch tensor.dtype {
        case .f32:
            #if _endian(little)
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0, let target = buffer.baseAddress, let source = bytes.baseAddress {
                    HugePages.advise(UnsafeMutableRawPointer(target), byteCount: count * 4)
                    UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
                }
                initialized = count
            }
            #else
            return (0..<count).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            #endif
        case .f16:
            return (0..<count).map { floatFromHalfBits(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .bf16:
            return (0..<count).map { floatFromBFloat16Bits(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .f64:
            return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) }
        default:
            throw SafeTensorsError.notFloatingPoint(file: url, tensor: name, dtype: tensor.dtype)
        }
    }
}
