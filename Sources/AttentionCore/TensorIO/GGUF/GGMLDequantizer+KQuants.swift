/// The 256-element "K" super-block quants (ggml-common.h `block_q2_K` … `block_q6_K`), each
/// split into sub-blocks of 16 or 32 elements with their own small scales, themselves scaled
/// by f16 `d` (and `dmin` for minimums). The element order follows gguf-py's reshapes, which
/// are ggml's `dequantize_row_q*_K` loops. Q4_K and Q5_K are in `GGMLDequantizer+Q4KQ5K.swift`,
/// Q6_K in `GGMLDequantizer+Q6K.swift`.
///
/// Each sub-block is one lane loop of constant trip count over its packed bytes (`…Run`), with
/// wrapping index and shift arithmetic: LLVM turns it into byte-to-float conversions and
/// `vmulps`/`vsubps` on whole vectors. The per-element operations are those of the scalar code
/// they replaced, in the same order (`DequantizerSIMDParityTests`).
extension GGMLDequantizer {
    /// 84 bytes: scales[16] (low nibble scale, high nibble min), qs[64] (2-bit), d, dmin.
    /// Element `h·128 + s·32 + l` is bits `2s…2s+1` of `qs[h·32 + l]`, in sub-block `i / 16`.
    /// gguf-py: `(d * sc) * q - (dmin * m)`.
    static func dequantizeQ2_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 84, out = target + block * 256
            let d = half(b, 80), dmin = half(b, 82)
            let bytes = b.assumingMemoryBound(to: UInt8.self)
            // Sub-block `h·8 + s·2 + part` is elements `h·128 + s·32 + part·16 ..< +16`.
            for h in 0..<2 {
                for part in 0..<2 {
                    let codes = bytes + (16 &+ h &* 32 &+ part &* 16)
                    for s in 0..<4 {
                        let scale = bytes[h &* 8 &+ s &* 2 &+ part]
                        twoBitRun(codes, shift: UInt8(truncatingIfNeeded: 2 &* s),
                                  d * Float(scale & 0x0F), dmin * Float(scale &>> 4),
                                  out + (h &* 128 &+ s &* 32 &+ part &* 16))
                    }
                }
            }
        }
    }

    /// 16 elements `dl * q - ml` with `q` bits `shift…shift+1` of `codes[l]`.
    @inline(__always)
    private static func twoBitRun(_ codes: UnsafePointer<UInt8>, shift: UInt8, _ dl: Float, _ ml: Float,
                                  _ out: UnsafeMutablePointer<Float>) {
        for l in 0..<16 { out[l] = dl * Float((codes[l] &>> shift) & 3) - ml }
    }

    /// 110 bytes: hmask[32], qs[64] (low 2 bits), scales[12] (16 six-bit signed scales), d.
    /// Element `i = h·128 + s·32 + l`: low bits `2s…` of `qs[h·32 + l]`; high bit `i / 32` of
    /// `hmask[l]`, and a clear high bit subtracts 4. gguf-py: `(d * (sc - 32)) * q`.
    static func dequantizeQ3_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 110, out = target + block * 256
            let d = half(b, 108)
            let bytes = b.assumingMemoryBound(to: UInt8.self)
            for h in 0..<2 {
                for part in 0..<2 {
                    let codes = bytes + (32 &+ h &* 32 &+ part &* 16), highBits = bytes + part &* 16
                    for s in 0..<4 {
                        let dl = d * Float(q3Scale(b, group: h &* 8 &+ s &* 2 &+ part))
                        threeBitRun(codes, highBits, shift: UInt8(truncatingIfNeeded: 2 &* s),
                                    bit: UInt8(truncatingIfNeeded: h &* 4 &+ s), dl,
                                    out + (h &* 128 &+ s &* 32 &+ part &* 16))
                    }
                }
            }
        }
    }

    /// Sub-block `group`'s signed scale (−32…31): 4 low bits from `scales[0..<8]`, 2 high bits
    /// from `scales[8..<12]`.
    @inline(__always)
    private static func q3Scale(_ b: UnsafeRawPointer, group: Int) -> Int8 {
        let low = group < 8 ? byte(b, 96 &+ group) & 0x0F : byte(b, 96 &+ group &- 8) &>> 4
        let high = (byte(b, 104 &+ (group & 3)) &>> UInt8(truncatingIfNeeded: 2 &* (group &>> 2))) & 3
        return Int8(bitPattern: low | high &<< 4) &- 32
    }

    /// 16 elements `dl * (q - 4·(1 − hbit))`: `q` bits `shift…` of `codes[l]`, `hbit` bit `bit`
    /// of `highBits[l]`.
    @inline(__always)
    private static func threeBitRun(_ codes: UnsafePointer<UInt8>, _ highBits: UnsafePointer<UInt8>, shift: UInt8,
                                    bit: UInt8, _ dl: Float, _ out: UnsafeMutablePointer<Float>) {
        for l in 0..<16 {
            let low = Int8(bitPattern: (codes[l] &>> shift) & 3)
            let clear = Int8(bitPattern: ((highBits[l] &>> bit) & 1) ^ 1)
            out[l] = dl * Float(low &- clear &<< 2)
        }
    }
}
