import Foundation

/// Softmax step by step for one query row of one layer and head: what the explorer's math
/// view and `maskscope explain` walk through. Every array has one entry per key.
///
/// Computed in float32 the way the forward pass does it (bias added, row maximum subtracted,
/// exponentiated, divided by the sum), so `weights` match `ForwardResult.attention` to ~1e-6.
public struct SoftmaxBreakdown: Equatable, Sendable {
    public let layer: Int
    public let head: Int
    public let query: Int
    /// Every token, so the row can be labelled.
    public let tokens: [String]
    /// `q·k/√d` before the mask: the head's raw preference for each key.
    public let scores: [Float]
    /// The mask's additive bias on each key of this row: 0 kept, float32's lowest (hf, hf4)
    /// or −∞ (soft at 0) masked. −∞ is kept as `-Float.infinity`.
    public let bias: [Float]
    /// `scores + bias`, the logits softmax sees.
    public let biased: [Float]
    /// The largest biased logit, subtracted before exponentiating (−∞ when every key is −∞).
    public let rowMax: Float
    /// `exp(biased − rowMax)`: unnormalised weights in (0, 1]; exactly 0 for masked keys.
    public let exp: [Float]
    /// Sum of `exp`; 0 when the row has no key to attend to.
    public let sum: Float
    /// `exp / sum`: the attention weights. All zeros when every bias is −∞ (no defined softmax).
    public let weights: [Float]

    /// True when every key's bias is −∞, so the row has no softmax and its weights are zeros.
    public var hasNoKeys: Bool { rowMax == -.infinity }

    /// - Parameters:
    ///   - result: a forward pass; its `bias` and raw scores are used.
    ///   - tokens: the pass's tokens, `result.attention.length` of them.
    /// - Throws: `SoftmaxBreakdownError` when layer, head or query is out of range.
    public init(result: ForwardResult, tokens: [String], layer: Int, head: Int, query: Int) throws {
        let maps = result.attention
        guard (0..<maps.layerCount).contains(layer) else {
            throw SoftmaxBreakdownError.outOfRange(what: "layer", index: layer, count: maps.layerCount)
        }
        guard (0..<maps.headCount).contains(head) else {
            throw SoftmaxBreakdownError.outOfRange(what: "head", index: head, count: maps.headCount)
        }
        guard (0..<maps.length).contains(query) else {
            throw SoftmaxBreakdownError.outOfRange(what: "query", index: query, count: maps.length)
        }
        let length = maps.length
        self.layer = layer
        self.head = head
        self.query = query
        self.tokens = tokens
        scores = result.rawScores(layer: layer, head: head, query: query)
        bias = Array(result.bias.values[query * length ..< (query + 1) * length])
        biased = zip(scores, bias).map { $0 + $1 }
        rowMax = biased.max() ?? -.infinity
        if rowMax == -.infinity {
            exp = [Float](repeating: 0, count: length)
            sum = 0
            weights = exp
        } else {
            let rowMax = rowMax
            exp = biased.map { Foundation.exp($0 - rowMax) }
            let sum = exp.reduce(0, +)
            self.sum = sum
            let inverse = 1 / sum
            weights = exp.map { $0 * inverse }
        }
    }
}

/// A softmax breakdown asked for a row that does not exist.
public enum SoftmaxBreakdownError: Error, CustomStringConvertible, Equatable {
    case outOfRange(what: String, index: Int, count: Int)

    public var description: String {
        switch self {
        case let .outOfRange(what, index, count):
            return "\(what) \(index) is out of range; there are \(count) (0…\(count - 1))"
        }
    }
}
