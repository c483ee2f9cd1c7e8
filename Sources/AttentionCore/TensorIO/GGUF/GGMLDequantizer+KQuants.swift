/// The 256-element "K" super-block quants (ggml-common.h `block_q2_K` … `block_q6_K`), each
/// split into sub-blocks of 16 or 32 elements with their own small scales, themselves scaled
/// by f16 `d` (and `dmin` for minimums). The element order follows gguf-py's reshapes, which
/// are ggml's `dequantize_row_q*_K` loops.
extension GGMLDequantizer {
    /// 84 bytes: scales[16] (low nibble scale, high nibble min), qs[64] (2-bit), d, dmin.
    /// Element `h·128 + s·32 + l` is bits `2s…2s+1` of `qs[h·32 + l]`, in sub-block `i / 16`.
    /// gguf-py: `(d * sc) * q - (dmin * m)`.
    static func dequantizeQ2_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 84, out = target + block * 256
            let d = half(b, 80), dmin = half(b, 82)
            for group in 0..<16 {
                let scale = byte(b, group)
                let dl = d * Float(scale & 0x0F), ml = dmin * Float(scale >> 4)
                for k in 0..<16 {
                    let i = group * 16 + k
                    let h = i >> 7, s = (i >> 5) & 3, l = i & 31
                    let q = (byte(b, 16 + h * 32 + l) >> UInt8(2 * s)) & 3
                    out[i] = dl * Float(q) - ml
                }
            }
        }
    }

    /// 110 bytes: hmask[32], qs[64] (low 2 bits), scales[12] (16 six-bit signed scales), d.
    /// Element `i = h·128 + s·32 + l`: low bits `2s…` of `qs[h·32 + l]`; high bit `i / 32` of
    /// `hmask[l]`, and a clear high bit subtracts 4. gguf-py: `(d * (sc - 32)) * q`.
    static func dequantizeQ3_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 110, out = target + block * 256
            let d = half(b, 108)
            for group in 0..<16 {
                let low = group < 8 ? byte(b, 96 + group) & 0x0F : byte(b, 96 + group - 8) >> 4
                let high = (byte(b, 104 + (group & 3)) >> UInt8(2 * (group >> 2))) & 3
                let dl = d * Float(Int8(low | high << 4) - 32)
                for k in 0..<16 {
                    let i = group * 16 + k
                    let h = i >> 7, s = (i >> 5) & 3, l = i & 31
                    let q = Int8((byte(b, 32 + h * 32 + l) >> UInt8(2 * s)) & 3)
                    let bit = Int8((byte(b, l) >> UInt8(i >> 5)) & 1)
                    out[i] = dl * Float(q - ((bit ^ 1) << 2))
                }
            }
        }
    }

    /// The eight 6-bit scales and minimums packed in 12 bytes at `offset` (Q4_K and Q5_K).
    @inline(__always)
    private static func scaleAndMin(_ b: UnsafeRawPointer, _ offset: Int, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(b, offset + j) & 0x3F, byte(b, offset + j + 4) & 0x3F)
        }
        let packed = byte(b, offset + j + 4)
        return ((packed & 0x0F) | ((byte(b, offset + j - 4) >> 2) & 0x30),
                (packed >> 4) | ((byte(b, offset + j) >> 2) & 0x30))
    }

    /// 144 bytes: d, dmin, scales[12], qs[128]. Element `c·64 + t·32 + l` is nibble `t` of
    /// `qs[c·32 + l]`, in sub-block `2c + t`. gguf-py: `(d * sc) * q - (dmin * m)`.
    static func dequantizeQ4_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 144, out = target + block * 256
            let d = half(b, 0), dmin = half(b, 2)
            for group in 0..<8 {
                let (scale, minimum) = scaleAndMin(b, 4, group)
                let dl = d * Float(scale), ml = dmin * Float(minimum)
                let c = group >> 1, shift = UInt8(4 * (group & 1))
                let o = out + group * 32
                for l in 0..<32 {
                    o[l] = dl * Float((byte(b, 16 + c * 32 + l) >> shift) & 0x0F) - ml
                }
            }
        }
    }

    /// 176 bytes: d, dmin, scales[12], qh[32], qs[128]. As Q4_K plus a fifth bit: bit `g` of
    /// `qh[l]` for element `g·32 + l`.
    static func dequantizeQ5_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 176, out = target + block * 256
            let d = half(b, 0), dmin = half(b, 2)
            for group in 0..<8 {
                let (scale, minimum) = scaleAndMin(b, 4, group)
                let dl = d * Float(scale), ml = dmin * Float(minimum)
                let c = group >> 1, shift = UInt8(4 * (group & 1))
                let o = out + group * 32
                for l in 0..<32 {
                    let q = ((byte(b, 48 + c * 32 + l) >> shift) & 0x0F) | ((byte(b, 16 + l) >> UInt8(group)) & 1) << 4
                    o[l] = dl * Float(q) - ml
                }
            }
        }
    }

    /// 210 bytes: ql[128], qh[64], scales[16] (int8), d. Element `i = h·128 + s·64 + l` takes
    /// nibble `s` of `ql[h·64 + l]`; element `h·128 + t·32 + l` takes bits `2t…` of
    /// `qh[h·32 + l]`. gguf-py: `(d * sc) * (q - 32)` with sub-blocks of 16.
    static func dequantizeQ6_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 210, out = target + block * 256
            let d = half(b, 208)
            for group in 0..<16 {
                let dl = d * Float(Int8(bitPattern: byte(b, 192 + group)))
                for k in 0..<16 {
                    let i = group * 16 + k
                    let h = i >> 7, e = i & 127
                    let low = (byte(b, h * 64 + (e & 63)) >> UInt8(4 * (e >> 6))) & 0x0F
                    let high = (byte(b, 128 + h * 32 + (e & 31)) >> UInt8(2 * (e >> 5))) & 3
                    out[i] = dl * Float(Int8(low | high << 4) - 32)
                }
            }
        }
    }
}
