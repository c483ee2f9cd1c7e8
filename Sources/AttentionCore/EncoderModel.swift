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

    /// A head's display name: its designed role where known, else "head j".
    public func headName(layer: Int, head: Int) -> String {
        if let names = headNames, layer < names.count, head < names[layer].count { return names[layer][head] }
        return "head \(head + 1)"
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

    public init(info: ModelInfo, tokenizer: any TextTokenizer, embedder: any TokenEmbedder, layers: [EncoderLayer]) {
        precondition(!layers.isEmpty, "EncoderModel needs at least one layer")
        self.info = info
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.layers = layers
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
                             firstLayerProjections: layers[0].projections(of: embeddings))
    }

    /// Runs every layer with the given bias.
    ///
    /// - Parameter shouldContinue: asked before each layer; returning false abandons the
    ///   pass (a newer mask edit superseded it) and the function returns nil.
    public func forward(_ input: PreparedInput, bias: AttentionBias,
                        shouldContinue: () -> Bool = { true }) -> ForwardResult? {
        let length = input.encoding.count
        precondition(bias.length == length, "forward: bias for \(bias.length) tokens, input has \(length)")
        var maps = AttentionMaps(layerCount: layers.count, headCount: info.headCount, length: length)
        var projections: [QueryKeyValue] = []
        projections.reserveCapacity(layers.count)
        var hidden = input.embeddings
        for (index, layer) in layers.enumerated() {
            guard shouldContinue() else { return nil }
            let qkv = index == 0 ? input.firstLayerProjections : layer.projections(of: hidden)
            projections.append(qkv)
            let offset = maps.offset(layer: index, head: 0)
            hidden = maps.weights.withUnsafeMutableBufferPointer { w in
                layer.forward(hidden, projections: qkv, bias: bias, weights: w.baseAddress! + offset)
            }
        }
        return ForwardResult(attention: maps, hidden: hidden, bias: bias,
                             projections: projections, headSize: layers[0].headSize)
    }
}
