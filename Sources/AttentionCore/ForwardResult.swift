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
    /// Query and key projections of layers 1…, `[layer − 1][token][2 · width]` with the
    /// queries in columns `0..<width` and the keys in `width..<2·width`: kept so raw scores
    /// can be shown on demand without storing `layers × heads × L²` of them.
    let laterQueriesAndKeys: ResultBuffer
    /// Features of one token's queries (all heads), `heads × headSize`.
    let width: Int
    let headSize: Int
    /// Layers `0..<completedLayers` are this pass's; the rest (in an early result, see
    /// `EarlyLayers`) are copied from the previous result and not yet recomputed.
    public let completedLayers: Int

    /// Whether every layer is this pass's own (false for an early result).
    public var isComplete: Bool { completedLayers == attention.layerCount }

    /// Raw scores `q·k/√d` of one query row before the mask bias, one per key.
    public func rawScores(layer: Int, head: Int, query: Int) -> [Float] {
        let scale = 1 / Float(headSize).squareRoot()
        let length = attention.length
        let column = head * headSize
        func scores(_ queries: UnsafePointer<Float>, _ keys: UnsafePointer<Float>, stride: Int) -> [Float] {
            let queryRow = queries + query * stride + column
            return (0..<length).map { key in
                let keyRow = keys + key * stride + column
                var dot: Float = 0
                for i in 0..<headSize { dot += queryRow[i] * keyRow[i] }
                return dot * scale
            }
        }
        if layer == 0 {
            return firstLayer.queries.values.withUnsafeBufferPointer { q in
                firstLayer.keys.values.withUnsafeBufferPointer { k in
                    guard let q = q.baseAddress, let k = k.baseAddress else { return [] }
                    return scores(q, k, stride: width)
                }
            }
        }
        return withExtendedLifetime(laterQueriesAndKeys) {
            let layerStart = laterQueriesAndKeys.base + (layer - 1) * length * 2 * width
            return scores(layerStart, layerStart + width, stride: 2 * width)
        }
    }

    /// The first attention weight of layers `0..<completedLayers` that is not a finite
    /// number, or nil: weights so large that the activations overflow float32 make whole
    /// rows NaN. Scans `layers × heads × L²` floats (about 10 ms at 512 MiniLM tokens).
    public var firstNonFiniteWeight: (layer: Int, head: Int, query: Int)? {
        let length = attention.length
        guard length > 0 else { return nil }
        return attention.weights.withUnsafeBufferPointer { weights in
            let count = min(weights.count, completedLayers * attention.headCount * length * length)
            var index = 0
            while index < count {
                // NaN and ±∞ are the only values for which x − x is not 0.
                if weights[index] - weights[index] != 0 {
                    let row = index / length
                    return (row / (attention.headCount * length), row / length % attention.headCount, row % length)
                }
                index += 1
            }
            return nil
        }
    }

    /// Queries left with no key to attend to (every key's bias −∞); their rows are zeros.
    public var queriesWithNoKeys: [Int] { bias.queriesWithNoKeys }
}

/// A forward pass in flight: its input, bias, and the result memory its layers fill.
struct ForwardPass {
    let input: PreparedInput
    let bias: AttentionBias
    /// `layers × heads × L × L` floats being filled, layer by layer.
    let weights: UnsafeMutablePointer<Float>
    /// `(layers − 1) × L × 2·width` floats: the queries and keys of layers 1….
    let kept: UnsafeMutablePointer<Float>
    let workspace: ForwardWorkspace
    let workers: WorkerPool

    /// The early result once layers `0..<completedLayers` are done: those layers copied from
    /// this pass, the rest from `previous` (see `EarlyLayers`); nil when `previous` does not
    /// have this pass's shape.
    func earlyResult(completedLayers: Int, layerCount: Int, headCount: Int, width: Int, headSize: Int,
                     previous: ForwardResult?) -> ForwardResult? {
        let length = input.encoding.count
        guard let previous, previous.attention.layerCount == layerCount, previous.attention.headCount == headCount,
              previous.attention.length == length, previous.width == width, previous.headSize == headSize,
              previous.laterQueriesAndKeys.count == (layerCount - 1) * length * 2 * width,
              (1..<layerCount).contains(completedLayers) else { return nil }
        let layerWeights = headCount * length * length
        let maps = AttentionMaps(layerCount: layerCount, headCount: headCount, length: length) { target in
            target.update(from: weights, count: completedLayers * layerWeights)
            previous.attention.weights.withUnsafeBufferPointer { old in
                guard let old = old.baseAddress else { return }
                (target + completedLayers * layerWeights).update(
                    from: old + completedLayers * layerWeights, count: (layerCount - completedLayers) * layerWeights)
            }
        }
        let layerKept = length * 2 * width
        let keptCount = (layerCount - 1) * layerKept
        let ownKept = (completedLayers - 1) * layerKept
        let laterQueriesAndKeys = ResultBuffer.uninitialized(count: keptCount)
        let target = laterQueriesAndKeys.base
        target.update(from: kept, count: ownKept)
        withExtendedLifetime(previous.laterQueriesAndKeys) {
            (target + ownKept).update(from: previous.laterQueriesAndKeys.base + ownKept, count: keptCount - ownKept)
        }
        return ForwardResult(
            attention: maps, hidden: nil, bias: bias, firstLayer: input.firstLayerProjections,
            laterQueriesAndKeys: laterQueriesAndKeys, width: width, headSize: headSize,
            completedLayers: completedLayers)
    }
}
