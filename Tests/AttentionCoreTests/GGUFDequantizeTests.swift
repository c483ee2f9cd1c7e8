import Foundation
import Testing
@testable import AttentionCore

/// Float bit patterns as the fixture scripts write them: little-endian u32s in hex.
enum FloatBits {
    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let nibble = c <= 57 ? c - 48 : (c | 0x20) - 87
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return bytes
    }

    static func bits(hex: String) -> [UInt32] {
        let raw = bytes(hex: hex)
        return stride(from: 0, to: raw.count, by: 4).map {
            UInt32(raw[$0]) | UInt32(raw[$0 + 1]) << 8 | UInt32(raw[$0 + 2]) << 16 | UInt32(raw[$0 + 3]) << 24
        }
    }

    /// The first index where the floats' bits differ, with both values, or nil when identical.
    static func firstDifference(_ actual: [Float], _ expected: [UInt32]) -> String? {
        guard actual.count == expected.count else { return "\(actual.count) values, expected \(expected.count)" }
        for (index, (value, bits)) in zip(actual, expected).enumerated() where value.bitPattern != bits {
            return "element \(index): \(value) (0x\(String(value.bitPattern, radix: 16))), expected \(Float(bitPattern: bits)) (0x\(String(bits, radix: 16)))"
        }
        return nil
    }
}

/// Dequantization against gguf-py 0.19.0's `gguf.quants.dequantize`, bit for bit, on the
/// blocks `Tests/Fixtures/gguf/make_gguf_fixtures.py` wrote: random blocks with finite f16
/// scales, all-zero blocks, zero scales, largest and smallest codes, negative-zero scales,
/// the largest finite and the smallest subnormal f16 scales.
///
/// No ulp tolerance is needed anywhere: each numpy operation is one `Float` operation here,
/// in the same order, and Swift does not fuse `a * b + c` into an FMA. F16 fixtures hold
/// no NaN because numpy's and the CPU's half conversions may treat signalling NaN payloads
/// differently; F32 and BF16 fixtures do hold NaNs (their conversion is a bit move).
@Suite("GGUF dequantization")
struct GGUFDequantizeTests {
    struct Case: Decodable {
        let type: String
        let bytes: String
        let expected_f32_bits: String
    }

    struct Fixture: Decodable {
        let cases: [Case]
    }

    static let fixture: Fixture? = try? JSONDecoder().decode(
        Fixture.self, from: Data(contentsOf: Fixtures.url("gguf/dequantize-blocks.json")))

    static let types: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    @Test func everyDequantizableTypeHasFixtures() throws {
        let fixture = try #require(Self.fixture, "Tests/Fixtures/gguf/dequantize-blocks.json is missing or unreadable")
        #expect(Set(fixture.cases.map(\.type)) == Set(Self.types.map(\.name)))
        #expect(Set(GGMLType.dequantizable) == Set(Self.types))
    }

    @Test(arguments: types)
    func bitIdenticalToGGUFPy(type: GGMLType) throws {
        let fixture = try #require(Self.fixture)
        let testCase = try #require(fixture.cases.first { $0.type == type.name })
        let bytes = FloatBits.bytes(hex: testCase.bytes)
        let expected = FloatBits.bits(hex: testCase.expected_f32_bits)
        let actual = try GGMLDequantizer.dequantize(type, bytes: bytes)
        #expect(FloatBits.firstDifference(actual, expected) == nil, "\(type.name): \(FloatBits.firstDifference(actual, expected) ?? "")")
        if type.isQuantized {
            // The edge blocks really are there: zeros from the all-zero block, and a negative zero
            // or a value at the code extremes somewhere.
            #expect(actual.contains(0))
            #expect(bytes.count / type.blockByteCount >= 12)
        }
    }

    @Test func unsupportedTypesAndPartialBlocksAreErrors() throws {
        #expect(throws: GGMLDequantizer.Failure.unsupportedType(.iq4_XS)) { try GGMLDequantizer.dequantize(.iq4_XS, bytes: [0]) }
        #expect(throws: GGMLDequantizer.Failure.notWholeBlocks(type: .q4_0, byteCount: 17)) {
            try GGMLDequantizer.dequantize(.q4_0, bytes: [UInt8](repeating: 0, count: 17))
        }
    }

    @Test func blockSizesMatchGGML() {
        #expect(GGMLType.q4_K.blockByteCount == 144 && GGMLType.q6_K.blockByteCount == 210)
        #expect(GGMLType.q2_K.blockByteCount == 84 && GGMLType.q3_K.blockByteCount == 110 && GGMLType.q5_K.blockByteCount == 176)
        #expect(GGMLType.q4_1.blockByteCount == 20 && GGMLType.q5_0.blockByteCount == 22 && GGMLType.q8_0.blockByteCount == 34)
    }
}
