#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The position-wise MLP of a layer, as `TransformerDescription.MLPKind` names it:
/// `output(act(intermediate(x)))`, or with a gate `output(SiLU(gate(x)) ⊙ intermediate(x))`.
public struct FeedForward: Sendable {
    public let kind: TransformerDescription.MLPKind
    /// The up projection, `[inner][hidden]`.
    public let intermediate: Linear
    /// The gate projection of `.gatedSiLU`, `[inner][hidden]`; nil otherwise.
    public let gate: Linear?
    /// The down projection, `[hidden][inner]`.
    public let output: Linear

    /// The exact-GELU MLP of BERT.
    public init(intermediate: Linear, output: Linear) {
        self.init(kind: .gelu, intermediate: intermediate, gate: nil, output: output)
    }

    public init(kind: TransformerDescription.MLPKind, intermediate: Linear, gate: Linear?, output: Linear) {
        precondition((kind == .gatedSiLU) == (gate != nil), "FeedForward: a gate goes with .gatedSiLU and only with it")
        self.kind = kind
        self.intermediate = intermediate
        self.gate = gate
        self.output = output
    }
}

/// One transformer block of any family, run as its `TransformerDescription` says.
///
/// Post-norm (BERT): `a = norm₁(x + O·attention(x))`, `y = norm₂(a + MLP(a))`.
/// Pre-norm (GPT-2, Llama): `a = x + O·attention(norm₁(x))`, `y = a + MLP(norm₂(a))`.
/// Without norms or MLP (the built-in model): `y = x + O·attention(x)`, or the attention
/// output alone when there is no MLP. Q, K and V are projected once per layer; the
/// positional transform (rotary) acts on Q and K between projection and attention.
public struct TransformerLayer: Sendable {
    public let description: TransformerDescription
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let attentionOutput: Linear
    /// Post-norm: after the attention residual; pre-norm: before the projections.
    public let attentionNorm: Norm?
    public let feedForward: FeedForward?
    /// Post-norm: after the MLP residual; pre-norm: before the MLP.
    public let outputNorm: Norm?

    public init(description: TransformerDescription, query: Linear, key: Linear, value: Linear,
                attentionOutput: Linear, attentionNorm: Norm?, feedForward: FeedForward?, outputNorm: Norm?) {
        let a = description.attention, hidden = description.hiddenSize
        precondition(description.problem == nil, "TransformerLayer: \(description.problem ?? "")")
        precondition(query.inputSize == hidden && query.outputSize == a.queryWidth,
                     "TransformerLayer: query is \(query.outputSize)x\(query.inputSize), expected \(a.queryWidth)x\(hidden)")
        precondition(key.inputSize == hidden && key.outputSize == a.keyValueWidth && value.inputSize == hidden && value.outputSize == a.keyValueWidth,
                     "TransformerLayer: key/value are not \(a.keyValueWidth)x\(hidden)")
        precondition(attentionOutput.inputSize == a.queryWidth && attentionOutput.outputSize == hidden,
                     "TransformerLayer: attention output is \(attentionOutput.outputSize)x\(attentionOutput.inputSize), expected \(hidden)x\(a.queryWidth)")
        self.description = description
        self.query = query
        self.key = key
        self.value = value
        self.attentionOutput = attentionOutput
        self.attentionNorm = attentionNorm
        self.feedForward = feedForward
        self.outputNorm = outputNorm
    }

    public var headCount: Int { description.attention.headCount }
    /// Width of one head's query/key/value vectors, `d`.
    public var headSize: Int { description.attention.headSize }
    var isPreNorm: Bool { description.norms?.placement == .pre && attentionNorm != nil }

    /// The query, key and value projections of `x` (`[token][hidden]`), positions applied:
    /// what a mask change cannot alter in the first layer, so the engine caches them per text.
    func projections(of x: Matrix, workers: WorkerPool) -> QueryKeyValue {
        precondition(x.columns == query.inputSize, "TransformerLayer: input has \(x.columns) features, expected \(query.inputSize)")
        var input = x                                                      // [L][H]
        if isPreNorm, let attentionNorm { attentionNorm.apply(&input) }   // [L][H] norm₁(x)
        let a = description.attention
        var queries = Matrix(zeros: x.rows, a.queryWidth)                  // [L][heads·d]
        var keys = Matrix(zeros: x.rows, a.keyValueWidth)                  // [L][kvHeads·d]
        var values = Matrix(zeros: x.rows, a.keyValueWidth)                // [L][kvHeads·d]
        let rows = x.rows
        input.values.withUnsafeBufferPointer { input in
            queries.values.withUnsafeMutableBufferPointer { q in
                keys.values.withUnsafeMutableBufferPointer { k in
                    values.values.withUnsafeMutableBufferPointer { v in
                        guard let input = input.baseAddress, let q = q.baseAddress, let k = k.baseAddress,
                              let v = v.baseAddress else { return }
                        project(input, rows: rows, queries: q, queryStride: a.queryWidth, keys: k,
                                keyStride: a.keyValueWidth, values: v, valueStride: a.keyValueWidth, workers: workers)
                        applyPositions(rows: rows, queries: q, queryStride: a.queryWidth, keys: k, keyStride: a.keyValueWidth)
                    }
                }
            }
        }
        return QueryKeyValue(queries: queries, keys: keys, values: values)
    }

    /// What the projections read: `x` itself after a post-norm layer, else `norm₁(x)` written
    /// into `scratch` (`rows × hidden` floats).
    func projectionInput(_ x: UnsafeMutablePointer<Float>, rows: Int, scratch: UnsafeMutablePointer<Float>,
                         workers: WorkerPool) -> UnsafePointer<Float> {
        guard isPreNorm, let attentionNorm else { return UnsafePointer(x) }
        let width = description.hiddenSize
        scratch.update(from: x, count: rows * width)                       // [L][H]
        let parts = rows * width >= 1 << 14 ? workers.threads : 1
        workers.dispatch(NormJob(norm: attentionNorm, x: scratch, residual: nil, rows: rows, parts: parts), parts: parts)
        return UnsafePointer(scratch)                                      // [L][H] norm₁(x)
    }

    /// Writes the query, key and value projections of `x` (`rows × hidden`, packed rows),
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
        let parts = workers.multiplyParts(work: work, panels: query.packed.layout.panelCount)
        workers.dispatch(ProjectionJob(
            query: LinearShareJob(linear: query, input: x, rows: rows, output: queries, outputStride: queryStride, parts: parts),
            key: LinearShareJob(linear: key, input: x, rows: rows, output: keys, outputStride: keyStride, parts: parts),
            value: values.map {
                LinearShareJob(linear: value, input: x, rows: rows, output: $0, outputStride: valueStride, parts: parts)
            }),
            parts: parts)
    }

    /// The positional transform between projection and attention, in place on Q
    /// (`rows × heads·d` at `queryStride`) and K (`rows × kvHeads·d` at `keyStride`); row `t`
    /// is position `firstPosition + t`. Nothing for `.none` and `.learnedAbsolute` (those
    /// positions, if any, came with the embeddings).
    func applyPositions(rows: Int, queries: UnsafeMutablePointer<Float>, queryStride: Int,
                        keys: UnsafeMutablePointer<Float>, keyStride: Int, firstPosition: Int = 0) {
        guard case .rotary(let base) = description.positions else { return }
        let a = description.attention
        RotaryPositions(base: base, headSize: a.headSize)
            .rotate(queries: queries, queryStride: queryStride, queryHeads: a.headCount,
                    keys: keys, keyStride: keyStride, keyHeads: a.keyValueHeadCount, rows: rows,
                    firstPosition: firstPosition)
    }

    /// This layer's attention probabilities alone, from its queries and keys: what the last
    /// layer of a pass that only shows attention needs. The weights are bit-identical to
    /// those `forward` writes; `workspace.hidden` is left as it was.
    ///
    /// - Parameters:
    ///   - bias: `[query][key]`, `length × length`.
    ///   - weights: receives `[head][query][key]`, `headCount × length × length` floats; the
    ///     rows of queries before `firstRow` are left as they are.
    func attentionWeights(
        length: Int, firstRow: Int = 0, queries: UnsafePointer<Float>, queryStride: Int, keys: UnsafePointer<Float>,
        keyStride: Int, bias: UnsafePointer<Float>, visibleKeys: GroupedAttention.VisibleKeys = .all,
        weights: UnsafeMutablePointer<Float>, workspace: ForwardWorkspace, workers: WorkerPool
    ) {
        let heads = HeadsJob(operands: GroupedAttention.Operands(
            queries: queries, queryStride: queryStride, keys: keys, keyStride: keyStride,
            values: nil, valueStride: 0, context: nil, contextStride: 0, bias: bias, weights: weights,
            length: length, attention: description.attention, visible: visibleKeys, firstQuery: firstRow),
            workspace: workspace, parts: workers.threads)
        workers.dispatch(heads, parts: workers.threads)
    }

    /// Runs the block on the `length × hidden` activations `x` in `workspace.hidden`, whose
    /// query, key and value projections are already computed (positions applied), and leaves
    /// its output there. Allocation-free: every parallel step is a `PoolJob`.
    ///
    /// With `firstRow` above 0 only the tokens from `firstRow` on are run (a causal pass
    /// reusing an unchanged prefix): their queries attend to every key and value, the earlier
    /// rows of `x`, `weights` and the workspace are neither read nor written, and each computed
    /// row gets the same operations as in a full pass.
    ///
    /// - Parameters:
    ///   - bias: `[query][key]`, `length × length`.
    ///   - weights: receives this layer's attention probabilities, `[head][query][key]`,
    ///     `headCount × length × length` floats.
    ///   - attentionDone: called once `weights` is complete, before the output projection and
    ///     the MLP, so the explorer can draw this layer's map while the rest of the layer runs.
    func forward(
        length: Int, firstRow: Int = 0, queries: UnsafePointer<Float>, queryStride: Int, keys: UnsafePointer<Float>,
        keyStride: Int, values: UnsafePointer<Float>, valueStride: Int, bias: UnsafePointer<Float>,
        visibleKeys: GroupedAttention.VisibleKeys = .all,
        weights: UnsafeMutablePointer<Float>, workspace: ForwardWorkspace, workers: WorkerPool,
        attentionDone: () -> Void = {}
    ) {
        let a = description.attention
        // context = softmax(Q·Kᵀ/√d + bias)·V, head h reading kv head h / groupSize   [L][heads·d]
        let heads = HeadsJob(operands: GroupedAttention.Operands(
            queries: queries, queryStride: queryStride, keys: keys, keyStride: keyStride,
            values: values, valueStride: valueStride, context: workspace.context, contextStride: a.queryWidth,
            bias: bias, weights: weights, length: length, attention: a, visible: visibleKeys, firstQuery: firstRow),
            workspace: workspace, parts: workers.threads)
        workers.dispatch(heads, parts: workers.threads)
        attentionDone()

        let hiddenWidth = description.hiddenSize
        let rows = length - firstRow                               // R = rows computed
        guard rows > 0 else { return }
        let x = workspace.hidden + firstRow * hiddenWidth          // [R][H] the layer's input
        let attended = workspace.attended + firstRow * hiddenWidth // [R][H]
        let context = workspace.context + firstRow * a.queryWidth  // [R][heads·d]
        let rowParts = rows * hiddenWidth >= 1 << 14 ? workers.threads : 1
        let preNorm = isPreNorm
        // attended = context·Oᵀ + b                                  [R][H]
        multiply(attentionOutput, context, rows: rows, into: attended, workers: workers)
        // post: attended = norm₁(attended + x); pre: attended += x   [R][H]
        workers.dispatch(NormJob(norm: preNorm ? nil : attentionNorm, x: attended, residual: x, width: hiddenWidth,
                                 rows: rows, parts: rowParts), parts: rowParts)
        guard let feedForward else {
            x.update(from: attended, count: rows * hiddenWidth)   // [R][H]
            return
        }
        var mlpInput = UnsafePointer(attended)                     // [R][H]
        if preNorm, let outputNorm {
            workspace.normed.update(from: attended, count: rows * hiddenWidth)
            workers.dispatch(NormJob(norm: outputNorm, x: workspace.normed, residual: nil, width: hiddenWidth,
                                     rows: rows, parts: rowParts), parts: rowParts)
            mlpInput = UnsafePointer(workspace.normed)             // [R][H] norm₂(attended)
        }
        switch feedForward.kind {
        case .gelu, .tanhGELU:
            // inner = act(mlpInput·W₁ᵀ + b₁)                         [R][I]
            multiply(feedForward.intermediate, mlpInput, rows: rows, into: workspace.inner,
                     activation: feedForward.kind == .gelu ? .gelu : .tanhGELU, workers: workers)
        case .gatedSiLU:
            guard let gate = feedForward.gate else { return }
            // One job, panel by panel: inner = mlpInput·Upᵀ, gate = mlpInput·Gateᵀ on the same
            // columns, then inner = SiLU(gate) ⊙ inner on that strip while it is in cache  [R][I]
            let work = rows * gate.inputSize * 2 * gate.outputSize
            let parts = workers.multiplyParts(work: work, panels: gate.packed.layout.panelCount)
            workers.dispatch(GatedUpJob(
                up: LinearShareJob(linear: feedForward.intermediate, input: mlpInput, rows: rows, output: workspace.inner,
                                   outputStride: feedForward.intermediate.outputSize, parts: parts),
                gate: LinearShareJob(linear: gate, input: mlpInput, rows: rows, output: workspace.gate,
                                     outputStride: gate.outputSize, parts: parts)),
                parts: parts)
        }
        // x = inner·W₂ᵀ + b₂                                         [R][H]
        multiply(feedForward.output, workspace.inner, rows: rows, into: x, workers: workers)
        // post: x = norm₂(x + attended); pre: x += attended          [R][H]
        workers.dispatch(NormJob(norm: preNorm ? nil : outputNorm, x: x, residual: attended, width: hiddenWidth,
                                 rows: rows, parts: rowParts), parts: rowParts)
    }

    /// `output = input · Wᵀ + b` (then the activation when asked), split by column panels
    /// across the pool when the product is large enough to pay for waking a thread.
    private func multiply(
        _ linear: Linear, _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
        activation: LinearShareJob.Activation? = nil, workers: WorkerPool
    ) {
        let work = rows * linear.inputSize * linear.outputSize
        let parts = workers.multiplyParts(work: work, panels: linear.packed.layout.panelCount)
        workers.dispatch(LinearShareJob(linear: linear, input: input, rows: rows, output: output,
                                        outputStride: linear.outputSize, parts: parts, activation: activation),
                         parts: parts)
    }
}

/// One linear layer's share of output panels, every row; with an activation, each panel's
/// column strip goes through it right after it is computed, while it is still in L2.
private struct LinearShareJob: PoolJob {
    enum Activation { case gelu, tanhGELU }

    let linear: Linear
    let input: UnsafePointer<Float>
    let rows: Int
    let output: UnsafeMutablePointer<Float>
    let outputStride: Int
    let parts: Int
    var activation: Activation?

    /// Column panels of the output (of `panelWidth` columns each).
    var panelCount: Int { linear.packed.layout.panelCount }
    var panelWidth: Int { linear.packed.layout.panelWidth }

    func run(part: Int) {
        run(panels: WorkShare.range(part, of: parts, count: panelCount))
    }

    /// The output columns of `panels`, every row.
    func run(panels: Range<Int>) {
        let packed = linear.packed
        let multiplier = PanelMultiply(kernel: packed.kernel, layout: packed.layout, panels: packed.panels,
                                       bias: packed.paddedBias, scale: 1, quantized: packed.quantized)
        guard !panels.isEmpty, rows > 0 else { return }
        guard let activation else {
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
            for row in 0..<rows {
                switch activation {
                case .gelu: SIMDMath.geluInPlace(output + row * outputStride + n0, count: count)
                case .tanhGELU: SIMDMath.tanhGELUInPlace(output + row * outputStride + n0, count: count)
                }
            }
        }
    }
}

/// A gated MLP's up and gate projections in one job (SwiGLU epilogue): each part takes its
/// share of column panels, computes both projections' strip for a panel, then
/// `inner = SiLU(gate) ⊙ inner` on it while the strip is still in L2 — no separate
/// single-threaded pass over `[L][I]` twice.
private struct GatedUpJob: PoolJob {
    let up: LinearShareJob
    let gate: LinearShareJob

    func run(part: Int) {
        let width = up.panelWidth
        let columns = up.linear.outputSize
        for panel in WorkShare.range(part, of: up.parts, count: up.panelCount) {
            up.run(panels: panel..<(panel + 1))                                 // [L][w] up strip
            gate.run(panels: panel..<(panel + 1))                               // [L][w] gate strip
            let n0 = panel * width
            let count = min(width, columns - n0)
            for row in 0..<up.rows {                                             // [L][w] SiLU(gate) ⊙ up
                SIMDMath.gatedSiLUInPlace(up.output + row * up.outputStride + n0,
                                          gate: gate.output + row * gate.outputStride + n0, count: count)
            }
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

/// Self-attention of every query head (`GroupedAttention`): each part runs its share of the
/// (KV head, query block, query head) units, packing into its own scratch.
private struct HeadsJob: PoolJob {
    let operands: GroupedAttention.Operands
    let workspace: ForwardWorkspace
    let parts: Int

    func run(part: Int) {
        GroupedAttention.run(operands, part: part, parts: parts, scratch: workspace.scratch(part: part))
    }
}

/// `x = norm(x + residual)`, `x = x + residual` without a norm, or `x = norm(x)` without a
/// residual, on a share of the rows.
private struct NormJob: PoolJob {
    let norm: Norm?
    let x: UnsafeMutablePointer<Float>
    let residual: UnsafePointer<Float>?
    var width = 0
    let rows: Int
    let parts: Int

    init(norm: Norm?, x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, width: Int = 0, rows: Int, parts: Int) {
        self.norm = norm
        self.x = x
        self.residual = residual
        self.width = norm?.width ?? width
        self.rows = rows
        self.parts = parts
    }

    func run(part: Int) {
        let rowShare = WorkShare.range(part, of: parts, count: rows)
        guard !rowShare.isEmpty else { return }
        if let norm {
            norm.addAndNormalize(x, residual: residual, rows: rowShare)
            return
        }
        guard let residual else { return }
        let start = rowShare.lowerBound * width, end = rowShare.upperBound * width
        var i = start
        while i + 16 <= end {
            SIMDMath.store(SIMDMath.load(x + i) + SIMDMath.load(residual + i), x + i)
            i += 16
        }
        while i < end { x[i] += residual[i]; i += 1 }
    }
}

/// A layer's query, key and value projections: queries `[token][heads·d]`, keys and values
/// `[token][kvHeads·d]`; head `h` owns columns `h·d ..< (h+1)·d`.
struct QueryKeyValue: Sendable {
    let queries: Matrix
    let keys: Matrix
    let values: Matrix
}
