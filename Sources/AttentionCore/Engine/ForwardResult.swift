#if canImport(Glibc)
import Glibc
#endif

/// Everything one forward pass produced that Maskscope shows.
public struct ForwardResult: Sendable {
    /// Attention probabilities, `[layer][head][query][key]`.
    public let attention: AttentionMaps
    /// The last layer's output, `[token][hidden]`; nil when the pass was asked for the
    /// attention alone (`ForwardNeeds.attention`).
    public let hidden: Matrix?
    /// The bias that was added to the logits, `[query][key]`.
    public let bias: AttentionBias
    /// The first layer's projections, shared with the `PreparedInput` (a mask cannot change them).
    let firstLayer: QueryKeyValue
    /// Query and key projections of layers 1…, `[layer − 1][token][shape.rowWidth]` with the
    /// queries in columns `0..<queryWidth` and the keys after them, then (causal models) the
    /// values (see `KeptShape`): kept so raw scores can be shown on demand without storing
    /// `layers × heads × L²` of them, and so the next pass can reuse an unchanged prefix.
    let laterProjections: ResultBuffer
    /// The input this pass ran on: a later pass reuses this one's rows only for the same input.
    let input: PreparedInput
    /// How those rows (and the first layer's projections) are laid out.
    let shape: KeptShape
    /// Layers `0..<completedLayers` are this pass's; the rest (in an early result, see
    /// `EarlyLayers`) are copied from the previous result and not yet recomputed.
    public let completedLayers: Int

    /// Whether every layer is this pass's own (false for an early result).
    public var isComplete: Bool { completedLayers == attention.layerCount }

    /// Raw scores `q·k/√d` of one query row before the mask bias, one per key (positions
    /// applied; query head `head` against its key/value head).
    public func rawScores(layer: Int, head: Int, query: Int) -> [Float] {
        let headSize = shape.headSize
        let scale = 1 / Float(headSize).squareRoot()
        let length = attention.length
        let queryColumn = head * headSize
        let keyColumn = (head / shape.groupSize) * headSize
        func scores(_ queries: UnsafePointer<Float>, queryStride: Int, _ keys: UnsafePointer<Float>, keyStride: Int) -> [Float] {
            let queryRow = queries + query * queryStride + queryColumn                  // [d]
            return (0..<length).map { key in
                let keyRow = keys + key * keyStride + keyColumn                         // [d]
                var dot: Float = 0
                for i in 0..<headSize { dot += queryRow[i] * keyRow[i] }
                return dot * scale
            }
        }
        if layer == 0 {
            return firstLayer.queries.values.withUnsafeBufferPointer { q in
                firstLayer.keys.values.withUnsafeBufferPointer { k in
                    guard let q = q.baseAddress, let k = k.baseAddress else { return [] }
                    return scores(q, queryStride: shape.queryWidth, k, keyStride: shape.keyWidth)
                }
            }
        }
        return withExtendedLifetime(laterProjections) {
            let layerStart = laterProjections.base + (layer - 1) * length * shape.rowWidth   // [L][qW + kW]
            return scores(layerStart, queryStride: shape.rowWidth, layerStart + shape.queryWidth, keyStride: shape.rowWidth)
        }
    }

    /// The first attention weight of layers `0..<completedLayers` that is not a finite
    /// number, or nil: weights so large that the activations overflow float32 make whole
    /// rows NaN.
    ///
    /// Reads one weight per row, its first key's: every softmax of a row (`maskedSoftmaxRow`)
    /// runs over keys `0..<n` for some `n ≥ 1` (a causal block stops early, never starts late),
    /// and a row whose logits hold a NaN or +∞ comes out NaN over all of them, while finite
    /// logits never give a non-finite weight. So a row has a non-finite weight exactly when its
    /// first key's is. `layers × heads × L` reads instead of a scan of every weight, which
    /// took ~50 ms at 512 SmolLM2 tokens and held up the explorer's next recompute.
    public var firstNonFiniteWeight: (layer: Int, head: Int, query: Int)? {
        let length = attention.length
        guard length > 0 else { return nil }
        for layer in 0..<min(completedLayers, attention.layerCount) {
            let found: Int? = attention.weights.withLayer(layer) { weights in
                // NaN and ±∞ are the only values for which x − x is not 0.
                stride(from: 0, to: weights.count, by: length).first { weights[$0] - weights[$0] != 0 }
            }
            if let index = found {
                let row = index / length                                       // of [heads][L]
                return (layer, row / length, row % length)
            }
        }
        return nil
    }

    /// Queries left with no key to attend to (every key's bias −∞); their rows are zeros.
    public var queriesWithNoKeys: [Int] { bias.queriesWithNoKeys }
    /// Queries whose every allowed key is masked (see `AttentionBias.queriesWithEveryAllowedKeyMasked`).
    public var queriesWithEveryAllowedKeyMasked: [Int] { bias.queriesWithEveryAllowedKeyMasked }
}

/// A forward pass in flight: its input, bias, and the result memory its layers fill.
struct ForwardPass {
    let input: PreparedInput
    let bias: AttentionBias
    /// One buffer per layer, `heads × L × L` floats each, filled layer by layer.
    let layerMaps: [ResultBuffer]
    /// `(layers − 1) × L × shape.rowWidth` floats: the queries and keys (and a causal model's
    /// values) of layers 1….
    let kept: UnsafeMutablePointer<Float>
    let workspace: ForwardWorkspace
    let workers: WorkerPool

    /// The early result once layers `0..<completedLayers` are done: those layers' maps shared
    /// with this pass (they are final), the rest shared with `previous`, and the kept
    /// projections copied likewise (see `EarlyLayers`); nil when `previous` does not have
    /// this pass's shape.
    func earlyResult(completedLayers: Int, layerCount: Int, headCount: Int, shape: KeptShape,
                     previous: ForwardResult?) -> ForwardResult? {
        let length = input.encoding.count
        guard let previous, previous.attention.layerCount == layerCount, previous.attention.headCount == headCount,
              previous.attention.length == length, previous.shape == shape,
              previous.laterProjections.count == (layerCount - 1) * length * shape.rowWidth,
              (1..<layerCount).contains(completedLayers) else { return nil }
        let maps = AttentionMaps(headCount: headCount, length: length,
                                 layers: Array(layerMaps[..<completedLayers] + previous.attention.weights.layers[completedLayers...]))
        let layerKept = length * shape.rowWidth
        let keptCount = (layerCount - 1) * layerKept
        let ownKept = (completedLayers - 1) * layerKept
        let laterProjections = ResultBuffer.uninitialized(count: keptCount, recycler: .keptProjections)
        let target = laterProjections.base
        target.update(from: kept, count: ownKept)
        withExtendedLifetime(previous.laterProjections) {
            (target + ownKept).update(from: previous.laterProjections.base + ownKept, count: keptCount - ownKept)
        }
        return ForwardResult(
            attention: maps, hidden: nil, bias: bias, firstLayer: input.firstLayerProjections,
            laterProjections: laterProjections, input: input, shape: shape, completedLayers: completedLayers)
    }
}

/// How a result keeps projections: the first layer's as separate matrices (`[L][queryWidth]`,
/// `[L][keyWidth]`, `[L][keyWidth]`, from `PreparedInput`), later layers' side by side in rows
/// of `rowWidth`: queries, keys, then a causal model's values.
struct KeptShape: Equatable, Sendable {
    let queryWidth: Int
    let keyWidth: Int
    /// `keyWidth` for a causal model, whose next pass may reuse an unchanged prefix's values;
    /// 0 for an encoder, whose every token changes with any mask edit.
    let valueWidth: Int
    let headSize: Int
    /// Query heads per key/value head.
    let groupSize: Int

    init(attention: TransformerDescription.Attention, keepsValues: Bool) {
        queryWidth = attention.queryWidth
        keyWidth = attention.keyValueWidth
        valueWidth = keepsValues ? attention.keyValueWidth : 0
        headSize = attention.headSize
        groupSize = attention.groupSize
    }

    var rowWidth: Int { queryWidth + keyWidth + valueWidth }
    /// Column of a row's first value.
    var valueColumn: Int { queryWidth + keyWidth }
}
