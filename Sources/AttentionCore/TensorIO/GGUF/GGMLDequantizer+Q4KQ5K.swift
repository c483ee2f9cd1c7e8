/// Q4_K and Q5_K (ggml-common.h `block_q4_K`, `block_q5_K`): eight sub-blocks of 32 elements,
/// each with a 6-bit scale and minimum, gguf-py's `(d * sc) * q - (dmin * m)`. A 32-byte run
/// of `qs` holds two sub-blocks (low nibbles, then high nibbles), so each run is read once and
/// written as 64 floats by one lane loop (see `GGMLDequantizer+KQuants.swift`).
extension GGMLDequantizer {
    /// The eight 6-bit scales and minimums packed in 12 bytes at `offset` (Q4_K and Q5_K).
    @inline(__always)
    private static func scaleAndMin(_ b: UnsafeRawPointer, _ offset: Int, _ j: Int) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (byte(b, offset &+ j) & 0x3F, byte(b, offset &+ j &+ 4) & 0x3F)
        }
        let packed = byte(b, offset &+ j &+ 4)
        return ((packed & 0x0F) | ((byte(b, offset &+ j &- 4) &>> 2) & 0x30),
                (packed &>> 4) | ((byte(b, offset &+ j) &>> 2) & 0x30))
    }

    /// 144 bytes: d, dmin, scales[12], qs[128]. Element `c·64 + t·32 + l` is nibble `t` of
    /// `qs[c·32 + l]`, in sub-block `2c + t`.
    static func dequantizeQ4_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 144, out = target + block * 256
            let d = half(b, 0), dmin = half(b, 2)
            let codes = (b + 16).assumingMemoryBound(to: UInt8.self)
            for c in 0..<4 {
                let (s0, m0) = scaleAndMin(b, 4, 2 &* c), (s1, m1) = scaleAndMin(b, 4, 2 &* c &+ 1)
                nibbleRun(codes + c &* 32, d * Float(s0), dmin * Float(m0), d * Float(s1), dmin * Float(m1),
                          out + c &* 64)
            }
        }
    }

    /// 32 bytes of two 4-bit codes: low nibbles to `out[0..<32]` as `dl0 * q - ml0`, high nibbles
    /// to `out[32..<64]` as `dl1 * q - ml1` (a multiply, then a subtract: not fused).
    @inline(__always)
    private static func nibbleRun(_ codes: UnsafePointer<UInt8>, _ dl0: Float, _ ml0: Float, _ dl1: Float, _ ml1: Float,
                                  _ out: UnsafeMutablePointer<Float>) {
        for l in 0..<32 {
            let x = codes[l]
            out[l] = dl0 * Float(x & 0x0F) - ml0
            out[l &+ 32] = dl1 * Float(x &>> 4) - ml1
        }
    }

    /// 176 bytes: d, dmin, scales[12], qh[32], qs[128]. As Q4_K plus a fifth bit: bit `g` of
    /// `qh[l]` for element `g·32 + l`.
    static func dequantizeQ5_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 176, out = target + block * 256
            let d = half(b, 0), dmin = half(b, 2)
            let highBits = (b + 16).assumingMemoryBound(to: UInt8.self)
            let codes = (b + 48).assumingMemoryBound(to: UInt8.self)
            for c in 0..<4 {
                let (s0, m0) = scaleAndMin(b, 4, 2 &* c), (s1, m1) = scaleAndMin(b, 4, 2 &* c &+ 1)
                fiveBitRun(codes + c &* 32, highBits, shift: UInt8(truncatingIfNeeded: 2 &* c),
                           d * Float(s0), dmin * Float(m0), d * Float(s1), dmin * Float(m1), out + c &* 64)
            }
        }
    }

    /// As `nibbleRun`, with bit `shift` (low nibbles) and `shift + 1` (high nibbles) of
    /// `highBits[l]` as each code's fifth bit.
    @inline(__always)
    private static func fiveBitRun(_ codes: UnsafePointer<UInt8>, _ highBits: UnsafePointer<UInt8>, shift: UInt8,
                                   _ dl0: Float, _ ml0: Float, _ dl1: Float, _ ml1: Float,
                                   _ out: UnsafeMutablePointer<Float>) {
        for l in 0..<32 {
            let x = codes[l], h = highBits[l] &>> shift
            out[l] = dl0 * Float((x & 0x0F) | (h & 1) &<< 4) - ml0
            out[l &+ 32] = dl1 * Float((x &>> 4) | (h & 2) &<< 3) - ml1
        }
    }
}
