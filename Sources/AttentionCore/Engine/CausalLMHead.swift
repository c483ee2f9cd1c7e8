/// A decoder's language-model head: next-token logits `h · Eᵀ` for one position's final
/// hidden state `h` (`[hidden]`, after the final norm), with `E` the output matrix
/// `[vocabulary][hidden]` (the input embeddings when tied). Run only for the positions shown,
/// about `2 · vocabulary · hidden` FLOP each (56.6 M for SmolLM2).
public struct CausalLMHead: Sendable {
    /// `[vocabulary][hidden]`.
    let weight: Matrix
    /// Raw vocabulary strings by id, for naming predictions.
    public let vocabulary: [String]

    public init(weight: Matrix, vocabulary: [String]) {
        self.weight = weight
        self.vocabulary = vocabulary
    }

    public var vocabularySize: Int { weight.rows }

    /// Logits over the vocabulary for one hidden state of `weight.columns` features.
    public func logits(_ hidden: ArraySlice<Float>) -> [Float] {
        let width = weight.columns
        precondition(hidden.count == width, "CausalLMHead: hidden state has \(hidden.count) features, expected \(width)")
        var logits = [Float](repeating: 0, count: weight.rows)              // [V]
        hidden.withContiguousStorageIfAvailable { h in
            weight.values.withUnsafeBufferPointer { w in
                guard let h = h.baseAddress, let w = w.baseAddress else { return }
                logits.withUnsafeMutableBufferPointer { out in
                    for v in 0..<out.count {
                        let row = w + v * width                                 // [H]
                        var sums = SIMD16<Float>()
                        var i = 0
                        while i + 16 <= width {
                            sums += SIMDMath.load(row + i) * SIMDMath.load(h + i)
                            i += 16
                        }
                        var dot = sums.sum()
                        while i < width { dot += row[i] * h[i]; i += 1 }
                        out[v] = dot
                    }
                }
            }
        }
        return logits
    }

    /// The probabilities `softmax(logits)` over the vocabulary, computed in Double for the sum.
    public static func probabilities(_ logits: [Float]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let exps = logits.map { Foundation.exp(Double($0 - top)) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

import Foundation
