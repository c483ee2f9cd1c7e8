/// Self-attention of one head, in place on `[token][hidden]` activations where the head's
/// query, key and value vectors are `headSize` contiguous floats at a row stride.
enum AttentionKernels {
    /// Queries handled per block: their logits (`block × L` floats, 64 KB at 512 tokens)
    /// stay in L2 from `Q·Kᵀ` through the softmax to `P·V`.
    static let queryBlock = 32

    /// Floats of scratch `attend` needs per thread: the head's packed `Kᵀ` and `V` side by side.
    static func scratchCount(keys: Int, headSize: Int, kernel: MatrixKernel = .best) -> Int {
        2 * packedCount(keys: keys, headSize: headSize, kernel: kernel)
    }

    /// Floats of one packed operand (`Kᵀ`, `headSize × keys`, or `V`, `keys × headSize`), each
    /// padded to whole panels of the kernel's tile width.
    static func packedCount(keys: Int, headSize: Int, kernel: MatrixKernel) -> Int {
        let width = kernel.tileColumns
        let roundUp = { (x: Int) in (x + width - 1) / width * width }
        return max(1, headSize * roundUp(keys), keys * roundUp(headSize))
    }

    /// `weights = softmax(scale · Q·Kᵀ + bias)` row by row, then `context = weights · V`.
    ///
    /// `Kᵀ` and `V` are packed once per head; then each block of `queryBlock` queries goes
    /// through the scores kernel (the scale rides on its store), the fused bias + softmax
    /// (`maskedSoftmaxRow`) and the context kernel while its logits are in cache.
    /// Allocation-free.
    ///
    /// - Parameters:
    ///   - query, key: the head's first element; rows `*Stride` floats apart, `length` rows.
    ///   - values: the head's value vectors and where its context goes, `length × headSize`
    ///     each at its row stride; nil computes the weights alone (a last layer whose output
    ///     nobody reads), which are bit-identical to those computed with the context.
    ///   - bias: `[query][key]`, `length × length`.
    ///   - weights: receives the probabilities, `length × length` row-major.
    ///   - scratch: `scratchCount(keys: length, headSize: headSize)` floats of this thread's own.
    static func attend(
        query: UnsafePointer<Float>, queryStride: Int, key: UnsafePointer<Float>, keyStride: Int,
        values: HeadValues?, length: Int, headSize: Int, scale: Float,
        bias: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        kernel: MatrixKernel = .best
    ) {
        guard length > 0, headSize > 0 else { return }
        let keysLayout = PanelLayout(depth: headSize, columns: length, panelWidth: kernel.tileColumns)
        let valuesLayout = PanelLayout(depth: length, columns: headSize, panelWidth: kernel.tileColumns)
        let packedKeys = scratch
        let packedValues = scratch + packedCount(keys: length, headSize: headSize, kernel: kernel)
        keysLayout.pack(from: key, depthStride: 1, columnStride: keyStride, into: packedKeys)
        if let values {
            valuesLayout.pack(from: values.value, depthStride: values.valueStride, columnStride: 1, into: packedValues)
        }
        let scores = PanelMultiply(kernel: kernel, layout: keysLayout, panels: packedKeys, bias: nil, scale: scale)
        let weighted = PanelMultiply(kernel: kernel, layout: valuesLayout, panels: packedValues, bias: nil, scale: 1)
        var start = 0
        while start < length {
            let rows = start..<min(length, start + queryBlock)
            scores.runShare(a: query, aStride: queryStride, c: weights, cStride: length,
                            rowRange: rows, panelRange: 0..<keysLayout.panelCount)
            for row in rows {
                maskedSoftmaxRow(weights + row * length, bias: bias + row * length, count: length)
            }
            if let values {
                weighted.runShare(a: weights, aStride: length, c: values.context, cStride: values.contextStride,
                                  rowRange: rows, panelRange: 0..<valuesLayout.panelCount)
            }
            start = rows.upperBound
        }
    }
}

/// One head's value vectors and where its context (`weights · V`) goes: the head's first
/// element of each, rows `*Stride` floats apart.
struct HeadValues {
    let value: UnsafePointer<Float>
    let valueStride: Int
    let context: UnsafeMutablePointer<Float>
    let contextStride: Int
}
