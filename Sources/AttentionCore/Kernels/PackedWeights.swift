/// Where each element of the right-hand matrix `B` (`depth × columns`) of `C = A · B` lives
/// once packed for the register-tiled kernel.
///
/// `B` is cut into column *panels* of `panelWidth` (the kernel's tile width; the last panel is
/// zero-padded) and its depth into blocks of at most 256, balanced so no block is a sliver.
/// Block `b` of panel `p` is a contiguous `[blockDepth][panelWidth]` run, so the inner loop reads
/// `B` strictly sequentially and one block of one panel (≤ 32 KiB) stays in L1 while every
/// row tile of `A` streams past it.
struct PanelLayout: Sendable, Equatable {
    let depth: Int
    let columns: Int
    let panelWidth: Int
    /// Depth of every block but possibly the last.
    let depthBlock: Int

    static let maximumDepthBlock = 256

    init(depth: Int, columns: Int, panelWidth: Int, maximumDepthBlock: Int = PanelLayout.maximumDepthBlock) {
        self.depth = depth
        self.columns = columns
        self.panelWidth = panelWidth
        let blocks = max(1, (depth + maximumDepthBlock - 1) / maximumDepthBlock)
        depthBlock = max(1, (depth + blocks - 1) / blocks)
    }

    var panelCount: Int { (columns + panelWidth - 1) / panelWidth }
    var paddedColumns: Int { panelCount * panelWidth }
    var blockCount: Int { (depth + depthBlock - 1) / depthBlock }
    /// Floats the packed matrix occupies.
    var count: Int { depth * paddedColumns }

    func blockStart(_ block: Int) -> Int { block * depthBlock }
    func blockDepth(_ block: Int) -> Int { min(depthBlock, depth - block * depthBlock) }

    /// Offset of the first float of `block` within `panel`.
    func offset(block: Int, panel: Int) -> Int {
        blockStart(block) * paddedColumns + panel * blockDepth(block) * panelWidth
    }

    /// Copies `B` into `destination` (`count` floats). Element `(k, n)` of `B` is read from
    /// `source[k * depthStride + n * columnStride]`, so a PyTorch weight `[out][in]` (`B = Wᵀ`)
    /// packs with `depthStride: 1, columnStride: in`, and a row-major `[k][n]` with `(n, 1)`.
    func pack(
        from source: UnsafePointer<Float>, depthStride: Int, columnStride: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        for block in 0..<blockCount {
            let k0 = blockStart(block)
            let kc = blockDepth(block)
            for panel in 0..<panelCount {
                let n0 = panel * panelWidth
                let valid = min(panelWidth, columns - n0)
                let out = destination + offset(block: block, panel: panel)
                if valid < panelWidth {
                    for k in 0..<kc { (out + k * panelWidth + valid).update(repeating: 0, count: panelWidth - valid) }
                }
                // Read along whichever direction of `B` is contiguous in `source`: row copies
                // for `[k][n]` (a head's values), column walks for `[n][k]` (weights, a head's
                // keys), instead of a strided gather per element.
                if columnStride == 1 {
                    for k in 0..<kc {
                        (out + k * panelWidth).update(from: source + (k0 + k) * depthStride + n0, count: valid)
                    }
                    continue
                }
                if depthStride == 1 {
                    // A weight `[n][k]`: its rows become the panel's columns, 4 × 4 at a time
                    // through registers (a column walk wrote each panel line 16 times).
                    PanelTranspose.rowsToPanel(source + k0 + n0 * columnStride, valid: valid, depth: kc,
                                               rowStride: columnStride, into: out, width: panelWidth)
                    continue
                }
                for j in 0..<valid {
                    let column = source + k0 * depthStride + (n0 + j) * columnStride
                    var target = out + j
                    for k in 0..<kc {
                        target.pointee = column[k * depthStride]
                        target += panelWidth
                    }
                }
            }
        }
    }
}

/// A layer's weight packed once, at load, into the panel layout of one `MatrixKernel`, plus its
/// bias zero-padded to whole panels so the kernel can add it with full-width vector loads.
///
/// Immutable after `init` and never exposed as mutable memory, which is why sharing it across
/// threads (`@unchecked Sendable`) is safe.
final class PackedWeights: @unchecked Sendable {
    let kernel: MatrixKernel
    let layout: PanelLayout
    /// `layout.count` floats, 64-byte aligned.
    let panels: UnsafeMutablePointer<Float>
    /// `layout.paddedColumns` floats; zeros past `layout.columns`.
    let paddedBias: UnsafeMutablePointer<Float>
    /// The weight itself when it stays quantized; `panels` is then a single unused float.
    let quantized: QuantizedMatrix?

    /// - Parameters:
    ///   - weight: `[out][in]` row-major (`out = columns`, `in = depth`), PyTorch `nn.Linear` layout.
    ///   - bias: `out` values, or empty for none.
    init(weight: UnsafePointer<Float>, outputs: Int, inputs: Int, bias: UnsafePointer<Float>?, kernel: MatrixKernel) {
        self.kernel = kernel
        layout = PanelLayout(depth: inputs, columns: outputs, panelWidth: kernel.tileColumns)
        panels = Self.allocateAligned(max(1, layout.count))
        layout.pack(from: weight, depthStride: 1, columnStride: inputs, into: panels)
        paddedBias = Self.allocateAligned(max(1, layout.paddedColumns))
        paddedBias.initialize(repeating: 0, count: max(1, layout.paddedColumns))
        if let bias { paddedBias.update(from: bias, count: outputs) }
        quantized = nil
    }

    /// A weight that stays quantized: same layout (so the same depth blocks and the same sums),
    /// no panels; `PanelMultiply` dequantizes each block of a panel when it needs it.
    init(quantized weight: QuantizedMatrix, bias: UnsafePointer<Float>?, kernel: MatrixKernel) {
        self.kernel = kernel
        layout = PanelLayout(depth: weight.rowLength, columns: weight.rows, panelWidth: kernel.tileColumns)
        panels = Self.allocateAligned(1)
        panels.initialize(to: 0)
        paddedBias = Self.allocateAligned(max(1, layout.paddedColumns))
        paddedBias.initialize(repeating: 0, count: max(1, layout.paddedColumns))
        if let bias { paddedBias.update(from: bias, count: weight.rows) }
        quantized = weight
    }

    deinit {
        panels.deallocate()
        paddedBias.deallocate()
    }

    private static func allocateAligned(_ count: Int) -> UnsafeMutablePointer<Float> {
        let byteCount = count * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        HugePages.advise(raw, byteCount: byteCount)
        return raw.bindMemory(to: Float.self, capacity: count)
    }
}
