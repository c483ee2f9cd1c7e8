/// `C = A · Wᵀ + bias` with `W` kept quantized (`QuantizedMatrix`): the same row tiles as the
/// packed path (`multiplyRowTiles`), except that each `[depth block][panel width]` block of
/// `B = Wᵀ` is dequantized into a per-call stack buffer (≤ 32 KiB, L1-sized) right before the
/// register tiles stream past it. Panels are outermost here, not row blocks, so that each block
/// is dequantized once per call rather than once per row block.
///
/// The buffer holds exactly the floats the packed path would read from its panels (the same
/// dequantizer, the same `PanelLayout`), and the tiles run in the same order with the same
/// accumulation, so the product is bit-identical to dequantizing the whole weight, packing it and
/// multiplying. Each weight element is dequantized once per call and per thread share of panels.
extension PanelMultiply {
    /// Floats of stack the dequantized blocks need: one panel block (`depthBlock × width`), the
    /// rows it is transposed from (`width × depthBlock`), and one row's covering blocks.
    static func quantizedScratchCount(layout: PanelLayout, weight: QuantizedMatrix) -> Int {
        2 * layout.depthBlock * layout.panelWidth + weight.scratchCount(columns: layout.depthBlock) + 16
    }

    func runQuantizedShare<Tile: RegisterTile>(
        _: Tile.Type, weight: QuantizedMatrix, a: UnsafePointer<Float>, aStride: Int,
        c: UnsafeMutablePointer<Float>, cStride: Int, rowRange: Range<Int>, panelRange: Range<Int>
    ) {
        let width = Tile.columns
        let panelFloats = layout.depthBlock * width
        withUnsafeTemporaryAllocation(byteCount: Self.quantizedScratchCount(layout: layout, weight: weight) * 4, alignment: 64) { raw in
            guard let base = raw.baseAddress else { return }
            let floats = base.bindMemory(to: Float.self, capacity: raw.count / 4)
            let panel = floats                               // [depthBlock][width], B's block
            let rows = floats + panelFloats                  // [width][depthBlock], W's rows
            let blockScratch = rows + panelFloats            // one row's covering blocks
            for panelIndex in panelRange {
                let n0 = panelIndex * width
                let columnCount = min(width, layout.columns - n0)
                for block in 0..<layout.blockCount {
                    let k0 = layout.blockStart(block)
                    dequantizePanelBlock(weight, outputs: n0..<(n0 + columnCount), depth: k0..<(k0 + layout.blockDepth(block)),
                                         width: width, rows: rows, panel: panel, scratch: blockScratch)
                    prefetchBlock(after: (panelIndex, block), of: weight, panels: panelRange, width: width)
                    // All the share's rows at once: each block is dequantized once per call.
                    multiplyRowTiles(Tile.self, rows: rowRange, block: block, panel: panelIndex, b: panel,
                                     a: a, aStride: aStride, c: c, cStride: cStride)
                }
            }
        }
    }

    /// Prefetches the weight bytes of the panel block that follows `(panel, block)` in this
    /// share's order, so they arrive while the register tiles work on the current one.
    @inline(__always)
    private func prefetchBlock(after current: (panel: Int, block: Int), of weight: QuantizedMatrix,
                               panels: Range<Int>, width: Int) {
        let (panel, block) = current.block + 1 < layout.blockCount
            ? (current.panel, current.block + 1) : (current.panel + 1, 0)
        guard panel < panels.upperBound else { return }
        let n0 = panel * width, k0 = layout.blockStart(block)
        weight.prefetch(rows: n0..<min(n0 + width, layout.columns), columns: k0..<(k0 + layout.blockDepth(block)))
    }

    /// Fills `panel` (`depth.count × width`, row `k` holding `B[k0 + k][n0 ..< n0 + width]`,
    /// zeros past the real outputs) from weight rows `outputs`, going through `rows`
    /// (`outputs.count × depth.count`) so each weight row dequantizes as one contiguous run, then
    /// transposed in 4 × 4 register tiles (`PanelTranspose`).
    @inline(__always)
    private func dequantizePanelBlock(
        _ weight: QuantizedMatrix, outputs: Range<Int>, depth: Range<Int>, width: Int,
        rows: UnsafeMutablePointer<Float>, panel: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let kc = depth.count, valid = outputs.count
        weight.dequantize(rows: outputs, columns: depth, into: rows, scratch: scratch)
        PanelTranspose.rowsToPanel(rows, valid: valid, depth: kc, into: panel, width: width)
    }
}
