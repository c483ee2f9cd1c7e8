/// The 32-element "legacy" quants (ggml-common.h `block_q4_0` … `block_q8_0`): one f16 scale
/// `d` (and for the `_1` types an f16 minimum `m`), then packed codes. Codes 0–15 of byte `j`'s
/// low nibble are element `j`, high nibble element `j + 16`; Q5's fifth bit of element `i` is bit
/// `i` of the little-endian u32 `qh`.
extension GGMLDequantizer {
    /// gguf-py: `d * (q - 8)`; 18 bytes: d, qs[16].
    static func dequantizeQ4_0(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 18, out = target + block * 32
            let d = half(b, 0)
            for j in 0..<16 {
                let x = byte(b, 2 + j)
                out[j] = d * Float(Int8(x & 0x0F) - 8)
                out[j + 16] = d * Float(Int8(x >> 4) - 8)
            }
        }
    }

    /// gguf-py: `(d * q) + m`; 20 bytes: d, m, qs[16].
    static func dequantizeQ4_1(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 20, out = target + block * 32
            let d = half(b, 0), m = half(b, 2)
            for j in 0..<16 {
                let x = byte(b, 4 + j)
                out[j] = d * Float(x & 0x0F) + m
                out[j + 16] = d * Float(x >> 4) + m
            }
        }
    }

    /// gguf-py: `d * (q - 16)`; 22 bytes: d, qh (u32), qs[16].
    static func dequantizeQ5_0(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 22, out = target + block * 32
            let d = half(b, 0)
            let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            for j in 0..<16 {
                let x = byte(b, 6 + j)
                let low = (x & 0x0F) | UInt8(truncatingIfNeeded: (qh >> UInt32(j)) & 1) << 4
                let high = (x >> 4) | UInt8(truncatingIfNeeded: (qh >> UInt32(j + 16)) & 1) << 4
                out[j] = d * Float(Int8(low) - 16)
                out[j + 16] = d * Float(Int8(high) - 16)
            }
        }
    }

    /// gguf-py: `(d * q) + m`; 24 bytes: d, m, qh (u32), qs[16].
    static func dequantizeQ5_1(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 24, out = target + block * 32
            let d = half(b, 0), m = half(b, 2)
            let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            for j in 0..<16 {
                let x = byte(b, 8 + j)
                let low = (x & 0x0F) | UInt8(truncatingIfNeeded: (qh >> UInt32(j)) & 1) << 4
                let high = (x >> 4) | UInt8(truncatingIfNeeded: (qh >> UInt32(j + 16)) & 1) << 4
                out[j] = d * Float(low) + m
                out[j + 16] = d * Float(high) + m
            }
        }
    }

    /// gguf-py: `x * d`; 34 bytes: d, qs[32] as int8.
    static func dequantizeQ8_0(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 34, out = target + block * 32
            let d = half(b, 0)
            for j in 0..<32 {
                out[j] = Float(Int8(bitPattern: byte(b, 2 + j))) * d
            }
        }
    }
}
