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
    /// of the output columns of all three.
    func project(
        _ x: UnsafePointer<Float>, rows: Int,
        queries: UnsafeMutablePointer<Float>, queryStride: Int,
        keys: UnsafeMutablePointer<Float>, keyStride: Int,
        values: UnsafeMutablePointer<Float>, valueStride: Int, workers: WorkerPool
    ) {
        let work = rows * query.inputSize * (query.outputSize + key.outputSize + value.outputSize)
        guard workers.threads > 1, work >= PanelMultiply.minimumParallelWork else {
            query.apply(input: x, rows: rows, output: queries, outputStride: queryStride, workers: nil)
            key.apply(input: x, rows: rows, output: keys, outputStride: keyStride, workers: nil)
            value.apply(input: x, rows: rows, output: values, outputStride: valueStride, workers: nil)
            return
        }
        workers.run { part in
            query.multiplyShare(x, rows: rows, into: queries, outputStride: queryStride, part: part, of: workers)
            key.multiplyShare(x, rows: rows, into: keys, outputStride: keyStride, part: part, of: workers)
            value.multiplyShare(x, rows: rows, into: values, outputStride: valueStride, part: part, of: workers)
        }
    }

    /// Runs the block on the `length × hidden` activations in `workspace.hidden`, whose query,
    /// key and value projections are already computed, and leaves its output there.
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
        let d = headSize
        let width = query.outputSize
        let scale = 1 / Float(d).squareRoot()
        let heads = headCount
        workers.run { part in
            for head in workers.share(of: heads, part: part) {
                AttentionKernels.attend(
                    query: queries + head * d, queryStride: queryStride, key: keys + head * d, keyStride: keyStride,
                    value: values + head * d, valueStride: valueStride, length: length, headSize: d, scale: scale,
                    bias: bias, weights: weights + head * length * length,
                    context: workspace.context + head * d, contextStride: width, scratch: workspace.scratch(part: part))
            }
        }
        let x = workspace.hidden
        let attended = workspace.attended
        attentionOutput.apply(input: workspace.context, rows: length, output: attended, workers: workers)
        let hiddenWidth = attentionOutput.outputSize
        forEachRowShare(rows: length, width: hiddenWidth, workers: workers) { rows in
            if let attentionNorm {
                attentionNorm.addAndNormalize(attended, residual: x, rows: rows)
            } else {
                addRows(x, to: attended, width: hiddenWidth, rows: rows)
            }
        }
        guard let feedForward else {
            x.update(from: attended, count: length * hiddenWidth)
            return
        }
        feedForward.intermediate.multiplyWithGELU(attended, rows: length, into: workspace.inner, workers: workers)
        feedForward.output.apply(input: workspace.inner, rows: length, output: x, workers: workers)
        forEachRowShare(rows: length, width: hiddenWidth, workers: workers) { rows in
            if let outputNorm {
                outputNorm.addAndNormalize(x, residual: attended, rows: rows)
            } else {
                addRows(attended, to: x, width: hiddenWidth, rows: rows)
            }
        }
    }
}

/// Runs `body` on consecutive shares of `0..<rows`, one per pool thread, or on all rows at
/// once when the work (`rows × width` floats of elementwise work) is too small to split.
private func forEachRowShare(rows: Int, width: Int, workers: WorkerPool, _ body: (Range<Int>) -> Void) {
    guard workers.threads > 1, rows * width >= 1 << 14 else {
        body(0..<rows)
        return
    }
    workers.run { part in
        let share = workers.share(of: rows, part: part)
        if !share.isEmpty { body(share) }
    }
}

/// `x[r] += residual[r]` for the rows in `rows`, rows `width` floats apart.
private func addRows(_ residual: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, width: Int, rows: Range<Int>) {
    let start = rows.lowerBound * width, end = rows.upperBound * width
    var i = start
    while i + 16 <= end {
        SIMDMath.store(SIMDMath.load(x + i) + SIMDMath.load(residual + i), x + i)
        i += 16
    }
    while i < end { x[i] += residual[i]; i += 1 }
}

extension Linear {
    /// Thread `part`'s share of `output = input · Wᵀ + b`: its consecutive run of the packed
    /// 32-column panels, every row. Inputs are packed rows of `inputSize` floats.
    func multiplyShare(
        _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>, outputStride: Int,
        part: Int, of workers: WorkerPool
    ) {
        let panels = workers.share(of: packed.layout.panelCount, part: part)
        guard !panels.isEmpty, rows > 0 else { return }
        multiplier.runShare(a: input, aStride: inputSize, c: output, cStride: outputStride,
                            rowRange: 0..<rows, panelRange: panels)
    }

    /// `output = GELU(input · Wᵀ + b)`, `rows × outputSize` packed rows: each thread takes a
    /// run of panels and applies GELU to each panel's column strip right after computing it,
    /// while the strip is still in L2.
    func multiplyWithGELU(
        _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>, workers: WorkerPool
    ) {
        let panelCount = packed.layout.panelCount
        let width = packed.layout.panelWidth
        let multiplier = multiplier
        let columns = outputSize
        func body(_ panels: Range<Int>) {
            for panel in panels {
                multiplier.runShare(a: input, aStride: inputSize, c: output, cStride: columns,
                                    rowRange: 0..<rows, panelRange: panel..<(panel + 1))
                let n0 = panel * width
                let count = min(width, columns - n0)
                for row in 0..<rows { SIMDMath.geluInPlace(output + row * columns + n0, count: count) }
            }
        }
        guard workers.threads > 1, rows * inputSize * outputSize >= PanelMultiply.minimumParallelWork else {
            body(0..<panelCount)
            return
        }
        workers.run { part in body(workers.share(of: panelCount, part: part)) }
    }

    private var multiplier: PanelMultiply {
        PanelMultiply(kernel: packed.kernel, layout: packed.layout, panels: packed.panels,
                      bias: packed.paddedBias, scale: 1)
    }
}

/// A layer's query, key and value projections, each `[token][hidden]`; head `h` owns
/// columns `h·d ..< (h+1)·d`.
struct QueryKeyValue: Sendable {
    let queries: Matrix
    let keys: Matrix
    let values: Matrix
}
