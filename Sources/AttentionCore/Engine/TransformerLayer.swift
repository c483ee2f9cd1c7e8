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
    func projections(of x: Matrix, workers: WorkerPool) -> QueryKeyValue {
        precondition(x.columns == query.inputSize, "EncoderLayer: input has \(x.columns) features, expected \(query.inputSize)")
        var queries = Matrix(zeros: x.rows, query.outputSize)
        var keys = Matrix(zeros: x.rows, key.outputSize)
        var values = Matrix(zeros: x.rows, value.outputSize)
        let rows = x.rows
        x.values.withUnsafeBufferPointer { input in
            queries.values.withUnsafeMutableBufferPointer { q in
                keys.values.withUnsafeMutableBufferPointer { k in
                    values.values.withUnsafeMutableBufferPointer { v in
                        guard let input = input.baseAddress, let q = q.baseAddress, let k = k.baseAddress,
                              let v = v.baseAddress else { return }
                        project(input, rows: rows, queries: q, queryStride: query.outputSize, keys: k,
                                keyStride: key.outputSize, values: v, valueStride: value.outputSize, workers: workers)
                    }
                }
            }
        }
        return QueryKeyValue(queries: queries, keys: keys, values: values)
    }

    /// Writes the query, key and value projections of `x` (`rows × inputSize`, packed rows),
    /// each at its own pointer and row stride; one pool job, each thread computing its share
    /// of the output columns of all three. With `values` nil only the queries and keys are
    /// computed (enough for the attention probabilities).
    func project(
        _ x: UnsafePointer<Float>, rows: Int,
        queries: UnsafeMutablePointer<Float>, queryStride: Int,
        keys: UnsafeMutablePointer<Float>, keyStride: Int,
        values: UnsafeMutablePointer<Float>?, valueStride: Int, workers: WorkerPool
    ) {
        let valueColumns = values == nil ? 0 : value.outputSize
        let work = rows * query.inputSize * (query.outputSize + key.outputSize + valueColumns)
        let parts = work >= PanelMultiply.minimumParallelWork ? workers.threads : 1
        dispatch(ProjectionJob(
            query: LinearShareJob(linear: query, input: x, rows: rows, output: queries, outputStride: queryStride, parts: parts),
            key: LinearShareJob(linear: key, input: x, rows: rows, output: keys, outputStride: keyStride, parts: parts),
            value: values.map {
                LinearShareJob(linear: value, input: x, rows: rows, output: $0, outputStride: valueStride, parts: parts)
            }),
            parts: parts, workers: workers)
    }

    /// This layer's attention probabilities alone, from its queries and keys: what the last
    /// layer of a pass that only shows attention needs. The weights are bit-identical to
    /// those `forward` writes; `workspace.hidden` is left as it was.
    ///
    /// - Parameters:
    ///   - bias: `[query][key]`, `length × length`.
    ///   - weights: receives `[head][query][key]`, `headCount × length × length` floats.
    func attentionWeights(
        length: Int, queries: UnsafePointer<Float>, queryStride: Int, keys: UnsafePointer<Float>, keyStride: Int,
        bias: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>, workspace: ForwardWorkspace, workers: WorkerPool
    ) {
        let heads = HeadsJob(
            queries: queries, queryStride: queryStride, keys: keys, keyStride: keyStride,
            values: nil, valueStride: 0, length: length, headCount: headCount, headSize: headSize,
            bias: bias, weights: weights, context: nil, contextStride: 0,
            workspace: workspace, parts: workers.threads)
        dispatch(heads, parts: workers.threads, workers: workers)
    }

    /// Runs the block on the `length × hidden` activations in `workspace.hidden`, whose query,
    /// key and value projections are already computed, and leaves its output there.
    /// Allocation-free: every parallel step is a `PoolJob`.
    ///
    /// - Parameters:
    ///   - bias: `[query][key]`, `length × length`.
    ///   - weights: receives this layer's attention probabilities, `[head][query][key]`,
    ///     `headCount × length × length` floats.
    func forward(
        length: Int, queries: UnsafePointer<Float>, queryStride: Int, keys: UnsafePointer<Float>, keyStride: Int,
        values: UnsafePointer<Float>, valueStride: Int, bias: UnsafePointer<Float>,
        weights: UnsafeMutablePointer<Float>, workspace: ForwardWorkspace, workers: WorkerPool
    ) {
        let width = query.outputSize
        let heads = HeadsJob(
            queries: queries, queryStride: queryStride, keys: keys, keyStride: keyStride,
            values: values, valueStride: valueStride, length: length, headCount: headCount, headSize: headSize,
            bias: bias, weights: weights, context: workspace.context, contextStride: width,
            workspace: workspace, parts: workers.threads)
        dispatch(heads, parts: workers.threads, workers: workers)

        let x = workspace.hidden
        let attended = workspace.attended
        let hiddenWidth = attentionOutput.outputSize
        let rowParts = length * hiddenWidth >= 1 << 14 ? workers.threads : 1
        multiply(attentionOutput, workspace.context, rows: length, into: attended, workers: workers)
        dispatch(ResidualJob(norm: attentionNorm, x: attended, residual: x, width: hiddenWidth, rows: length, parts: rowParts),
                 parts: rowParts, workers: workers)
        guard let feedForward else {
            x.update(from: attended, count: length * hiddenWidth)
            return
        }
        multiply(feedForward.intermediate, attended, rows: length, into: workspace.inner, gelu: true, workers: workers)
        multiply(feedForward.output, workspace.inner, rows: length, into: x, workers: workers)
        dispatch(ResidualJob(norm: outputNorm, x: x, residual: attended, width: hiddenWidth, rows: length, parts: rowParts),
                 parts: rowParts, workers: workers)
    }

    /// `output = input · Wᵀ + b` (then GELU when asked), split by column panels across the
    /// pool when the product is large enough to pay for waking a thread.
    private func multiply(
        _ linear: Linear, _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
        gelu: Bool = false, workers: WorkerPool
    ) {
        let work = rows * linear.inputSize * linear.outputSize
        let parts = work >= PanelMultiply.minimumParallelWork ? workers.threads : 1
        dispatch(LinearShareJob(linear: linear, input: input, rows: rows, output: output,
                                outputStride: linear.outputSize, parts: parts, gelu: gelu),
                 parts: parts, workers: workers)
    }
}

/// Runs `job` on the pool when it is cut into several parts, else as its one part here.
private func dispatch<Job: PoolJob>(_ job: Job, parts: Int, workers: WorkerPool) {
    if parts > 1 { workers.run(job) } else { job.run(part: 0) }
}

/// Part `part` of `0..<count` cut into `parts` near-equal consecutive ranges.
private func share(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
    (part * count / parts)..<((part + 1) * count / parts)
}

/// One linear layer's share of output panels, every row; with `gelu`, each panel's column
/// strip goes through GELU right after it is computed, while it is still in L2.
private struct LinearShareJob: PoolJob {
    let linear: Linear
    let input: UnsafePointer<Float>
    let rows: Int
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int
    let parts: Int
    var gelu = false

    func run(part: Int) {
        let packed = linear.packed
        let multiplier = PanelMultiply(kernel: packed.kernel, layout: packed.layout, panels: packed.panels,
                                       bias: packed.paddedBias, scale: 1)
        let panels = share(part, of: parts, count: packed.layout.panelCount)
        guard !panels.isEmpty, rows > 0 else { return }
        guard gelu else {
            multiplier.runShare(a: input, aStride: linear.inputSize, c: output, cStride: outputStride,
                                rowRange: 0..<rows, panelRange: panels)
            return
        }
        let width = packed.layout.panelWidth
        for panel in panels {
            multiplier.runShare(a: input, aStride: linear.inputSize, c: output, cStride: outputStride,
                                rowRange: 0..<rows, panelRange: panel..<(panel + 1))
            let n0 = panel * width
            let count = min(width, linear.outputSize - n0)
            for row in 0..<rows { SIMDMath.geluInPlace(output + row * outputStride + n0, count: count) }
        }
    }
}

/// The query, key and value projections in one job: each part takes its panel share of all three.
private struct ProjectionJob: PoolJob {
    let query: LinearShareJob
    let key: LinearShareJob
    let value: LinearShareJob?

    func run(part: Int) {
        query.run(part: part)
        key.run(part: part)
        value?.run(part: part)
    }
}

/// Self-attention of every head, heads split across parts; each part packs into its own scratch.
private struct HeadsJob: PoolJob {
    let queries: UnsafePointer<Float>, queryStride: Int
    let keys: UnsafePointer<Float>, keyStride: Int
    /// Nil (with `context`) when only the weights are wanted.
    let values: UnsafePointer<Float>?, valueStride: Int
    let length: Int, headCount: Int, headSize: Int
    let bias: UnsafePointer<Float>
    let weights: UnsafeMutablePointer<Float>
    let context: UnsafeMutablePointer<Float>?, contextStride: Int
    let workspace: ForwardWorkspace
    let parts: Int

    func run(part: Int) {
        let d = headSize
        let scale = 1 / Float(d).squareRoot()
        for head in share(part, of: parts, count: headCount) {
            var headValues: HeadValues?
            if let values, let context {
                headValues = HeadValues(value: values + head * d, valueStride: valueStride,
                                        context: context + head * d, contextStride: contextStride)
            }
            AttentionKernels.attend(
                query: queries + head * d, queryStride: queryStride, key: keys + head * d, keyStride: keyStride,
                values: headValues, length: length, headSize: d, scale: scale,
                bias: bias, weights: weights + head * length * length, scratch: workspace.scratch(part: part))
        }
    }
}

/// `x = norm(x + residual)` (or just `x + residual` without a norm) on a share of the rows.
private struct ResidualJob: PoolJob {
    let norm: LayerNorm?
    let x: UnsafeMutablePointer<Float>
    let residual: UnsafePointer<Float>
    let width: Int
    let rows: Int
    let parts: Int

    func run(part: Int) {
        let rowShare = share(part, of: parts, count: rows)
        guard !rowShare.isEmpty else { return }
        if let norm {
            norm.addAndNormalize(x, residual: residual, rows: rowShare)
            return
        }
        let start = rowShare.lowerBound * width, end = rowShare.upperBound * width
        var i = start
        while i + 16 <= end {
            SIMDMath.store(SIMDMath.load(x + i) + SIMDMath.load(residual + i), x + i)
            i += 16
        }
        while i < end { x[i] += residual[i]; i += 1 }
    }
}

/// A layer's query, key and value projections, each `[token][hidden]`; head `h` owns
/// columns `h·d ..< (h+1)·d`.
struct QueryKeyValue: Sendable {
    let queries: Matrix
    let keys: Matrix
    let values: Matrix
}
