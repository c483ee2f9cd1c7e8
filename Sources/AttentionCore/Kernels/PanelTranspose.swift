/// Moves weight rows (`[rows][depth]`: dequantized side by side in `QuantizedMultiply.swift`, or
/// a float32 `[out][in]` weight being packed, `PanelLayout.pack`) into one panel block
/// (`[depth][width]`), the layout the register tiles read.
///
/// Whole 4 × 4 tiles go through registers: four row vectors are loaded and regrouped by two
/// rounds of two-vector shuffles (interleave pairs of rows, then pair the halves), which LLVM
/// turns into `unpcklps`/`unpckhps`/`shufps` on x86. Measured here against an 8 × 8 version (whose
/// shuffles LLVM rewrote into broadcast loads and blends) and the former one-float-per-lane
/// gather: 5.3, 3.2 and 0.8 G floats/s. Only floats move, so the panel holds exactly the
/// dequantized values.
enum PanelTranspose {
    /// Writes `panel[k · width + j] = rows[j · rowStride + k]` for `j < valid`, `k < depth`, and
    /// zero for `valid ≤ j < width`. `rowStride` is `depth` unless the rows are longer.
    static func rowsToPanel(_ rows: UnsafePointer<Float>, valid: Int, depth: Int, rowStride: Int? = nil,
                            into panel: UnsafeMutablePointer<Float>, width: Int) {
        let stride = rowStride ?? depth
        let fullRows = valid & ~3, fullDepth = depth & ~3
        var k0 = 0
        while k0 < fullDepth {
            var j0 = 0
            while j0 < fullRows {
                tile4x4(rows + (j0 &* stride &+ k0), stride, panel + (k0 &* width &+ j0), width)
                j0 &+= 4
            }
            k0 &+= 4
        }
        if fullRows < valid {
            for k in 0..<fullDepth { copyColumn(rows, rowRange: fullRows..<valid, stride: stride, k, into: panel + k * width) }
        }
        for k in fullDepth..<depth { copyColumn(rows, rowRange: 0..<valid, stride: stride, k, into: panel + k * width) }
        if valid < width {
            for k in 0..<depth { (panel + k * width + valid).update(repeating: 0, count: width - valid) }
        }
    }

    /// Element `k` of each row in `rowRange`, one float at a time: the edges the tiles miss.
    @inline(__always)
    private static func copyColumn(_ rows: UnsafePointer<Float>, rowRange: Range<Int>, stride: Int, _ k: Int,
                                   into out: UnsafeMutablePointer<Float>) {
        for j in rowRange { out[j] = rows[j &* stride &+ k] }
    }

    /// One 4 × 4 tile: row `r` of `source` (stride `sourceStride`) becomes column `r` of
    /// `target` (stride `targetStride`).
    @inline(__always)
    private static func tile4x4(_ source: UnsafePointer<Float>, _ sourceStride: Int,
                                _ target: UnsafeMutablePointer<Float>, _ targetStride: Int) {
        typealias V = SIMD4<Float>
        let r0 = loadVector(V.self, source), r1 = loadVector(V.self, source + sourceStride)
        let r2 = loadVector(V.self, source + 2 &* sourceStride), r3 = loadVector(V.self, source + 3 &* sourceStride)
        // t0: rows 0 and 1 at k, k+1 interleaved; t1 at k+2, k+3; t2, t3 the same for rows 2, 3.
        let t0 = V(r0[0], r1[0], r0[1], r1[1]), t1 = V(r0[2], r1[2], r0[3], r1[3])
        let t2 = V(r2[0], r3[0], r2[1], r3[1]), t3 = V(r2[2], r3[2], r2[3], r3[3])
        storeVector(V(t0[0], t0[1], t2[0], t2[1]), target)
        storeVector(V(t0[2], t0[3], t2[2], t2[3]), target + targetStride)
        storeVector(V(t1[0], t1[1], t3[0], t3[1]), target + 2 &* targetStride)
        storeVector(V(t1[2], t1[3], t3[2], t3[3]), target + 3 &* targetStride)
    }
}
