#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Tokenizers

/// Turns an encoding into the first layer's input, `[token][hidden]`.
public protocol TokenEmbedder: Sendable {
    func embed(_ encoding: Encoding) throws -> Matrix
}

/// What the UI and the commands say about a model.
public struct ModelInfo: Sendable, Equatable {
    /// Short name shown in the status line ("all-MiniLM-L6-v2", "builtin").
    public var name: String
    /// Where it came from: a folder path, or "built in".
    public var source: String
    public var layerCount: Int
    public var headCount: Int
    public var hiddenSize: Int
    /// Longest input the model's position embeddings allow, special tokens included.
    public var maxPositions: Int
    /// Names of heads whose role is known by design, `[layer][head]` (the built-in model).
    public var headNames: [[String]]?
    /// One line per head on how it was designed (the built-in model), `[layer][head]`.
    public var headDesigns: [[String]]?

    public init(name: String, source: String, layerCount: Int, headCount: Int, hiddenSize: Int,
                maxPositions: Int, headNames: [[String]]? = nil, headDesigns: [[String]]? = nil) {
        self.name = name
        self.source = source
        self.layerCount = layerCount
        self.headCount = headCount
        self.hiddenSize = hiddenSize
        self.maxPositions = maxPositions
        self.headNames = headNames
        self.headDesigns = headDesigns
    }

    /// A head's display name: its designed role where known, else "head j" (0-based, as
    /// `--head` counts).
    public func headName(layer: Int, head: Int) -> String {
        if let names = headNames, layer < names.count, head < names[layer].count { return names[layer][head] }
        return "head \(head)"
    }
}

/// Why a text cannot go through a model.
public enum ModelInputError: Error, CustomStringConvertible, Equatable {
    case tooLong(tokens: Int, limit: Int, model: String)

    public var description: String {
        switch self {
        case let .tooLong(tokens, limit, model):
            return "the text is \(tokens) tokens long but \(model) takes at most \(limit) (its max_position_embeddings, [CLS] and [SEP] included); shorten the text"
        }
    }
}

/// The part of a forward pass that no mask can change, computed once per text: the
/// embeddings and the first layer's query, key and value projections.
public final class PreparedInput: Sendable {
    public let encoding: Encoding
    let embeddings: Matrix
    let firstLayerProjections: QueryKeyValue

    init(encoding: Encoding, embeddings: Matrix, firstLayerProjections: QueryKeyValue) {
        self.encoding = encoding
        self.embeddings = embeddings
        self.firstLayerProjections = firstLayerProjections
    }
}

/// A transformer encoder whose every layer's attention Maskscope can show: BERT-family
/// checkpoints and the built-in model are both this type, so masking runs through the same
/// math for both.
public final class EncoderModel: Sendable {
    public let info: ModelInfo
    public let tokenizer: any TextTokenizer
    let embedder: any TokenEmbedder
    let layers: [EncoderLayer]
    /// Threads a forward pass uses when the call does not say: 2 (or 1 on a one-core machine),
    /// the calling thread included.
    public let defaultThreads: Int
    private let pools = WorkerPoolCache()
    private let workspaces: ForwardWorkspacePool
    /// The masked-LM prediction head, when the checkpoint has one (`BertForMaskedLM`); used by
    /// `OutputEffect`, never by `forward`.
    public let maskedLMHead: MaskedLMHead?

    /// - Parameter threads: the default for `forward`; nil means 2, capped at the core count.
    /// - Parameter maskedLMHead: the checkpoint's masked-LM head, if any (see `maskedLMHead`).
    public init(info: ModelInfo, tokenizer: any TextTokenizer, embedder: any TokenEmbedder, layers: [EncoderLayer],
                threads: Int? = nil, maskedLMHead: MaskedLMHead? = nil) {
        self.maskedLMHead = maskedLMHead
        precondition(!layers.isEmpty, "EncoderModel needs at least one layer")
        self.info = info
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.layers = layers
        defaultThreads = max(1, threads ?? min(2, ProcessInfo.processInfo.activeProcessorCount))
        let hiddenSize = layers.map { max($0.query.inputSize, $0.query.outputSize, $0.attentionOutput.outputSize) }.max() ?? 0
        let innerSize = layers.map { $0.feedForward?.intermediate.outputSize ?? 0 }.max() ?? 0
        let headSize = layers.map(\.headSize).max() ?? 0
        workspaces = ForwardWorkspacePool { capacity, parts in
            ForwardWorkspace(capacity: capacity, parts: parts, hiddenSize: hiddenSize, innerSize: innerSize, headSize: headSize)
        }
    }

    /// Tokenizes a text (and optional pair), padding to `padTo` positions if given.
    public func encode(_ text: String, pair: String? = nil, padTo: Int? = nil) throws -> Encoding {
        var encoding = try tokenizer.encode(text, pair: pair)
        if let padTo {
            let pad = tokenizer.padToken
            encoding = encoding.padded(to: padTo, padToken: pad.token, padID: pad.id)
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
        let embeddings = try embedder.embed(encoding)
        return PreparedInput(encoding: encoding, embeddings: embeddings,
                             firstLayerProjections: layers[0].projections(of: embeddings, workers: pools.pool(threads: defaultThreads)))
    }

    /// Runs every layer with the given bias.
    ///
    /// Allocates only the result (the attention maps, the kept query/key projections and the
    /// last hidden state): activations live in a workspace reused across calls, and matrix
    /// products, heads and row-wise steps are split across a persistent pool of `threads`
    /// threads. Overlapping calls from several threads are safe; each gets its own workspace.
    ///
    /// - Parameters:
    ///   - threads: threads to use, the caller's included; nil means `defaultThreads`. Every
    ///     thread count gives bit-identical results.
    ///   - shouldContinue: asked before each layer; returning false abandons the pass (a newer
    ///     mask edit superseded it) and the function returns nil.
    public func forward(_ input: PreparedInput, bias: AttentionBias, threads: Int? = nil,
                        shouldContinue: () -> Bool = { true }) -> ForwardResult? {
        let length = input.encoding.count
        precondition(bias.length == length, "forward: bias for \(bias.length) tokens, input has \(length)")
        precondition(input.embeddings.rows == length, "forward: input was prepared by another model")
        let workers = pools.pool(threads: threads ?? defaultThreads)
        let width = layers[0].query.outputSize
        let hiddenWidth = input.embeddings.columns
        let keptCount = (layers.count - 1) * length * 2 * width
        var hidden: [Float]?
        var laterQueriesAndKeys: [Float] = []
        let maps = AttentionMaps(layerCount: layers.count, headCount: info.headCount, length: length) { weights in
            laterQueriesAndKeys = [Float](unsafeUninitializedCapacity: keptCount) { kept, initialized in
                initialized = keptCount
                if let base = kept.baseAddress { adviseHugePages(base, count: keptCount) }
                hidden = workspaces.withWorkspace(length: length, parts: workers.threads) { workspace in
                    run(input, bias: bias, weights: weights, kept: kept.baseAddress, workspace: workspace,
                        workers: workers, shouldContinue: shouldContinue)
                }
            }
        }
        guard let hidden else { return nil }
        return ForwardResult(
            attention: maps, hidden: Matrix(rows: length, columns: hiddenWidth, values: hidden), bias: bias,
            firstLayer: input.firstLayerProjections, laterQueriesAndKeys: laterQueriesAndKeys,
            width: width, headSize: layers[0].headSize)
    }

    /// The layers of `forward`, on a workspace; returns a copy of the last hidden state, or nil
    /// when `shouldContinue` stopped the pass.
    ///
    /// - Parameters:
    ///   - weights: `layers × heads × L × L` floats to fill.
    ///   - kept: `(layers − 1) × L × 2·width` floats receiving the queries and keys of layers 1….
    private func run(
        _ input: PreparedInput, bias: AttentionBias, weights: UnsafeMutablePointer<Float>,
        kept: UnsafeMutablePointer<Float>?, workspace: ForwardWorkspace, workers: WorkerPool,
        shouldContinue: () -> Bool
    ) -> [Float]? {
        let length = input.encoding.count
        let hiddenCount = length * input.embeddings.columns
        input.embeddings.values.withUnsafeBufferPointer { embeddings in
            if let source = embeddings.baseAddress { workspace.hidden.update(from: source, count: hiddenCount) }
        }
        let first = input.firstLayerProjections
        let finished: Bool = bias.values.withUnsafeBufferPointer { biasValues in
            first.queries.values.withUnsafeBufferPointer { firstQueries in
                first.keys.values.withUnsafeBufferPointer { firstKeys in
                    first.values.values.withUnsafeBufferPointer { firstValues in
                        guard let biasBase = biasValues.baseAddress, let q0 = firstQueries.baseAddress,
                              let k0 = firstKeys.baseAddress, let v0 = firstValues.baseAddress else { return false }
                        for (index, layer) in layers.enumerated() {
                            guard shouldContinue() else { return false }
                            let width = layer.query.outputSize
                            let layerWeights = weights + index * layer.headCount * length * length
                            if index == 0 {
                                layer.forward(
                                    length: length, queries: q0, queryStride: width, keys: k0, keyStride: width,
                                    values: v0, valueStride: width, bias: biasBase, weights: layerWeights,
                                    workspace: workspace, workers: workers)
                                continue
                            }
                            guard let kept else { return false }
                            let queries = kept + (index - 1) * length * 2 * width
                            let keys = queries + width
                            layer.project(
                                workspace.hidden, rows: length, queries: queries, queryStride: 2 * width,
                                keys: keys, keyStride: 2 * width, values: workspace.values, valueStride: width,
                                workers: workers)
                            layer.forward(
                                length: length, queries: queries, queryStride: 2 * width, keys: keys,
                                keyStride: 2 * width, values: workspace.values, valueStride: width, bias: biasBase,
                                weights: layerWeights, workspace: workspace, workers: workers)
                        }
                        return true
                    }
                }
            }
        }
        guard finished else { return nil }
        return Array(UnsafeBufferPointer(start: workspace.hidden, count: hiddenCount))
    }

    /// Multiply-adds of one forward pass over `length` tokens, times 2 (FLOP): every dense
    /// layer `2·L·in·out`, and per layer `Q·Kᵀ` and `P·V`, `4·L²·width`. For MiniLM
    /// ≈ 6·(3,538,944·L + 1,536·L²). Softmax, GELU and LayerNorm are not counted.
    public func forwardFLOPs(length: Int) -> Double {
        let tokens = Double(length)
        var total = 0.0
        for layer in layers {
            var dense = [layer.query, layer.key, layer.value, layer.attentionOutput]
            if let feedForward = layer.feedForward { dense += [feedForward.intermediate, feedForward.output] }
            for linear in dense { total += 2 * tokens * Double(linear.inputSize * linear.outputSize) }
            total += 4 * tokens * tokens * Double(layer.query.outputSize)
        }
        return total
    }
}

/// The model's worker pools, one per thread count asked for, made on first use and kept:
/// their helper threads park when idle.
private final class WorkerPoolCache: @unchecked Sendable {
    // Sendable: `pools` is read and written only with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var pools: [Int: WorkerPool] = [:]

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func pool(threads: Int) -> WorkerPool {
        let threads = max(1, threads)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let pool = pools[threads] { return pool }
        let pool = WorkerPool(threads: threads)
        pools[threads] = pool
        return pool
    }
}
