/// Moves weight rows dequantized side by side (`[rows][depth]`, `QuantizedMultiply.swift`) into
/// one panel block (`[depth][width]`), the layout the register tiles read.
///
/// Whole 8 × 8 tiles go through registers: eight row vectors are loaded and regrouped by three
/// rounds of two-vector shuffles (unpack pairs, pair the pairs, swap 128-bit halves), about twice
/// as fast here as gathering one float per lane. Only floats move, so the panel holds exactly
/// the dequantized values.
enum PanelTranspose {
    /// Writes `panel[k · width + j] = rows[j · depth + k]` for `j < valid`, `k < depth`, and zero
    /// for `valid ≤ j < width`.
    static func rowsToPanel(_ rows: UnsafePointer<Float>, valid: Int, depth: Int,
                            into panel: UnsafeMutablePointer<Float>, width: Int) {
        let fullRows = valid & ~7, fullDepth = depth & ~7
        var k0 = 0
        while k0 < fullDepth {
            var j0 = 0
            while j0 < fullRows {
                tile8x8(rows + (j0 &* depth &+ k0), depth, panel + (k0 &* width &+ j0), width)
                j0 &+= 8
            }
            k0 &+= 8
        }
        for k in 0..<depth {
            let out = panel + k * width
            for j in (k < fullDepth ? fullRows : 0)..<valid { out[j] = rows[j &* depth &+ k] }
            for j in valid..<width { out[j] = 0 }
        }
    }

    /// One 8 × 8 tile: row `r` of `source` (stride `sourceStride`) becomes column `r` of
    /// `target` (stride `targetStride`).
    @inline(__always)
    private static func tile8x8(_ source: UnsafePointer<Float>, _ sourceStride: Int,
                                _ target: UnsafeMutablePointer<Float>, _ targetStride: Int) {
        typealias V = SIMD8<Float>
        let r0 = loadVector(V.self, source), r1 = loadVector(V.self, source + sourceStride)
        let r2 = loadVector(V.self, source + 2 &* sourceStride), r3 = loadVector(V.self, source + 3 &* sourceStride)
        let r4 = loadVector(V.self, source + 4 &* sourceStride), r5 = loadVector(V.self, source + 5 &* sourceStride)
        let r6 = loadVector(V.self, source + 6 &* sourceStride), r7 = loadVector(V.self, source + 7 &* sourceStride)
        // t: rows interleaved in pairs; u: four rows' element k (k, k+4 in the two halves).
        let t0 = unpackLow(r0, r1), t1 = unpackHigh(r0, r1), t2 = unpackLow(r2, r3), t3 = unpackHigh(r2, r3)
        let t4 = unpackLow(r4, r5), t5 = unpackHigh(r4, r5), t6 = unpackLow(r6, r7), t7 = unpackHigh(r6, r7)
        let u0 = pairLow(t0, t2), u1 = pairHigh(t0, t2), u2 = pairLow(t1, t3), u3 = pairHigh(t1, t3)
        let u4 = pairLow(t4, t6), u5 = pairHigh(t4, t6), u6 = pairLow(t5, t7), u7 = pairHigh(t5, t7)
        storeVector(lowHalves(u0, u4), target)
        storeVector(lowHalves(u1, u5), target + targetStride)
        storeVector(lowHalves(u2, u6), target + 2 &* targetStride)
        storeVector(lowHalves(u3, u7), target + 3 &* targetStride)
        storeVector(highHalves(u0, u4), target + 4 &* targetStride)
        storeVector(highHalves(u1, u5), target + 5 &* targetStride)
        storeVector(highHalves(u2, u6), target + 6 &* targetStride)
        storeVector(highHalves(u3, u7), target + 7 &* targetStride)
    }

    @inline(__always)
    private static func unpackLow(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5])
    }

    @inline(__always)
    private static func unpackHigh(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7])
    }

    @inline(__always)
    private static func pairLow(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5])
    }

    @inline(__always)
    private static func pairHigh(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7])
    }

    @inline(__always)
    private static func lowHalves(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3])
    }

    @inline(__always)
    private static func highHalves(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(a[4], a[5], a[6], a[7], b[4], b[5], b[6], b[7])
    }
}
