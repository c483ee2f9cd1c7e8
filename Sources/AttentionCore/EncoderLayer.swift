#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The feed-forward block of a BERT layer: `output(GELU(intermediate(x)))`, with the exact
/// erf GELU that BERT's `hidden_act: "gelu"` means.
public struct FeedForward: Sendable {
    public let intermediate: Linear
    public let output: Linear

    public init(intermediate: Linear, output: Linear) {
        self.intermediate = intermediate
        self.output = output
    }
}

/// One transformer encoder block in BERT's post-norm arrangement:
/// `a = norm(x + attentionOutput(attention(x)))`, `y = norm(a + feedForward(a))`.
/// The built-in model leaves out the norms and the feed-forward block; the attention math is
/// the same code for both.
public struct EncoderLayer: Sendable {
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let attentionOutput: Linear
    public let attentionNorm: LayerNorm?
    public let feedForward: FeedForward?
    public let outputNorm: LayerNorm?
    public let headCount: Int

    public init(query: Linear, key: Linear, value: Linear, attentionOutput: Linear,
                attentionNorm: LayerNorm?, feedForward: FeedForward?, outputNorm: LayerNorm?, headCount: Int) {
        precondition(query.outputSize % headCount == 0, "EncoderLayer: \(query.outputSize) features do not split into \(headCount) heads")
        self.query = query
        self.key = key
        self.value = value
        self.attentionOutput = attentionOutput
        self.attentionNorm = attentionNorm
        self.feedForward = feedForward
        self.outputNorm = outputNorm
        self.headCount = headCount
    }

    /// Width of one head's query/key/value vectors, `d`.
    public var headSize: Int { query.outputSize / headCount }

    /// The query, key and value projections of `x` (`[token][hidden]` each): what a mask
    /// change cannot alter in the first layer, so the engine caches them per text.
    func projections(of x: Matrix) -> QueryKeyValue {
        QueryKeyValue(queries: query.apply(x), keys: key.apply(x), values: value.apply(x))
    }

    /// Runs the block on `x` with precomputed projections.
    ///
    /// - Parameters:
    ///   - weights: receives this layer's attention probabilities, `[head][query][key]`,
    ///     `headCount × L × L` floats.
    /// - Returns: the block's output, `[token][hidden]`.
    func forward(_ x: Matrix, projections qkv: QueryKeyValue, bias: AttentionBias,
                 weights: UnsafeMutablePointer<Float>) -> Matrix {
        let length = x.rows
        let d = headSize
        let width = query.outputSize
        let scale = 1 / Float(d).squareRoot()
        var context = Matrix(zeros: length, value.outputSize)
        qkv.queries.values.withUnsafeBufferPointer { q in
            qkv.keys.values.withUnsafeBufferPointer { k in
                qkv.values.values.withUnsafeBufferPointer { v in
                    bias.values.withUnsafeBufferPointer { b in
                        context.values.withUnsafeMutableBufferPointer { c in
                            for head in 0..<headCount {
                                let headWeights = weights + head * length * length
                                AttentionKernels.scores(
                                    queries: q.baseAddress! + head * d, keys: k.baseAddress! + head * d,
                                    rowStride: width, headSize: d, length: length, scale: scale,
                                    bias: b.baseAddress!, into: headWeights)
                                for row in 0..<length {
                                    softmaxInPlace(headWeights + row * length, count: length)
                                }
                                AttentionKernels.context(
                                    weights: headWeights, values: v.baseAddress! + head * d,
                                    rowStride: width, headSize: d, length: length,
                                    into: c.baseAddress! + head * d)
                            }
                        }
                    }
                }
            }
        }
        var attended = attentionOutput.apply(context)
        addResidual(x, to: &attended)
        if let attentionNorm { attentionNorm.apply(&attended) }
        guard let feedForward else { return attended }
        var inner = feedForward.intermediate.apply(attended)
        inner.values.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = gelu(p[i]) }
        }
        var output = feedForward.output.apply(inner)
        addResidual(attended, to: &output)
        if let outputNorm { outputNorm.apply(&output) }
        return output
    }
}

/// A layer's query, key and value projections, each `[token][hidden]`; head `h` owns
/// columns `h·d ..< (h+1)·d`.
struct QueryKeyValue: Sendable {
    let queries: Matrix
    let keys: Matrix
    let values: Matrix
}

@inline(__always)
func gelu(_ x: Float) -> Float {
    0.5 * x * (1 + erff(x * 0.70710678118654752440))
}

private func addResidual(_ residual: Matrix, to x: inout Matrix) {
    x.values.withUnsafeMutableBufferPointer { out in
        residual.values.withUnsafeBufferPointer { r in
            for i in out.indices { out[i] += r[i] }
        }
    }
}
