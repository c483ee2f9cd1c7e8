/// Q6_K (ggml-common.h `block_q6_K`): sixteen sub-blocks of 16 elements with signed 8-bit
/// scales, gguf-py's `(d * sc) * (q - 32)`.
extension GGMLDequantizer {
    /// 210 bytes: ql[128], qh[64], scales[16] (int8), d. Element `i = h·128 + s·64 + l` takes
    /// nibble `s` of `ql[h·64 + l]`; element `h·128 + t·32 + l` takes bits `2t…` of
    /// `qh[h·32 + l]`.
    static func dequantizeQ6_K(_ source: UnsafeRawPointer, _ target: UnsafeMutablePointer<Float>, _ blockCount: Int) {
        for block in 0..<blockCount {
            let b = source + block * 210, out = target + block * 256
            let d = half(b, 208)
            let bytes = b.assumingMemoryBound(to: UInt8.self)
            let scales = (b + 192).assumingMemoryBound(to: Int8.self)
            for h in 0..<2 {
                for part in 0..<2 {
                    // Elements `h·128 + t·32 + part·16 ..< +16` are sub-block `h·8 + t·2 + part`.
                    let l0 = part &* 16, group = h &* 8 &+ part
                    sixBitRun(bytes + (h &* 64 &+ l0), bytes + (128 &+ h &* 32 &+ l0),
                              d * Float(scales[group]), d * Float(scales[group &+ 2]),
                              d * Float(scales[group &+ 4]), d * Float(scales[group &+ 6]),
                              out + (h &* 128 &+ l0))
                }
            }
        }
    }

    /// Four runs of 16 elements, at `out[t·32 ..< t·32 + 16]` for `t` in 0…3, each
    /// `dl_t * (q - 32)`: `q`'s low nibble from `low[l]` (t 0, 2) or `low[l + 32]` (t 1, 3),
    /// low nibble first, and its two high bits from bits `2t…` of `high[l]`.
    @inline(__always)
    private static func sixBitRun(_ low: UnsafePointer<UInt8>, _ high: UnsafePointer<UInt8>,
                                  _ dl0: Float, _ dl1: Float, _ dl2: Float, _ dl3: Float,
                                  _ out: UnsafeMutablePointer<Float>) {
        for l in 0..<16 {
            let a = low[l], b = low[l &+ 32], h = high[l]
            out[l] = dl0 * Float(Int8(bitPattern: (a & 0x0F) | (h & 3) &<< 4) &- 32)
            out[l &+ 32] = dl1 * Float(Int8(bitPattern: (b & 0x0F) | ((h &>> 2) & 3) &<< 4) &- 32)
            out[l &+ 64] = dl2 * Float(Int8(bitPattern: (a &>> 4) | ((h &>> 4) & 3) &<< 4) &- 32)
            out[l &+ 96] = dl3 * Float(Int8(bitPattern: (b &>> 4) | ((h &>> 6) & 3) &<< 4) &- 32)
        }
    }
}
