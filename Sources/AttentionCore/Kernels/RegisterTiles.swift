/// One register-tiled inner loop: `rows × columns` sums held in vector registers while the
/// depth of `A` and one packed panel of `B` stream past (see `PanelLayout`).
///
/// Every tile keeps two vectors per row, so `columns` is twice the vector width; the tile
/// sizes are the largest whose accumulators, two `B` vectors and one broadcast fit the
/// register file (32 × 512-bit with AVX-512, 16 × 256-bit with AVX2).
///
/// The inner loops use `addProduct`: built with `-target-cpu native` (Package.swift) it becomes
/// one `vfmadd231ps`; `acc += x * b` stays a separate multiply and add, ~30% slower on Zen 5.
/// Without a host CPU target, `addProduct` turns into an `fmaf` call per lane (~1.5 GFLOP/s).
protocol RegisterTile {
    static var rows: Int { get }
    static var columns: Int { get }

    /// `C = scale · A·B + bias` (first depth block, `accumulate == false`) or
    /// `C += scale · A·B` (later blocks) for one tile.
    ///
    /// - Parameters:
    ///   - depth: length of the shared dimension in this block.
    ///   - a: first element of the tile's first row of `A`; rows are `aStride` floats apart.
    ///   - rowCount: real rows, `1...rows`.
    ///   - b: this block of one packed panel, `[depth][columns]`, zero-padded.
    ///   - c: first element of the tile in `C`; rows are `cStride` floats apart.
    ///   - columnCount: real columns, `1...columns`.
    ///   - bias: `columns` floats (padded) added on the first block, or `nil`.
    static func multiply(
        depth: Int, a: UnsafePointer<Float>, aStride: Int, rowCount: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cStride: Int, columnCount: Int, accumulate: Bool,
        bias: UnsafePointer<Float>?, scale: Float
    )
}

@inline(__always)
func loadVector<V: SIMD>(_: V.Type, _ pointer: UnsafePointer<Float>) -> V where V.Scalar == Float {
    UnsafeRawPointer(pointer).loadUnaligned(as: V.self)
}

@inline(__always)
func storeVector<V: SIMD>(_ value: V, _ pointer: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: V.self)
}

/// Stores one tile row `(low, high)`: scaled, plus bias or plus what `C` already holds.
@inline(__always)
func finishRow<V: SIMD>(
    _ out: UnsafeMutablePointer<Float>, _ low: V, _ high: V, _ columnCount: Int,
    _ accumulate: Bool, _ bias: UnsafePointer<Float>?, _ scale: Float
) where V.Scalar == Float {
    let width = V.scalarCount
    var low = low * scale
    var high = high * scale
    if columnCount == 2 * width {
        if accumulate {
            low += loadVector(V.self, out)
            high += loadVector(V.self, out + width)
        } else if let bias {
            low += loadVector(V.self, bias)
            high += loadVector(V.self, bias + width)
        }
        storeVector(low, out)
        storeVector(high, out + width)
    } else {
        for j in 0..<columnCount {
            let sum = j < width ? low[j] : high[j - width]
            out[j] = accumulate ? out[j] + sum : sum + (bias?[j] ?? 0)
        }
    }
}

/// AVX-512: 16 accumulators of 16 lanes.
enum Tile8x32: RegisterTile {
    static let rows = 8
    static let columns = 32

    static func multiply(
        depth: Int, a: UnsafePointer<Float>, aStride: Int, rowCount: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cStride: Int, columnCount: Int, accumulate: Bool,
        bias: UnsafePointer<Float>?, scale: Float
    ) {
        typealias V = SIMD16<Float>
        // Rows past `rowCount` re-read the last real row; their sums are never stored.
        let a0 = a
        let a1 = rowCount > 1 ? a0 + aStride : a0
        let a2 = rowCount > 2 ? a1 + aStride : a1
        let a3 = rowCount > 3 ? a2 + aStride : a2
        let a4 = rowCount > 4 ? a3 + aStride : a3
        let a5 = rowCount > 5 ? a4 + aStride : a4
        let a6 = rowCount > 6 ? a5 + aStride : a5
        let a7 = rowCount > 7 ? a6 + aStride : a6
        var c00 = V(), c01 = V()
        var c10 = V(), c11 = V()
        var c20 = V(), c21 = V()
        var c30 = V(), c31 = V()
        var c40 = V(), c41 = V()
        var c50 = V(), c51 = V()
        var c60 = V(), c61 = V()
        var c70 = V(), c71 = V()
        var bp = b
        for k in 0..<depth {
            let b0 = loadVector(V.self, bp), b1 = loadVector(V.self, bp + 16)
            let x0 = V(repeating: a0[k])
            c00.addProduct(x0, b0); c01.addProduct(x0, b1)
            let x1 = V(repeating: a1[k])
            c10.addProduct(x1, b0); c11.addProduct(x1, b1)
            let x2 = V(repeating: a2[k])
            c20.addProduct(x2, b0); c21.addProduct(x2, b1)
            let x3 = V(repeating: a3[k])
            c30.addProduct(x3, b0); c31.addProduct(x3, b1)
            let x4 = V(repeating: a4[k])
            c40.addProduct(x4, b0); c41.addProduct(x4, b1)
            let x5 = V(repeating: a5[k])
            c50.addProduct(x5, b0); c51.addProduct(x5, b1)
            let x6 = V(repeating: a6[k])
            c60.addProduct(x6, b0); c61.addProduct(x6, b1)
            let x7 = V(repeating: a7[k])
            c70.addProduct(x7, b0); c71.addProduct(x7, b1)
            bp += 32
        }
        finishRow(c, c00, c01, columnCount, accumulate, bias, scale)
        if rowCount > 1 { finishRow(c + 1 * cStride, c10, c11, columnCount, accumulate, bias, scale) }
        if rowCount > 2 { finishRow(c + 2 * cStride, c20, c21, columnCount, accumulate, bias, scale) }
        if rowCount > 3 { finishRow(c + 3 * cStride, c30, c31, columnCount, accumulate, bias, scale) }
        if rowCount > 4 { finishRow(c + 4 * cStride, c40, c41, columnCount, accumulate, bias, scale) }
        if rowCount > 5 { finishRow(c + 5 * cStride, c50, c51, columnCount, accumulate, bias, scale) }
        if rowCount > 6 { finishRow(c + 6 * cStride, c60, c61, columnCount, accumulate, bias, scale) }
        if rowCount > 7 { finishRow(c + 7 * cStride, c70, c71, columnCount, accumulate, bias, scale) }
    }
}

/// AVX2 (and NEON, where it is two 128-bit halves): 12 accumulators of 8 lanes.
enum Tile6x16: RegisterTile {
    static let rows = 6
    static let columns = 16

    static func multiply(
        depth: Int, a: UnsafePointer<Float>, aStride: Int, rowCount: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cStride: Int, columnCount: Int, accumulate: Bool,
        bias: UnsafePointer<Float>?, scale: Float
    ) {
        typealias V = SIMD8<Float>
        // Rows past `rowCount` re-read the last real row; their sums are never stored.
        let a0 = a
        let a1 = rowCount > 1 ? a0 + aStride : a0
        let a2 = rowCount > 2 ? a1 + aStride : a1
        let a3 = rowCount > 3 ? a2 + aStride : a2
        let a4 = rowCount > 4 ? a3 + aStride : a3
        let a5 = rowCount > 5 ? a4 + aStride : a4
        var c00 = V(), c01 = V()
        var c10 = V(), c11 = V()
        var c20 = V(), c21 = V()
        var c30 = V(), c31 = V()
        var c40 = V(), c41 = V()
        var c50 = V(), c51 = V()
        var bp = b
        for k in 0..<depth {
            let b0 = loadVector(V.self, bp), b1 = loadVector(V.self, bp + 8)
            let x0 = V(repeating: a0[k])
            c00.addProduct(x0, b0); c01.addProduct(x0, b1)
            let x1 = V(repeating: a1[k])
            c10.addProduct(x1, b0); c11.addProduct(x1, b1)
            let x2 = V(repeating: a2[k])
            c20.addProduct(x2, b0); c21.addProduct(x2, b1)
            let x3 = V(repeating: a3[k])
            c30.addProduct(x3, b0); c31.addProduct(x3, b1)
            let x4 = V(repeating: a4[k])
            c40.addProduct(x4, b0); c41.addProduct(x4, b1)
            let x5 = V(repeating: a5[k])
            c50.addProduct(x5, b0); c51.addProduct(x5, b1)
            bp += 16
        }
        finishRow(c, c00, c01, columnCount, accumulate, bias, scale)
        if rowCount > 1 { finishRow(c + 1 * cStride, c10, c11, columnCount, accumulate, bias, scale) }
        if rowCount > 2 { finishRow(c + 2 * cStride, c20, c21, columnCount, accumulate, bias, scale) }
        if rowCount > 3 { finishRow(c + 3 * cStride, c30, c31, columnCount, accumulate, bias, scale) }
        if rowCount > 4 { finishRow(c + 4 * cStride, c40, c41, columnCount, accumulate, bias, scale) }
        if rowCount > 5 { finishRow(c + 5 * cStride, c50, c51, columnCount, accumulate, bias, scale) }
    }
}

/// Any CPU with 128-bit vectors (SSE2 baseline): 8 accumulators of 4 lanes.
enum Tile4x8: RegisterTile {
    static let rows = 4
    static let columns = 8

    static func multiply(
        depth: Int, a: UnsafePointer<Float>, aStride: Int, rowCount: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, cStride: Int, columnCount: Int, accumulate: Bool,
        bias: UnsafePointer<Float>?, scale: Float
    ) {
        typealias V = SIMD4<Float>
        // Rows past `rowCount` re-read the last real row; their sums are never stored.
        let a0 = a
        let a1 = rowCount > 1 ? a0 + aStride : a0
        let a2 = rowCount > 2 ? a1 + aStride : a1
        let a3 = rowCount > 3 ? a2 + aStride : a2
        var c00 = V(), c01 = V()
        var c10 = V(), c11 = V()
        var c20 = V(), c21 = V()
        var c30 = V(), c31 = V()
        var bp = b
        for k in 0..<depth {
            let b0 = loadVector(V.self, bp), b1 = loadVector(V.self, bp + 4)
            let x0 = V(repeating: a0[k])
            c00.addProduct(x0, b0); c01.addProduct(x0, b1)
            let x1 = V(repeating: a1[k])
            c10.addProduct(x1, b0); c11.addProduct(x1, b1)
            let x2 = V(repeating: a2[k])
            c20.addProduct(x2, b0); c21.addProduct(x2, b1)
            let x3 = V(repeating: a3[k])
            c30.addProduct(x3, b0); c31.addProduct(x3, b1)
            bp += 8
        }
        finishRow(c, c00, c01, columnCount, accumulate, bias, scale)
        if rowCount > 1 { finishRow(c + 1 * cStride, c10, c11, columnCount, accumulate, bias, scale) }
        if rowCount > 2 { finishRow(c + 2 * cStride, c20, c21, columnCount, accumulate, bias, scale) }
        if rowCount > 3 { finishRow(c + 3 * cStride, c30, c31, columnCount, accumulate, bias, scale) }
    }
}
