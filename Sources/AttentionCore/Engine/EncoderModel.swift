#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import Tokenizers

/// A transformer whose every layer's attention Maskscope can show, run from a
/// `TransformerDescription`: every family (BERT checkpoints, the built-in model, the decoders
/// to come) is this type, so masking runs through the same math for all.
///
/// One forward pass, as llm.c would write it (shapes `[token][feature]`, `L` tokens):
/// `x = embed(ids)` `[L][H]`; per layer `Q = x·Wqᵀ` `[L][heads·d]`, `K, V = x·Wkᵀ, x·Wvᵀ`
/// `[L][kvHeads·d]`, positions on Q and K, `P = softmax(QKᵀ/√d + bias)` `[heads][L][L]`,
/// `x = block(x, P·V)` `[L][H]` (see `TransformerLayer.forward`); a final norm for pre-norm models.
public final class EncoderModel: Sendable {
    public let info: ModelInfo
    /// The architecture the layers run, as data.
    public let description: TransformerDescription
    public let tokenizer: any TextTokenizer
    let embedder: any TokenEmbedder
    let layers: [TransformerLayer]
    /// Applied to the last hidden state of a pre-norm model (`ln_f`, Llama's `norm`); nil for post-norm.
    let finalNorm: Norm?
    /// Threads a forward pass uses when the call does not say: 2 (or 1 on a one-core machine),
    /// the calling thread included.
    public let defaultThreads: Int
    /// What a `PreparedInput` made by this model holds, so `forward` can refuse another model's.
    let identity = ModelIdentity()
    private let pools = WorkerPoolCache()
    private let workspaces: ForwardWorkspacePool
    /// The masked-LM prediction head, when the checkpoint has one (`BertForMaskedLM`); used by
    /// `OutputEffect`, never by `forward`.
    public let maskedLMHead: MaskedLMHead?
    /// A decoder's next-token head; used by the output-effect views for the positions shown,
    /// never by `forward`.
    public let causalLMHead: CausalLMHead?

    /// - Parameter layers: at least one, all of one description (`layers[0].description` is the model's).
    /// - Parameter finalNorm: the norm after the last layer of a pre-norm model.
    /// - Parameter threads: the default for `forward`; nil means 2, capped at the core count.
    /// - Parameter maskedLMHead: the checkpoint's masked-LM head, if any (see `maskedLMHead`).
    public init(info: ModelInfo, tokenizer: any TextTokenizer, embedder: any TokenEmbedder, layers: [TransformerLayer],
                finalNorm: Norm? = nil, threads: Int? = nil, maskedLMHead: MaskedLMHead? = nil,
                causalLMHead: CausalLMHead? = nil) {
        precondition(!layers.isEmpty, "EncoderModel needs at least one layer")
        precondition(layers.allSatisfy { $0.description.attention == layers[0].description.attention },
                     "EncoderModel: every layer must have the same attention shape")
        self.maskedLMHead = maskedLMHead
        self.causalLMHead = causalLMHead
        self.info = info
        var description = layers[0].description
        description.layerCount = layers.count
        self.description = description
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.layers = layers
        self.finalNorm = finalNorm
        defaultThreads = max(1, threads ?? min(2, ProcessInfo.processInfo.activeProcessorCount))
        let attention = description.attention
        let hiddenSize = max(description.hiddenSize, attention.queryWidth)
        let innerSize = layers.map { $0.feedForward?.intermediate.outputSize ?? 0 }.max() ?? 0
        let gated = layers.contains { $0.feedForward?.gate != nil }
        let preNorm = layers.contains(where: \.isPreNorm)
        workspaces = ForwardWorkspacePool { capacity, parts in
            ForwardWorkspace(capacity: capacity, parts: parts, hiddenSize: hiddenSize, innerSize: innerSize,
                             headSize: attention.headSize, normed: preNorm, gated: gated)
        }
    }

    /// Tokenizes a text (and optional pair), padding to `padTo` positions if given, on `padSide`.
    ///
    /// `padTo` is checked against the model's position limit before any padding is
    /// allocated, and must be at least 1. Below the text's own length it is refused
    /// (`padShorterThanText`) unless `padShorterAllowed`: the explorer keeps its padding
    /// while the text is edited, and a text that outgrows it is simply not padded.
    public func encode(_ text: String, pair: String? = nil, padTo: Int? = nil, padSide: PaddingSide = .right,
                       padShorterAllowed: Bool = false) throws -> Encoding {
        if let padTo {
            guard padTo >= 1 else { throw ModelInputError.padNotPositive(padTo: padTo) }
            guard padTo <= info.maxPositions else {
                throw ModelInputError.padTooLong(padTo: padTo, limit: info.maxPositions, model: info.name)
            }
        }
        var encoding = try tokenizer.encode(text, pair: pair)
        if let padTo, padTo < encoding.count, !padShorterAllowed, encoding.count <= info.maxPositions {
            throw ModelInputError.padShorterThanText(padTo: padTo, tokens: encoding.count)
        }
        if let padTo {
            let pad = tokenizer.padToken
            encoding = encoding.padded(to: padTo, padToken: pad.token, padID: pad.id, side: padSide)
        }
        guard encoding.count <= info.maxPositions else {
            throw ModelInputError.tooLong(tokens: encoding.count, limit: info.maxPositions, model: info.name)
        }
        return encoding
    }

    /// Embeds a text and projects the first layer: the per-text work a mask edit reuses.
    public func prepare(_ encoding: Encoding) throws -> PreparedInput {
        guard encoding.count <= info.maxPositions else {
            throw ModelInputError.tooLong(tokens: encoding.count, limit: info.maxPositions, model: info.name)
        }
        let embeddings = try embedder.embed(encoding)                 // [L][H]
        return PreparedInput(encoding: encoding, embeddings: embeddings, model: identity,
                             firstLayerProjections: layers[0].projections(of: embeddings, workers: pools.pool(threads: defaultThreads)))
    }

    /// Whether `input` was prepared by this model (and so fits its layers).
    public func prepared(_ input: PreparedInput) -> Bool { input.model === identity }

    /// Runs every layer with the given bias (for a causal model, keys after each query are
    /// masked on top of it).
    ///
    /// Allocates only the result (the attention maps, the kept projections and, when asked
    /// for, the last hidden state): activations live in a workspace reused across calls, and
    /// matrix products, heads and row-wise steps are split across a persistent pool of
    /// `threads` threads. Overlapping calls from several threads are safe; each gets its own
    /// workspace.
    ///
    /// - Parameters:
    ///   - input: made by this model's `prepare` (another model's is a programming error).
    ///   - threads: threads to use, the caller's included; nil means `defaultThreads`. Every
    ///     thread count gives bit-identical results.
    ///   - needs: `.attention` skips what only the last hidden state needs (the last layer's
    ///     value projection, context, output projection, norms and feed-forward block) and
    ///     leaves `hidden` nil; the attention maps are bit-identical either way.
    ///   - earlyLayers: when set, the attention of layers `0...earlyLayers.throughLayer` is
    ///     handed to `earlyLayers.publish` as soon as it is computed (see `EarlyLayers`),
    ///     before the pass goes on.
    ///   - previous: a complete earlier result of the same input. On a causal model a token
    ///     sees only itself and earlier tokens, so every row before the first query whose
    ///     attention the bias can change is the same at every layer: those rows are copied from
    ///     `previous` and only the rest is run (see `reusableRows`). The result is bit-identical
    ///     to a full pass.
    ///   - shouldContinue: asked before each layer; returning false abandons the pass (a newer
    ///     mask edit superseded it) and the function returns nil.
    public func forward(_ input: PreparedInput, bias: AttentionBias, threads: Int? = nil,
                        needs: ForwardNeeds = .attentionAndHidden, earlyLayers: EarlyLayers? = nil,
                        reusing previous: ForwardResult? = nil,
                        shouldContinue: () -> Bool = { true }) -> ForwardResult? {
        let length = input.encoding.count
        precondition(bias.length == length, "forward: bias for \(bias.length) tokens, input has \(length)")
        precondition(prepared(input), "forward: input was prepared by another model")
        // A causal model's own mask, unless the caller already applied it (a widened what-if, see `Explorer.bias`).
        let bias = description.isCausal && !bias.isCausal ? bias.limitedToEarlierKeys(slidingWindow: description.slidingWindow) : bias
        let workers = pools.pool(threads: threads ?? defaultThreads)
        let shape = KeptShape(attention: description.attention, keepsValues: description.isCausal)
        let hiddenWidth = input.embeddings.columns
        let keptCount = (layers.count - 1) * length * shape.rowWidth
        let reused = previous.flatMap { previous in
            reusableRows(of: previous, input: input, bias: bias, shape: shape, needs: needs)
                .map { ReusedRows(previous: previous, count: $0) }
        }
        var finished = false
        var hidden: [Float]?
        let laterProjections = ResultBuffer.uninitialized(count: keptCount, recycler: .keptProjections)
        let layerMaps = AttentionMaps.uninitializedLayers(layerCount: layers.count, headCount: info.headCount, length: length)
        // The pass writes through `.base`; keep the buffers alive (not recycled) until it is done.
        withExtendedLifetime((laterProjections, layerMaps)) {
            workspaces.withWorkspace(length: length, parts: workers.threads) { workspace in
                let pass = ForwardPass(input: input, bias: bias, layerMaps: layerMaps, kept: laterProjections.base,
                                       workspace: workspace, workers: workers)
                finished = run(pass, reusing: reused, needs: needs, shouldContinue: shouldContinue) { completed in
                    guard let earlyLayers, completed == earlyLayers.throughLayer + 1 else { return }
                    if let early = pass.earlyResult(completedLayers: completed, layerCount: layers.count,
                                                    headCount: info.headCount, shape: shape,
                                                    previous: earlyLayers.previous) {
                        earlyLayers.publish(early)
                    }
                }
                if finished, needs == .attentionAndHidden {
                    let firstRow = reused?.count ?? 0
                    if let finalNorm, firstRow < length {
                        finalNorm.addAndNormalize(workspace.hidden + firstRow * hiddenWidth, residual: nil,
                                                  rows: 0..<(length - firstRow))                        // [R][H]
                    }
                    var last = [Float](repeating: 0, count: length * hiddenWidth)                        // [L][H]
                    last.withUnsafeMutableBufferPointer { last in
                        guard let target = last.baseAddress else { return }
                        if let reused, let old = reused.previous.hidden {
                            old.values.withUnsafeBufferPointer { old in
                                if let source = old.baseAddress { target.update(from: source, count: firstRow * hiddenWidth) }
                            }
                        }
                        (target + firstRow * hiddenWidth).update(from: workspace.hidden + firstRow * hiddenWidth,
                                                                 count: (length - firstRow) * hiddenWidth)
                    }
                    hidden = last
                }
            }
        }
        guard finished else { return nil }
        return ForwardResult(
            attention: AttentionMaps(headCount: info.headCount, length: length, layers: layerMaps),
            hidden: hidden.map { Matrix(rows: length, columns: hiddenWidth, values: $0) }, bias: bias,
            firstLayer: input.firstLayerProjections, laterProjections: laterProjections, input: input,
            shape: shape, completedLayers: layers.count)
    }

    /// How many leading rows a pass over `input` with `bias` can copy from `previous`: the
    /// queries before the first one whose attention the bias can change
    /// (`AttentionBias.firstChangedQuery`), on a causal model, where no token sees a later
    /// one. Before a widened prefix's end (`prefix:N`, whose tokens see each other) nothing is
    /// reused. Nil when `previous` cannot serve: not this model's causal pass over the same
    /// input, incomplete, of another shape, or lacking the hidden state `needs` asks for.
    func reusableRows(of previous: ForwardResult, input: PreparedInput, bias: AttentionBias, shape: KeptShape,
                      needs: ForwardNeeds) -> Int? {
        let length = input.encoding.count
        guard description.isCausal, bias.isCausal, previous.input === input, previous.isComplete,
              previous.shape == shape, previous.attention.length == length,
              previous.attention.layerCount == layers.count, previous.attention.headCount == info.headCount,
              previous.laterProjections.count == (layers.count - 1) * length * shape.rowWidth,
              needs == .attention || previous.hidden != nil else { return nil }
        let unchanged = bias.firstChangedQuery(comparedWith: previous.bias)
        guard unchanged > 0, unchanged >= bias.widenedPrefix else { return nil }
        return unchanged
    }

    /// The layers of `forward` on `pass.workspace`, leaving the last hidden state in
    /// `workspace.hidden` when `needs` asks for it (rows from `reused.count` on). Calls
    /// `layerDone(n)` as soon as the attention of the first `n` layers is complete (before
    /// layer `n − 1`'s output projection and MLP), for every layer but the last. Returns false
    /// when `shouldContinue` stopped the pass.
    private func run(_ pass: ForwardPass, reusing reused: ReusedRows?, needs: ForwardNeeds, shouldContinue: () -> Bool,
                     layerDone: (_ completedLayers: Int) -> Void) -> Bool {
        let input = pass.input, workspace = pass.workspace, workers = pass.workers
        let length = input.encoding.count
        let hiddenCount = length * input.embeddings.columns
        let hiddenWidth = input.embeddings.columns
        let shape = KeptShape(attention: description.attention, keepsValues: description.isCausal)
        let firstRow = reused?.count ?? 0                          // rows 0..<firstRow come from `reused`
        let rows = length - firstRow                               // R = rows computed
        // A causal bias masks every later key with float32's lowest value: the kernel stops there.
        let visibleKeys: GroupedAttention.VisibleKeys = pass.bias.isCausal
            ? .causal(widenedPrefix: pass.bias.widenedPrefix) : .all
        input.embeddings.values.withUnsafeBufferPointer { embeddings in
            if let source = embeddings.baseAddress { workspace.hidden.update(from: source, count: hiddenCount) }   // x: [L][H]
        }
        let first = input.firstLayerProjections
        return pass.bias.values.withUnsafeBufferPointer { biasValues in
            first.queries.values.withUnsafeBufferPointer { firstQueries in
                first.keys.values.withUnsafeBufferPointer { firstKeys in
                    first.values.values.withUnsafeBufferPointer { firstValues in
                        guard let biasBase = biasValues.baseAddress, let q0 = firstQueries.baseAddress,
                              let k0 = firstKeys.baseAddress, let v0 = firstValues.baseAddress else { return false }
                        for (index, layer) in layers.enumerated() {
                            guard shouldContinue() else { return false }
                            let layerWeights = pass.layerMaps[index].base                      // [heads][L][L]
                            let weightsOnly = needs == .attention && index == layers.count - 1
                            reused?.copyWeights(layer: index, into: layerWeights, length: length)
                            // Layer 0's Q [L][heads·d], K and V [L][kvHeads·d] were projected by `prepare`.
                            var queries = UnsafePointer(q0), queryStride = shape.queryWidth
                            var keys = UnsafePointer(k0), keyStride = shape.keyWidth
                            var values = UnsafePointer(v0), valueStride = shape.keyWidth
                            if index > 0 {
                                // Kept rows [L][heads·d | kvHeads·d (| kvHeads·d)]: Q, K (and V) of each token.
                                let kept = pass.kept + (index - 1) * length * shape.rowWidth
                                reused?.copyProjections(layer: index, into: kept, length: length, shape: shape)
                                let keptRows = kept + firstRow * shape.rowWidth                       // [R][rowWidth]
                                // V [L][kvHeads·d]: kept beside Q and K when a later pass may reuse it.
                                let keptValues = shape.valueWidth > 0
                                let valueBase = keptValues ? kept + shape.valueColumn : workspace.values
                                valueStride = keptValues ? shape.rowWidth : shape.keyWidth
                                let source = layer.projectionInput(workspace.hidden + firstRow * hiddenWidth, rows: rows,
                                                                   scratch: workspace.normed, workers: workers)
                                layer.project(
                                    source, rows: rows, queries: keptRows, queryStride: shape.rowWidth,
                                    keys: keptRows + shape.queryWidth, keyStride: shape.rowWidth,
                                    values: weightsOnly ? nil : valueBase + firstRow * valueStride, valueStride: valueStride,
                                    workers: workers)
                                layer.applyPositions(rows: rows, queries: keptRows, queryStride: shape.rowWidth,
                                                     keys: keptRows + shape.queryWidth, keyStride: shape.rowWidth,
                                                     firstPosition: firstRow)
                                queries = UnsafePointer(kept)
                                keys = UnsafePointer(kept + shape.queryWidth)
                                queryStride = shape.rowWidth
                                keyStride = shape.rowWidth
                                values = UnsafePointer(valueBase)
                            }
                            if weightsOnly {
                                layer.attentionWeights(
                                    length: length, firstRow: firstRow, queries: queries, queryStride: queryStride,
                                    keys: keys, keyStride: keyStride, bias: biasBase, visibleKeys: visibleKeys,
                                    weights: layerWeights, workspace: workspace, workers: workers)
                                continue
                            }
                            layer.forward(
                                length: length, firstRow: firstRow, queries: queries, queryStride: queryStride,
                                keys: keys, keyStride: keyStride, values: values, valueStride: valueStride,
                                bias: biasBase, visibleKeys: visibleKeys, weights: layerWeights,
                                workspace: workspace, workers: workers,
                                attentionDone: { if index < layers.count - 1 { layerDone(index + 1) } })
                        }
                        return true
                    }
                }
            }
        }
    }

    /// FLOP of one forward pass over `length` tokens; see `TransformerDescription.forwardFLOPs`.
    public func forwardFLOPs(length: Int, needs: ForwardNeeds = .attentionAndHidden) -> Double {
        description.forwardFLOPs(length: length, needs: needs)
    }
}

/// A token identifying one `EncoderModel` for as long as anything holds it (a `PreparedInput`
/// keeps it alive, so it is never reused for another model the way an address can be).
final class ModelIdentity: Sendable {}

/// The model's worker pools, one per thread count asked for, made on first use and kept:
/// their helper threads park when idle.
private final class WorkerPoolCache: Sendable {
    private let pools = Mutex<[Int: WorkerPool]>([:])

    func pool(threads: Int) -> WorkerPool {
        let threads = max(1, threads)
        return pools.withLock { pools in
            if let pool = pools[threads] { return pool }
            let pool = WorkerPool(threads: threads)
            pools[threads] = pool
            return pool
        }
    }
}
