/// A decoder's language-model head: next-token logits `h · Eᵀ` for one position's final
/// hidden state `h` (`[hidden]`, after the final norm), with `E` the output matrix
/// `[vocabulary][hidden]` (the input embeddings when tied). Run only for the positions shown,
/// about `2 · vocabulary · hidden` FLOP each (56.6 M for SmolLM2).
public struct CausalLMHead: Sendable {
    /// `[vocabulary][hidden]`: float32, or a tied decoder's quantized embeddings, dequantized
    /// a chunk of rows at a time (the same floats, so the same logits).
    let table: EmbeddingTable
    /// Raw vocabulary strings by id, for naming predictions.
    public let vocabulary: [String]

    public init(weight: Matrix, vocabulary: [String]) {
        self.init(table: .dense(weight), vocabulary: vocabulary)
    }

    public init(table: EmbeddingTable, vocabulary: [String]) {
        self.table = table
        self.vocabulary = vocabulary
    }

    public var vocabularySize: Int { table.rows }

    /// Rows of a quantized table expanded at once: 64 × 576 floats (147 KB) stay in L2.
    static let chunkRows = 64

    /// Logits over the vocabulary for one hidden state of `table.columns` features.
    public func logits(_ hidden: ArraySlice<Float>) -> [Float] {
        let width = table.columns
        precondition(hidden.count == width, "CausalLMHead: hidden state has \(hidden.count) features, expected \(width)")
        var logits = [Float](repeating: 0, count: table.rows)               // [V]
        hidden.withContiguousStorageIfAvailable { h in
            guard let h = h.baseAddress else { return }
            logits.withUnsafeMutableBufferPointer { out in
                guard let out = out.baseAddress else { return }
                switch table {
                case .dense(let weight):
                    weight.values.withUnsafeBufferPointer { w in
                        guard let w = w.baseAddress else { return }
                        Self.dot(rows: w, count: weight.rows, width: width, hidden: h, into: out)
                    }
                case .mapped(let floats, _):
                    Self.dot(rows: floats.base, count: table.rows, width: width, hidden: h, into: out)
                case .quantized(let rows):
                    let chunk = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunkRows * width)   // [64][H]
                    defer { chunk.deallocate() }
                    var first = 0
                    while first < rows.rows {
                        let count = min(Self.chunkRows, rows.rows - first)
                        for r in 0..<count { rows.dequantizeRow(first + r, into: chunk + r * width) }
                        Self.dot(rows: chunk, count: count, width: width, hidden: h, into: out + first)
                        first += count
                    }
                }
            }
        }
        return logits
    }

    /// `out[v] = rows[v] · h` for `count` rows of `width` floats.
    private static func dot(rows w: UnsafePointer<Float>, count: Int, width: Int, hidden h: UnsafePointer<Float>,
                            into out: UnsafeMutablePointer<Float>) {
        for v in 0..<count {
            let row = w + v * width                                         // [H]
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

    /// The probabilities `softmax(logits)` over the vocabulary, computed in Double for the sum.
    public static func probabilities(_ logits: [Float]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let exps = logits.map { Foundation.exp(Double($0 - top)) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

import Foundation
