import Testing
@testable import AttentionCore

/// The vectorized `GGMLDequantizer` against the per-element scalar code it replaced
/// (`ScalarDequantizerReference`), bit for bit, on thousands of random blocks per type: random
/// codes and sub-scales, and f16 scales drawn from every finite f16 (subnormals, ±0 and the
/// largest finite included), so any change in operation order, a fused multiply-add or a wrong
/// lane shows up as a differing element. The gguf-py fixtures (`GGUFDequantizeTests`) hold only
/// a dozen blocks per type; these cover many more code and scale combinations.
@Suite("Dequantizer SIMD parity")
struct DequantizerSIMDParityTests {
    static let types: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    /// Byte offsets of the f16 scale fields in one block of `type` (ggml-common.h).
    static func halfFields(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_1, .q5_1, .q4_K, .q5_K: [0, 2]
        case .q2_K: [80, 82]
        case .q3_K: [108]
        case .q6_K: [208]
        default: [0]
        }
    }

    /// A finite f16 bit pattern: random in most draws, else one of the edge values.
    static func finiteHalf(_ generator: inout SplitMix64) -> UInt16 {
        let edges: [UInt16] = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x7BFF, 0xFBFF, 0x3C00]
        let draw = generator.next()
        if draw % 8 == 0 { return edges[Int(draw >> 8) % edges.count] }
        let bits = UInt16(truncatingIfNeeded: draw >> 16)
        return bits & 0x7C00 == 0x7C00 ? bits & 0xBFFF : bits // exponent 31 (inf, NaN) → 15
    }

    static func randomBlocks(_ type: GGMLType, count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes = (0..<count * type.blockByteCount).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for block in 0..<count {
            for field in halfFields(type) {
                let bits = finiteHalf(&generator), at = block * type.blockByteCount + field
                bytes[at] = UInt8(bits & 0xFF)
                bytes[at + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }

    /// The first element whose bits differ, described, or nil when all are identical.
    static func firstDifference(_ type: GGMLType, _ bytes: [UInt8], _ actual: [Float]) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            guard let base = raw.baseAddress else { return "no bytes" }
            for block in 0..<bytes.count / type.blockByteCount {
                let expected = ScalarDequantizerReference.dequantize(type, block: base + block * type.blockByteCount)
                for (k, value) in expected.enumerated() {
                    let got = actual[block * type.blockSize + k]
                    if got.bitPattern != value.bitPattern {
                        return "\(type.name) block \(block) element \(k): \(got) (0x\(String(got.bitPattern, radix: 16))), scalar \(value) (0x\(String(value.bitPattern, radix: 16)))"
                    }
                }
            }
            return nil
        }
    }

    @Test(arguments: types)
    func manyRandomBlocksMatchTheScalarCode(type: GGMLType) throws {
        let count = type.blockSize == 256 ? 4000 : 20000
        let bytes = Self.randomBlocks(type, count: count, seed: 0x5EED + UInt64(type.rawValue))
        let actual = try GGMLDequantizer.dequantize(type, bytes: bytes)
        #expect(actual.count == count * type.blockSize)
        let difference = Self.firstDifference(type, bytes, actual)
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// Runs of 1 to 5 blocks, each dequantized on its own: no lane of one block leaks into the
    /// next, whatever the run length.
    @Test(arguments: types)
    func shortRunsMatchTheScalarCode(type: GGMLType) throws {
        for count in 1...5 {
            let bytes = Self.randomBlocks(type, count: count, seed: 0xB10C + UInt64(count))
            let actual = try GGMLDequantizer.dequantize(type, bytes: bytes)
            let difference = Self.firstDifference(type, bytes, actual)
            #expect(difference == nil, "\(count) blocks: \(difference ?? "")")
        }
    }
}
