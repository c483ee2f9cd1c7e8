/// A decoder's language-model head: next-token logits `h · Eᵀ` for one position's final
/// hidden state `h` (`[hidden]`, after the final norm), with `E` the output matrix
/// `[vocabulary][hidden]` (the input embeddings when tied). Run only for the positions shown,
/// about `2 · vocabulary · hidden` FLOP each (56.6 M for SmolLM2).
public struct CausalLMHead: Sendable {
    /// `[vocabulary][hidden]`; empty when `quantized` holds the matrix.
    let weight: Matrix
    /// `[vocabulary][hidden]` left quantized in the mapped file, one row dequantized at a time
    /// (`QuantizedRows`); the logits are bit-identical to those of the dequantized `weight`.
    let quantized: QuantizedRows?
    /// Raw vocabulary strings by id, for naming predictions.
    public let vocabulary: [String]

    public init(weight: Matrix, vocabulary: [String]) {
        self.weight = weight
        self.quantized = nil
        self.vocabulary = vocabulary
    }

    /// A head whose `[vocabulary][hidden]` matrix stays quantized.
    public init(quantized: QuantizedRows, vocabulary: [String]) {
        self.weight = Matrix(zeros: 0, quantized.rowLength)
        self.quantized = quantized
        self.vocabulary = vocabulary
    }

    public var vocabularySize: Int { quantized?.rows ?? weight.rows }

    /// Logits over the vocabulary for one hidden state of `weight.columns` features.
    public func logits(_ hidden: ArraySlice<Float>) -> [Float] {
        if let quantized { return quantizedLogits(hidden, weight: quantized) }
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

    /// `logits(_:)` with the matrix quantized: each row is dequantized into a stack buffer
    /// and dotted exactly as the F32 path does (same lanes, same order).
    private func quantizedLogits(_ hidden: ArraySlice<Float>, weight: QuantizedRows) -> [Float] {
        let width = weight.rowLength
        precondition(hidden.count == width, "CausalLMHead: hidden state has \(hidden.count) features, expected \(width)")
        var logits = [Float](repeating: 0, count: weight.rows)              // [V]
        let contiguous = Array(hidden)                                       // [H]
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * width + weight.scratchCount(columns: width)) { buffer in
            guard let row = buffer.baseAddress else { return }              // [H] one dequantized row
            let scratch = row + width
            contiguous.withUnsafeBufferPointer { h in
                guard let h = h.baseAddress else { return }
                logits.withUnsafeMutableBufferPointer { out in
                    for v in 0..<out.count {
                        weight.dequantize(row: v, columns: 0..<width, into: row, scratch: scratch)
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
