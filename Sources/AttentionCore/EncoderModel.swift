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
    /// A padding length past the model's position limit, refused before anything is allocated.
    case padTooLong(padTo: Int, limit: Int, model: String)
    /// A padding length below the text's own token count, which would pad nothing.
    case padShorterThanText(padTo: Int, tokens: Int)
    case padNotPositive(padTo: Int)

    public var description: String {
        switch self {
        case let .tooLong(tokens, limit, model):
            return "the text is \(tokens) tokens long but \(model) takes at most \(limit) (its max_position_embeddings, [CLS] and [SEP] included); shorten the text"
        case let .padTooLong(padTo, limit, model):
            return "pad-to \(padTo) is more positions than \(model) has: it takes at most \(limit) (its max_position_embeddings, [CLS] and [SEP] included); pad to \(limit) or fewer"
        case let .padShorterThanText(padTo, tokens):
            return "pad-to \(padTo) is shorter than the text, which is already \(tokens) tokens ([CLS] and [SEP] included), so nothing would be padded; pad to \(tokens) or more, or leave padding out"
        case let .padNotPositive(padTo):
            return "pad-to must be a positive number of token positions, not \(padTo)"
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
    ///
    /// `padTo` is checked against the model's position limit before any padding is
    /// allocated, and must be at least 1. Below the text's own length it is refused
    /// (`padShorterThanText`) unless `padShorterAllowed`: the explorer keeps its padding
    /// while the text is edited, and a text that outgrows it is simply not padded.
    public func encode(_ text: String, pair: String? = nil, padTo: Int? = nil,
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
    /// Allocates only the result (the attention maps, the kept query/key projections and,
    /// when asked for, the last hidden state): activations live in a workspace reused across
    /// calls, and matrix products, heads and row-wise steps are split across a persistent pool
    /// of `threads` threads. Overlapping calls from several threads are safe; each gets its
    /// own workspace.
    ///
    /// - Parameters:
    ///   - threads: threads to use, the caller's included; nil means `defaultThreads`. Every
    ///     thread count gives bit-identical results.
    ///   - needs: `.attention` skips what only the last hidden state needs (the last layer's
    ///     value projection, context, output projection, norms and feed-forward block) and
    ///     leaves `hidden` nil; the attention maps are bit-identical either way.
    ///   - earlyLayers: when set, the attention of layers `0...earlyLayers.throughLayer` is
    ///     handed to `earlyLayers.publish` as soon as it is computed (see `EarlyLayers`),
    ///     before the pass goes on.
    ///   - shouldContinue: asked before each layer; returning false abandons the pass (a newer
    ///     mask edit superseded it) and the function returns nil.
    public func forward(_ input: PreparedInput, bias: AttentionBias, threads: Int? = nil,
                        needs: ForwardNeeds = .attentionAndHidden, earlyLayers: EarlyLayers? = nil,
                        shouldContinue: () -> Bool = { true }) -> ForwardResult? {
        let length = input.encoding.count
        precondition(bias.length == length, "forward: bias for \(bias.length) tokens, input has \(length)")
        precondition(input.embeddings.rows == length, "forward: input was prepared by another model")
        let workers = pools.pool(threads: threads ?? defaultThreads)
        let width = layers[0].query.outputSize
        let hiddenWidth = input.embeddings.columns
        let keptCount = (layers.count - 1) * length * 2 * width
        var finished = false
        var hidden: [Float]?
        let laterQueriesAndKeys = ResultBuffer.uninitialized(count: keptCount)
        // The pass writes through `.base`; keep the buffer alive (not recycled) until it is done.
        let maps = withExtendedLifetime(laterQueriesAndKeys) {
            AttentionMaps(layerCount: layers.count, headCount: info.headCount, length: length) { weights in
                workspaces.withWorkspace(length: length, parts: workers.threads) { workspace in
                    let pass = ForwardPass(input: input, bias: bias, weights: weights, kept: laterQueriesAndKeys.base,
                                           workspace: workspace, workers: workers)
                    finished = run(pass, needs: needs, shouldContinue: shouldContinue) { completed in
                        guard let earlyLayers, completed == earlyLayers.throughLayer + 1 else { return }
                        if let early = pass.earlyResult(completedLayers: completed, layerCount: layers.count,
                                                        headCount: info.headCount, width: width,
                                                        headSize: layers[0].headSize, previous: earlyLayers.previous) {
                            earlyLayers.publish(early)
                        }
                    }
                    if finished, needs == .attentionAndHidden {
                        hidden = Array(UnsafeBufferPointer(start: workspace.hidden, count: length * hiddenWidth))
                    }
                }
            }
        }
        guard finished else { return nil }
        return ForwardResult(
            attention: maps, hidden: hidden.map { Matrix(rows: length, columns: hiddenWidth, values: $0) }, bias: bias,
            firstLayer: input.firstLayerProjections, laterQueriesAndKeys: laterQueriesAndKeys,
            width: width, headSize: layers[0].headSize, completedLayers: layers.count)
    }

    /// The layers of `forward` on `pass.workspace`, leaving the last hidden state in
    /// `workspace.hidden` when `needs` asks for it. Calls `layerDone(n)` after each of the
    /// first `n` layers is complete except the last. Returns false when `shouldContinue`
    /// stopped the pass.
    private func run(_ pass: ForwardPass, needs: ForwardNeeds, shouldContinue: () -> Bool,
                     layerDone: (_ completedLayers: Int) -> Void) -> Bool {
        let input = pass.input, workspace = pass.workspace, workers = pass.workers
        let length = input.encoding.count
        let hiddenCount = length * input.embeddings.columns
        input.embeddings.values.withUnsafeBufferPointer { embeddings in
            if let source = embeddings.baseAddress { workspace.hidden.update(from: source, count: hiddenCount) }
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
                            if index > 0 { layerDone(index) }
                            let width = layer.query.outputSize
                            let layerWeights = pass.weights + index * layer.headCount * length * length
                            let weightsOnly = needs == .attention && index == layers.count - 1
                            var queries = UnsafePointer(q0), keys = UnsafePointer(k0), stride = width
                            if index > 0 {
                                let keptQueries = pass.kept + (index - 1) * length * 2 * width
                                layer.project(
                                    workspace.hidden, rows: length, queries: keptQueries, queryStride: 2 * width,
                                    keys: keptQueries + width, keyStride: 2 * width,
                                    values: weightsOnly ? nil : workspace.values, valueStride: width, workers: workers)
                                queries = UnsafePointer(keptQueries)
                                keys = UnsafePointer(keptQueries + width)
                                stride = 2 * width
                            }
                            if weightsOnly {
                                layer.attentionWeights(
                                    length: length, queries: queries, queryStride: stride, keys: keys, keyStride: stride,
                                    bias: biasBase, weights: layerWeights, workspace: workspace, workers: workers)
                                continue
                            }
                            layer.forward(
                                length: length, queries: queries, queryStride: stride, keys: keys, keyStride: stride,
                                values: index == 0 ? v0 : UnsafePointer(workspace.values), valueStride: width, bias: biasBase,
                                weights: layerWeights, workspace: workspace, workers: workers)
                        }
                        return true
                    }
                }
            }
        }
    }

    /// Multiply-adds of one forward pass over `length` tokens, times 2 (FLOP): every dense
    /// layer `2·L·in·out`, and per layer `Q·Kᵀ` and `P·V`, `4·L²·width`. For MiniLM
    /// ≈ 6·(3,538,944·L + 1,536·L²). With `.attention` the last layer counts only its query
    /// and key projections and `Q·Kᵀ`. Softmax, GELU and LayerNorm are not counted.
    public func forwardFLOPs(length: Int, needs: ForwardNeeds = .attentionAndHidden) -> Double {
        let tokens = Double(length)
        var total = 0.0
        for (index, layer) in layers.enumerated() {
            if needs == .attention, index == layers.count - 1 {
                for linear in [layer.query, layer.key] { total += 2 * tokens * Double(linear.inputSize * linear.outputSize) }
                total += 2 * tokens * tokens * Double(layer.query.outputSize)
                continue
            }
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
