/// Attention probabilities of every layer and head, `[layer][head][query][key]`, one buffer
/// per layer (see `AttentionWeights`). Row `query` of a head sums to 1 (or is all zeros when
/// no key is left to attend to).
public struct AttentionMaps: Equatable, Sendable {
    public let layerCount: Int
    public let headCount: Int
    /// Number of token positions `L`.
    public let length: Int
    /// `layerCount × headCount × L × L` floats.
    public let weights: AttentionWeights

    /// Maps made of `layers`, each `headCount × length × length` floats already written.
    init(headCount: Int, length: Int, layers: [ResultBuffer]) {
        layerCount = layers.count
        self.headCount = headCount
        self.length = length
        weights = AttentionWeights(layers: layers, layerSize: headCount * length * length)
    }

    /// Memory for the maps of one pass, one buffer per layer, with stale contents (recycled
    /// results' memory): the pass fills each completely before anyone reads it.
    static func uninitializedLayers(layerCount: Int, headCount: Int, length: Int) -> [ResultBuffer] {
        let layerSize = headCount * length * length
        return (0..<layerCount).map { _ in ResultBuffer.uninitialized(count: layerSize, spares: layerCount) }
    }

    /// Offset of `[head][0][0]` in a layer's floats.
    func offset(head: Int) -> Int { head * length * length }

    /// The weight query `query` gives key `key`.
    public func weight(layer: Int, head: Int, query: Int, key: Int) -> Float {
        weights.withLayer(layer) { $0[offset(head: head) + query * length + key] }
    }

    /// Calls `body` with one query's row over all keys, in place.
    public func withQueryRow<Result>(layer: Int, head: Int, query: Int,
                                     _ body: (UnsafeBufferPointer<Float>) throws -> Result) rethrows -> Result {
        try weights.withLayer(layer) { floats in
            let start = offset(head: head) + query * length
            return try body(UnsafeBufferPointer(rebasing: floats[start ..< start + length]))
        }
    }

    /// Calls `body` with one head's map in place, `[query][key]` row-major, `L × L` floats:
    /// for pictures that read every weight (the overview's tiles) without copying the map.
    public func withHeadWeights<Result>(layer: Int, head: Int,
                                        _ body: (UnsafeBufferPointer<Float>) throws -> Result) rethrows -> Result {
        try weights.withLayer(layer) { floats in
            let start = offset(head: head)
            return try body(UnsafeBufferPointer(rebasing: floats[start ..< start + length * length]))
        }
    }

    /// One query's row over all keys.
    public func queryRow(layer: Int, head: Int, query: Int) -> [Float] {
        withQueryRow(layer: layer, head: head, query: query) { Array($0) }
    }

    /// One head's map, `[query][key]`.
    public func headWeights(layer: Int, head: Int) -> [[Float]] {
        weights.withLayer(layer) { floats in
            (0..<length).map { query in
                let start = offset(head: head) + query * length
                return Array(floats[start ..< start + length])
            }
        }
    }

    /// The mean over heads of one layer, `[query][key]`, for the "mean of heads" view.
    public func meanWeights(layer: Int) -> [[Float]] {
        var mean = [[Float]](repeating: [Float](repeating: 0, count: length), count: length)
        let share = 1 / Float(headCount)
        weights.withLayer(layer) { floats in
            guard let first = floats.baseAddress else { return }
            // Row by row through raw pointers (the compiler vectorizes the inner loop); each
            // element still sums its heads in order, so the mean is the same to the bit.
            for q in 0..<length {
                mean[q].withUnsafeMutableBufferPointer { row in
                    guard let out = row.baseAddress else { return }
                    for head in 0..<headCount {
                        let source = first + offset(head: head) + q * length      // [L]
                        for k in 0..<length { out[k] += source[k] * share }
                    }
                }
            }
        }
        return mean
    }
}
