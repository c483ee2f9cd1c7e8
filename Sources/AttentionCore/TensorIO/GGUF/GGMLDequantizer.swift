/// Turns ggml blocks into `Float`s exactly as gguf-py's `gguf.quants.dequantize` does.
///
/// Each family follows gguf-py's numpy operation order in `Float` arithmetic, one rounding per
/// numpy operation and no fused multiply-add, so results are bit-identical (checked in
/// `GGUFDequantizeTests`). Loops run over whole blocks with constant trip counts and write
/// straight into the caller's buffer: nothing is allocated per block or element.
public enum GGMLDequantizer {
    /// Why bytes could not be dequantized (used by the array convenience; `GGUFFile` validates first).
    public enum Failure: Error, Equatable, Sendable {
        case unsupportedType(GGMLType)
        case notWholeBlocks(type: GGMLType, byteCount: Int)
    }

    /// Dequantizes `blocks` (a whole number of `type` blocks) into `output`, which must hold
    /// exactly `blocks.count / blockByteCount × blockSize` floats.
    ///
    /// - Precondition: `type.isDequantizable` and the sizes match (checked by the callers).
    static func dequantize(_ type: GGMLType, blocks: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        let blockCount = blocks.count / type.blockByteCount
        precondition(blockCount * type.blockByteCount == blocks.count && blockCount * type.blockSize == output.count)
        guard blockCount > 0, let source = blocks.baseAddress, let target = output.baseAddress else { return }
        dequantize(type, blocks: source, count: blockCount, into: target)
    }

    /// Dequantizes `blockCount` blocks of `type` at `source` into `blockCount × blockSize` floats
    /// at `target`, without the size checks (and their divisions): for `QuantizedMatrix`, which
    /// calls this for every row of every depth block of a multiply.
    ///
    /// - Precondition: `type.isDequantizable`; the bytes and floats are there (checked by callers).
    @inline(__always)
    static func dequantize(_ type: GGMLType, blocks source: UnsafeRawPointer, count blockCount: Int,
                           into target: UnsafeMutablePointer<Float>) {
        switch type {
        case .f32: copyF32(source, target, blockCount)
        case .f16: widenF16(source, target, blockCount)
        case .bf16: widenBF16(source, target, blockCount)
        case .q4_0: dequantizeQ4_0(source, target, blockCount)
        case .q4_1: dequantizeQ4_1(source, target, blockCount)
        case .q5_0: dequantizeQ5_0(source, target, blockCount)
        case .q5_1: dequantizeQ5_1(source, target, blockCount)
        case .q8_0: dequantizeQ8_0(source, target, blockCount)
        case .q2_K: dequantizeQ2_K(source, target, blockCount)
        case .q3_K: dequantizeQ3_K(source, target, blockCount)
        case .q4_K: dequantizeQ4_K(source, target, blockCount)
        case .q5_K: dequantizeQ5_K(source, target, blockCount)
        case .q6_K: dequantizeQ6_K(source, target, blockCount)
        default: preconditionFailure("\(type.name) is not dequantizable; callers check isDequantizable")
        }
    }

    /// Convenience for raw bytes (tests, tools): a whole number of `type` blocks to floats.
    public static func dequantize(_ type: GGMLType, bytes: [UInt8]) throws(Failure) -> [Float] {
        guard type.isDequantizable else { throw .unsupportedType(type) }
        guard bytes.count % type.blockByteCount == 0 else { throw .notWholeBlocks(type: type, byteCount: bytes.count) }
        let count = bytes.count / type.blockByteCount * type.blockSize
        return bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                dequantize(type, blocks: raw, into: buffer)
                initialized = count
            }
        }
    }

    // MARK: Plain element types

    private static func copyF32(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
        #if _endian(little)
        UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
        #else
        for i in 0..<count { target[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        #endif
    }

    private static func widenF16(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count { target[i] = half(source, i * 2) }
    }

    /// numpy: `(int16 → int32) << 16` viewed as float32, i.e. the bits moved up.
    private static func widenBF16(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0..<count {
            target[i] = Float(bitPattern: UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16)
        }
    }

    // MARK: Shared loads

    /// The f16 at `offset`, widened exactly (numpy's `view(float16).astype(float32)`).
    @inline(__always)
    static func half(_ source: UnsafeRawPointer, _ offset: Int) -> Float {
        floatFromHalfBits(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    @inline(__always)
    static func byte(_ source: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        source.load(fromByteOffset: offset, as: UInt8.self)
    }
}
