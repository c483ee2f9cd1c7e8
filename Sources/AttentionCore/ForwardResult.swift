/// Everything one forward pass produced that Maskscope shows.
public struct ForwardResult: Sendable {
    /// Attention probabilities, `[layer][head][query][key]`.
    public let attention: AttentionMaps
    /// The last layer's output, `[token][hidden]`.
    public let hidden: Matrix
    /// The bias that was added to the logits, `[query][key]`.
    public let bias: AttentionBias
    /// Query and key projections per layer, kept so raw scores can be shown on demand
    /// without storing `layers × heads × L²` of them.
    let projections: [QueryKeyValue]
    let headSize: Int

    /// Raw scores `q·k/√d` of one query row before the mask bias, one per key.
    public func rawScores(layer: Int, head: Int, query: Int) -> [Float] {
        let qkv = projections[layer]
        let width = qkv.queries.columns
        let scale = 1 / Float(headSize).squareRoot()
        let queryStart = query * width + head * headSize
        return (0..<attention.length).map { key in
            let keyStart = key * width + head * headSize
            var dot: Float = 0
            for i in 0..<headSize { dot += qkv.queries.values[queryStart + i] * qkv.keys.values[keyStart + i] }
            return dot * scale
        }
    }

    /// Queries left with no key to attend to (every key's bias −∞); their rows are zeros.
    public var queriesWithNoKeys: [Int] { bias.queriesWithNoKeys }
}
