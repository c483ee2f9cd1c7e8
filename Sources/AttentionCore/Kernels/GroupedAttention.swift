/// Self-attention of every query head of a layer, grouped by key/value head and limited to
/// the keys the causal mask leaves visible.
///
/// - Grouped-query attention: `Kᵀ` and `V` of key/value head `g` are packed once and serve its
///   `groupSize` query heads (SmolLM2: 3 query heads per KV head), instead of once per query head.
/// - Causal: a block of queries `s..<e` can only see keys `0..<e` (or the widened prefix), so
///   `Q·Kᵀ`, the softmax and `P·V` stop there: about half the attention work of a full square.
///   The weights past that limit are written as exact zeros, and the visible ones are
///   bit-identical to the full computation: see `visibleCount`.
///
/// Work is cut into units (KV head, query block, query head) in that order, weighted by the
/// keys each block sees, and split into `parts` contiguous shares of about equal weight, so
/// each part packs each KV head at most once and the triangle of a causal map is shared fairly.
enum GroupedAttention {
    /// Queries per block: their logits (`block × L` floats, 64 KB at 512 tokens) stay in L2
    /// from `Q·Kᵀ` through the softmax to `P·V`.
    static let queryBlock = 32
    /// Depth block of the packed `V`: `P·V` of a causal block runs over whole blocks of this
    /// many keys, so stopping at the visible keys stops at a block boundary.
    static let valueDepthBlock = 64
    /// A bias at or below this masks a key as float32's lowest value does; above it (0, ln m
    /// for any positive float m, hf4's half-lowest) the key is open. See `visibleCount`.
    static let openKeyBias: Float = -1e38

    /// Which keys a query may see at all, as the bias the pass runs with guarantees.
    enum VisibleKeys: Sendable, Equatable {
        /// Every key (an encoder, or a bias that is not causal).
        case all
        /// Keys `0...q`, except that queries before `widenedPrefix` see keys `0..<widenedPrefix`;
        /// every later key carries a bias of float32's lowest value or −∞
        /// (`AttentionBias.limitedToEarlierKeys`). A sliding window masks more, inside this limit.
        case causal(widenedPrefix: Int)

        /// One past the last key any query in `rows` may see.
        func keyEnd(rows: Range<Int>, length: Int) -> Int {
            switch self {
            case .all: return length
            case .causal(let prefix):
                let end = rows.lowerBound < prefix ? max(rows.upperBound, prefix) : rows.upperBound
                return min(length, end)
            }
        }
    }

    /// The layer's shape and operands. Pointers are each head's first element at its row stride.
    struct Operands {
        let queries: UnsafePointer<Float>, queryStride: Int
        let keys: UnsafePointer<Float>, keyStride: Int
        /// Nil (with `context`) when only the weights are wanted.
        let values: UnsafePointer<Float>?, valueStride: Int
        let context: UnsafeMutablePointer<Float>?, contextStride: Int
        /// `[query][key]`, `length × length`.
        let bias: UnsafePointer<Float>
        /// Receives `[head][query][key]`, `heads × length × length`.
        let weights: UnsafeMutablePointer<Float>
        let length: Int
        let attention: TransformerDescription.Attention
        let visible: VisibleKeys
        /// Queries before it are left as they are (a pass that reuses an unchanged prefix, see
        /// `EncoderModel.forward(reusing:)`): their weights and context are neither read nor written.
        var firstQuery = 0

        /// The rows of the block `block` this pass computes: those from `firstQuery` on.
        func computedRows(of block: Range<Int>) -> Range<Int> {
            max(block.lowerBound, min(firstQuery, block.upperBound))..<block.upperBound
        }
    }

    /// Floats of scratch `run` needs per part: one KV head's packed `Kᵀ` and `V` side by side.
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

    /// Logits kept per row of a block: the keys the block may see, rounded up to 16 (the
    /// softmax's vector width, so its lane sums and maximum are those of the full row), or
    /// the whole row.
    ///
    /// Why the visible weights equal the full row's, bit for bit: every key past the limit has
    /// a bias of float32's lowest value (or −∞), so its biased logit is about −3.4e38. When
    /// the row has an open key before the limit (bias above `openKeyBias`), the row maximum is
    /// far above that, so those keys take no part in the maximum and their `exp` is exactly 0;
    /// adding zero vectors to the lane sums changes nothing. A row with no open key (every
    /// visible key masked) takes the full path instead: in transformers it becomes uniform over
    /// all `L` keys, future ones included, and so it does here.
    static func visibleCount(keyEnd: Int, length: Int) -> Int {
        keyEnd >= length ? length : min(length, (keyEnd + 15) & ~15)
    }

    /// Total weight of all units, for splitting: `Σ blocks rows × visible keys`, times heads.
    static func totalWork(_ o: Operands) -> Int {
        var total = 0
        var start = 0
        while start < o.length {
            let rows = start..<min(o.length, start + queryBlock)
            total += o.computedRows(of: rows).count
                * visibleCount(keyEnd: o.visible.keyEnd(rows: rows, length: o.length), length: o.length)
            start = rows.upperBound
        }
        return total * o.attention.headCount
    }

    /// Runs share `part` of `parts` of the layer's attention. Allocation-free.
    ///
    /// - Parameter scratch: `scratchCount(keys: length, headSize: d, kernel:)`
    ///   floats of this part's own: one KV head's packed `Kᵀ` and `V`.
    static func run(_ o: Operands, part: Int, parts: Int, scratch: UnsafeMutablePointer<Float>,
                    kernel: MatrixKernel = .best) {
        let length = o.length, d = o.attention.headSize
        guard length > 0, d > 0 else { return }
        let total = totalWork(o)
        guard total > 0 else { return }
        let scale = 1 / Float(d).squareRoot()
        let keysLayout = PanelLayout(depth: d, columns: length, panelWidth: kernel.tileColumns)
        // Small depth blocks only where a causal block stops early; an encoder keeps the long ones.
        let valuesLayout = PanelLayout(depth: length, columns: d, panelWidth: kernel.tileColumns,
                                       maximumDepthBlock: o.visible == .all ? PanelLayout.maximumDepthBlock : valueDepthBlock)
        let packedKeys = scratch
        let packedValues = scratch + packedCount(keys: length, headSize: d, kernel: kernel)
        let group = o.attention.groupSize
        var packedHead = -1
        var done = 0
        for kvHead in 0..<o.attention.keyValueHeadCount {
            var start = 0
            while start < length {
                let block = start..<min(length, start + queryBlock)
                start = block.upperBound
                // Blocks keep their place and their visible keys when a prefix is reused, so a
                // computed row gets the same operations as in a full pass.
                let rows = o.computedRows(of: block)
                guard !rows.isEmpty else { continue }
                let count = visibleCount(keyEnd: o.visible.keyEnd(rows: block, length: length), length: length)
                for member in 0..<group {
                    let weight = rows.count * count
                    // The unit belongs to the part whose share holds its middle.
                    let owner = min(parts - 1, (2 * done + weight) * parts / (2 * total))
                    done += weight
                    guard owner == part else { continue }
                    if packedHead != kvHead {
                        keysLayout.pack(from: o.keys + kvHead * d, depthStride: 1, columnStride: o.keyStride, into: packedKeys)
                        if let values = o.values {
                            valuesLayout.pack(from: values + kvHead * d, depthStride: o.valueStride, columnStride: 1,
                                              into: packedValues)
                        }
                        packedHead = kvHead
                    }
                    let head = kvHead * group + member
                    attendBlock(
                        o, head: head, rows: rows, count: count, scale: scale, keysLayout: keysLayout,
                        packedKeys: packedKeys, valuesLayout: valuesLayout, packedValues: packedValues, kernel: kernel)
                }
            }
        }
    }

    /// One query head's block of rows: scores over the visible keys, the masked softmax, the
    /// zeros past the limit, and the context over whole value blocks up to the limit.
    private static func attendBlock(
        _ o: Operands, head: Int, rows: Range<Int>, count: Int, scale: Float,
        keysLayout: PanelLayout, packedKeys: UnsafePointer<Float>,
        valuesLayout: PanelLayout, packedValues: UnsafePointer<Float>, kernel: MatrixKernel
    ) {
        let length = o.length, d = o.attention.headSize
        let query = o.queries + head * d                                    // [L][d] at queryStride
        let weights = o.weights + head * length * length                    // [L][L]
        let scores = PanelMultiply(kernel: kernel, layout: keysLayout, panels: packedKeys, bias: nil, scale: scale)
        let width = kernel.tileColumns
        let panels = count == length ? keysLayout.panelCount : (count + width - 1) / width
        // logits = scale · Q·Kᵀ over the visible keys                     [rows][count]
        scores.runShare(a: query, aStride: o.queryStride, c: weights, cStride: length,
                        rowRange: rows, panelRange: 0..<panels)
        var depth = count
        for row in rows {
            let logits = weights + row * length                             // [L]
            let bias = o.bias + row * length                                // [L]
            if count < length, !hasOpenKey(bias, count: count) {
                // No open key before the limit: the full row, as transformers computes it.
                scores.runShare(a: query, aStride: o.queryStride, c: weights, cStride: length,
                                rowRange: row..<(row + 1), panelRange: 0..<keysLayout.panelCount)
                maskedSoftmaxRow(logits, bias: bias, count: length)
                depth = length
                continue
            }
            maskedSoftmaxRow(logits, bias: bias, count: count)
            if count < length { (logits + count).update(repeating: 0, count: length - count) }
        }
        guard o.values != nil, let context = o.context else { return }
        // context = P·V over whole value blocks covering `depth` keys    [rows][d]
        let blocks = (depth + valuesLayout.depthBlock - 1) / valuesLayout.depthBlock
        let layout = blocks >= valuesLayout.blockCount ? valuesLayout
            : PanelLayout(depth: blocks * valuesLayout.depthBlock, columns: d, panelWidth: width,
                          maximumDepthBlock: valuesLayout.depthBlock)
        let weighted = PanelMultiply(kernel: kernel, layout: layout, panels: packedValues, bias: nil, scale: 1)
        weighted.runShare(a: weights, aStride: length, c: context + head * d, cStride: o.contextStride,
                          rowRange: rows, panelRange: 0..<layout.panelCount)
    }

    /// Whether any of the first `count` biases leaves its key open (above `openKeyBias`).
    static func hasOpenKey(_ bias: UnsafePointer<Float>, count: Int) -> Bool {
        typealias V = SIMDMath.Vector
        var top = V(repeating: -.infinity)
        var k = 0
        while k + 16 <= count {
            top = SIMDMath.maximum(top, SIMDMath.load(bias + k))
            k += 16
        }
        var largest = top.max()
        while k < count { largest = max(largest, bias[k]); k += 1 }
        return largest > openKeyBias
    }
}
