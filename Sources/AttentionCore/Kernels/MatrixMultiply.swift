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
        let panelCount = layout.panelCount
        let tileRows = kernel.tileRows
        let rowTiles = (rows + tileRows - 1) / tileRows
        let work = rows * layout.columns * layout.depth
        let parts = workers?.multiplyParts(work: work, panels: max(panelCount, rowTiles)) ?? 1
        guard let workers, parts > 1 else {
            runShare(a: a, aStride: aStride, c: c, cStride: cStride, rowRange: 0..<rows, panelRange: 0..<panelCount)
            return
        }
        // Split the dimension whose largest share is smaller; columns on a tie, because then
        // each part reads only its own panels of the weight.
        let ceilDiv = { (x: Int, y: Int) in (x + y - 1) / y }
        let splitColumns = ceilDiv(panelCount, parts) * rowTiles <= ceilDiv(rowTiles, parts) * panelCount
        workers.run(parts: parts) { part in
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
        if layout.depth == 0 {
            fillWithBias(c: c, cStride: cStride, rowRange: rowRange, panelRange: panelRange)
            return
        }
        if let quantized {
            runQuantizedShare(Tile.self, weight: quantized, a: a, aStride: aStride, c: c, cStride: cStride,
                              rowRange: rowRange, panelRange: panelRange)
            return
        }
        // Row blocks outermost, as in BLIS: one block of A (`rowBlock` rows of one depth block,
        // ≤ 128 KiB) stays in L2 while every panel of B streams past it, and one block of a
        // panel (≤ 32 KiB) stays in L1 across the row tiles of the block. With the panel
        // outermost instead, an A larger than L2 (a 1536-wide MLP input at 128 tokens, any
        // input at 512) was re-read from L3 once per panel, by both threads at once.
        //
        // While the tiles work on one block of B, the block they need next is prefetched into
        // L2, a slice per tile: the hardware prefetcher, seeing each block re-read once per
        // tile, ran too little ahead of the next one. Measured by alternating with and without
        // it on successive recomputes in one process (2 threads, AVX2): the median fell 8–10 %
        // at 32 SmolLM2 tokens, 4–8 % at 128 and 7–9 % on MiniLM at 128; at 512 tokens, where
        // every block serves more rows, it moved −6 to +8 %, within the host's noise.
        let rowBlock = Tile.rows * Self.rowTilesPerBlock
        var blockStart = rowRange.lowerBound
        while blockStart < rowRange.upperBound {
            let rows = blockStart..<min(rowRange.upperBound, blockStart + rowBlock)
            let isLastRowBlock = rows.upperBound >= rowRange.upperBound
            for block in 0..<layout.blockCount {
                for panel in panelRange {
                    let next: (block: Int, panel: Int)? = panel + 1 < panelRange.upperBound ? (block, panel + 1)
                        : block + 1 < layout.blockCount ? (block + 1, panelRange.lowerBound)
                        : isLastRowBlock ? nil : (0, panelRange.lowerBound)
                    multiplyRowTiles(Tile.self, rows: rows, block: block, panel: panel,
                                     b: panels + layout.offset(block: block, panel: panel),
                                     a: a, aStride: aStride, c: c, cStride: cStride,
                                     prefetching: next.map { UnsafeRawPointer(panels + layout.offset(block: $0.block, panel: $0.panel)) },
                                     byteCount: next.map { layout.blockDepth($0.block) * Tile.columns * 4 } ?? 0)
                }
            }
            blockStart = rows.upperBound
        }
    }

    /// Row tiles of one row block (16 tiles: 96 rows of AVX2 tiles, 128 of AVX-512 ones).
    static let rowTilesPerBlock = 16

    /// `C[rows][panel] (+)= scale · A[rows][block] · B[block][panel]` (+ bias on the first depth
    /// block), one register tile of rows at a time; `b` is that `[blockDepth][width]` block.
    /// Every path of `PanelMultiply` ends here, so they all sum in the same order.
    ///
    /// `byteCount` bytes from `next` (the block wanted after this one) are prefetched into L2
    /// meanwhile, an equal slice before each tile.
    @inline(__always)
    func multiplyRowTiles<Tile: RegisterTile>(
        _: Tile.Type, rows: Range<Int>, block: Int, panel: Int, b: UnsafePointer<Float>,
        a: UnsafePointer<Float>, aStride: Int, c: UnsafeMutablePointer<Float>, cStride: Int,
        prefetching next: UnsafeRawPointer? = nil, byteCount: Int = 0
    ) {
        let n0 = panel * Tile.columns
        let k0 = layout.blockStart(block)
        let depth = layout.blockDepth(block)
        let columnCount = min(Tile.columns, layout.columns - n0)
        let panelBias = block == 0 ? bias.map { $0 + n0 } : nil
        let tiles = (rows.count + Tile.rows - 1) / Tile.rows
        var tile = 0
        var row = rows.lowerBound
        while row < rows.upperBound {
            if let next {
                let from = tile * byteCount / tiles
                CachePrefetch.readIntoL2(next + from, byteCount: (tile + 1) * byteCount / tiles - from)
                tile += 1
            }
            Tile.multiply(
                depth: depth, a: a + row * aStride + k0, aStride: aStride,
                rowCount: min(Tile.rows, rows.upperBound - row), b: b,
                c: c + row * cStride + n0, cStride: cStride, columnCount: columnCount,
                accumulate: block > 0, bias: panelBias, scale: scale
            )
            row += Tile.rows
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
