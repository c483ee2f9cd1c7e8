/// `C = scale · A · B + bias` with `B` already packed (`PanelLayout`): the one matrix multiply
/// behind `Linear` and the per-head attention products.
///
/// Shapes: `A` is `rows × layout.depth` (row `i` starts at `a + i * aStride`), `B` is
/// `layout.depth × layout.columns`, `C` is `rows × layout.columns` (row `i` at `c + i * cStride`).
/// Allocation-free; `C` may not overlap `A` or the panels.
struct PanelMultiply {
    let kernel: MatrixKernel
    let layout: PanelLayout
    let panels: UnsafePointer<Float>
    /// `layout.paddedColumns` floats, or `nil` for none.
    let bias: UnsafePointer<Float>?
    let scale: Float
    /// A weight kept quantized (`QuantizedMultiply.swift`): `B`'s blocks are dequantized from it
    /// tile by tile and `panels` is not read.
    var quantized: QuantizedMatrix? = nil

    /// Below this many multiply-adds a second thread costs more to wake than it saves (~2 µs).
    static let minimumParallelWork = 1 << 18

    func run(
        a: UnsafePointer<Float>, aStride: Int, rows: Int,
        c: UnsafeMutablePointer<Float>, cStride: Int, workers: WorkerPool?
    ) {
        guard rows > 0, layout.columns > 0 else { return }
        let parts = workers?.threads ?? 1
        let panelCount = layout.panelCount
        let tileRows = kernel.tileRows
        let rowTiles = (rows + tileRows - 1) / tileRows
        guard let workers, parts > 1, rows * layout.columns * layout.depth >= Self.minimumParallelWork else {
            runShare(a: a, aStride: aStride, c: c, cStride: cStride, rowRange: 0..<rows, panelRange: 0..<panelCount)
            return
        }
        // Split the dimension whose largest share is smaller; columns on a tie, because then
        // each thread reads only its own panels of the weight.
        let ceilDiv = { (x: Int, y: Int) in (x + y - 1) / y }
        let splitColumns = ceilDiv(panelCount, parts) * rowTiles <= ceilDiv(rowTiles, parts) * panelCount
        workers.run { part in
            if splitColumns {
                let range = WorkShare.range(part, of: parts, count: panelCount)
                guard !range.isEmpty else { return }
                runShare(a: a, aStride: aStride, c: c, cStride: cStride, rowRange: 0..<rows, panelRange: range)
            } else {
                let tiles = WorkShare.range(part, of: parts, count: rowTiles)
                let rowRange = min(rows, tiles.lowerBound * tileRows)..<min(rows, tiles.upperBound * tileRows)
                guard !rowRange.isEmpty else { return }
                runShare(a: a, aStride: aStride, c: c, cStride: cStride, rowRange: rowRange, panelRange: 0..<panelCount)
            }
        }
    }

    func runShare(
        a: UnsafePointer<Float>, aStride: Int, c: UnsafeMutablePointer<Float>, cStride: Int,
        rowRange: Range<Int>, panelRange: Range<Int>
    ) {
        switch kernel {
        case .simd16Tile8x32:
            runShare(Tile8x32.self, a: a, aStride: aStride, c: c, cStride: cStride, rowRange: rowRange, panelRange: panelRange)
        case .simd8Tile6x16:
            runShare(Tile6x16.self, a: a, aStride: aStride, c: c, cStride: cStride, rowRange: rowRange, panelRange: panelRange)
        case .simd4Tile4x8:
            runShare(Tile4x8.self, a: a, aStride: aStride, c: c, cStride: cStride, rowRange: rowRange, panelRange: panelRange)
        }
    }

    private func runShare<Tile: RegisterTile>(
        _: Tile.Type, a: UnsafePointer<Float>, aStride: Int, c: UnsafeMutablePointer<Float>, cStride: Int,
        rowRange: Range<Int>, panelRange: Range<Int>
    ) {
        let width = Tile.columns
        if layout.depth == 0 {
            fillWithBias(c: c, cStride: cStride, rowRange: rowRange, panelRange: panelRange)
            return
        }
        if let quantized {
            runQuantizedShare(Tile.self, weight: quantized, a: a, aStride: aStride, c: c, cStride: cStride,
                              rowRange: rowRange, panelRange: panelRange)
            return
        }
        // Panel outermost: the `rows × width` strip of C it fills stays in L2 across depth
        // blocks, while one block of the panel (≤ 32 KiB) stays in L1 across row tiles.
        for panel in panelRange {
            let n0 = panel * width
            let columnCount = min(width, layout.columns - n0)
            for block in 0..<layout.blockCount {
                let k0 = layout.blockStart(block)
                let depth = layout.blockDepth(block)
                let b = panels + layout.offset(block: block, panel: panel)
                let panelBias = block == 0 ? bias.map { $0 + n0 } : nil
                var row = rowRange.lowerBound
                while row < rowRange.upperBound {
                    Tile.multiply(
                        depth: depth, a: a + row * aStride + k0, aStride: aStride,
                        rowCount: min(Tile.rows, rowRange.upperBound - row), b: b,
                        c: c + row * cStride + n0, cStride: cStride, columnCount: columnCount,
                        accumulate: block > 0, bias: panelBias, scale: scale
                    )
                    row += Tile.rows
                }
            }
        }
    }

    /// With no depth the product is empty: `C` is just the bias.
    private func fillWithBias(c: UnsafeMutablePointer<Float>, cStride: Int, rowRange: Range<Int>, panelRange: Range<Int>) {
        let width = layout.panelWidth
        let columns = (panelRange.lowerBound * width)..<min(layout.columns, panelRange.upperBound * width)
        for row in rowRange {
            for column in columns { c[row * cStride + column] = bias?[column] ?? 0 }
        }
    }
}
