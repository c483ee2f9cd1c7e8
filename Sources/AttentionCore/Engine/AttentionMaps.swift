/// Attention probabilities of every layer and head, `[layer][head][query][key]`, stored
/// flat. Row `query` of a head sums to 1 (or is all zeros when no key is left to attend to).
public struct AttentionMaps: Equatable, Sendable {
    public let layerCount: Int
    public let headCount: Int
    /// Number of token positions `L`.
    public let length: Int
    /// `layerCount × headCount × L × L` floats.
    public let weights: AttentionWeights

    /// Maps whose weights `fill` writes completely before anyone reads them (the memory may
    /// be a recycled result's, so it starts out stale, not zeroed).
    init(layerCount: Int, headCount: Int, length: Int, filling fill: (UnsafeMutablePointer<Float>) -> Void) {
        self.layerCount = layerCount
        self.headCount = headCount
        self.length = length
        let storage = ResultBuffer.uninitialized(count: layerCount * headCount * length * length)
        fill(storage.base)
        weights = AttentionWeights(storage: storage)
    }

    /// Offset of `[layer][head][0][0]` in `weights`.
    func offset(layer: Int, head: Int) -> Int {
        (layer * headCount + head) * length * length
    }

    /// The weight query `query` gives key `key`.
    public func weight(layer: Int, head: Int, query: Int, key: Int) -> Float {
        weights[offset(layer: layer, head: head) + query * length + key]
    }

    /// One query's row over all keys.
    public func queryRow(layer: Int, head: Int, query: Int) -> [Float] {
        let start = offset(layer: layer, head: head) + query * length
        return Array(weights[start ..< start + length])
    }

    /// One head's map, `[query][key]`.
    public func headWeights(layer: Int, head: Int) -> [[Float]] {
        (0..<length).map { queryRow(layer: layer, head: head, query: $0) }
    }

    /// The mean over heads of one layer, `[query][key]`, for the "mean of heads" view.
    public func meanWeights(layer: Int) -> [[Float]] {
        var mean = [[Float]](repeating: [Float](repeating: 0, count: length), count: length)
        let share = 1 / Float(headCount)
        for head in 0..<headCount {
            let base = offset(layer: layer, head: head)
            for q in 0..<length {
                for k in 0..<length { mean[q][k] += weights[base + q * length + k] * share }
            }
        }
        return mean
    }
}
