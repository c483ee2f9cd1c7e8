import Foundation

/// Every weight of a BERT encoder (and its masked-LM head when the checkpoint has one),
/// converted to `Float` and checked against `config.json`.
///
/// Linear weights keep PyTorch's `[out][in]` layout (`Matrix(rows: out, columns: in)`);
/// H = hidden_size, I = intermediate_size, V = vocab_size, P = max_position_embeddings,
/// T = type_vocab_size.
public struct BertWeights: Equatable, Sendable {
    /// LayerNorm's learned scale (γ) and shift (β), each `[H]`.
    public struct LayerNorm: Equatable, Sendable {
        public var weight: [Float]
        public var bias: [Float]
    }

    /// An `nn.Linear`: `weight` is `[out][in]`, `bias` is `[out]`.
    ///
    /// A float32 weight is kept in the mapped checkpoint (`LoadedMatrix`) until `linear()`
    /// packs it, so loading copies no layer matrix; `weight` reads it into a `Matrix` on demand.
    public struct Dense: Equatable, Sendable {
        private var source: LoadedMatrix
        public var bias: [Float]

        public init(weight: Matrix, bias: [Float]) {
            source = LoadedMatrix(weight)
            self.bias = bias
        }

        init(source: LoadedMatrix, bias: [Float]) {
            self.source = source
            self.bias = bias
        }

        /// `[out][in]`; a copy when the weight is still in the mapped file.
        public var weight: Matrix {
            get { source.matrix }
            set { source = LoadedMatrix(newValue) }
        }

        /// Whether the weight is still in the mapped file (it was float32 there).
        var isInPlace: Bool { source.isInPlace }

        /// The layer packed for the matrix multiply, straight from the mapped file when it is there.
        func linear() -> Linear { source.linear(bias: bias) }
    }

    /// The three embedding tables summed per token, then normalised.
    public struct Embeddings: Equatable, Sendable {
        /// `[V][H]`, one row per word-piece id; a copy when the table is still in the mapped file.
        public var word: Matrix {
            get { wordSource.matrix }
            set { wordSource = LoadedMatrix(newValue) }
        }
        /// The word table for an embedder: read in place when it is float32 in the file.
        var wordTable: EmbeddingTable { wordSource.embeddingTable }
        var wordSource: LoadedMatrix
        /// `[P][H]`, one row per position 0..<P.
        public var position: Matrix
        /// `[T][H]`, one row per segment id.
        public var tokenType: Matrix
        public var layerNorm: LayerNorm
    }

    /// One encoder layer: self-attention, then the feed-forward block, each with a residual
    /// connection followed by LayerNorm (post-LN).
    public struct Layer: Equatable, Sendable {
        /// `[H][H]`; output features are grouped by head, head h owning `h*headSize ..< (h+1)*headSize`.
        public var query: Dense
        public var key: Dense
        public var value: Dense
        /// `[H][H]`, mixes the concatenated heads back into the hidden state.
        public var attentionOutput: Dense
        public var attentionLayerNorm: LayerNorm
        /// `[I][H]`, followed by GELU.
        public var intermediate: Dense
        /// `[H][I]`.
        public var output: Dense
        public var outputLayerNorm: LayerNorm
    }

    /// `BertForMaskedLM`'s prediction head: dense + GELU + LayerNorm, then scores over the vocabulary.
    public struct MaskedLMHead: Equatable, Sendable {
        /// `[H][H]`.
        public var transform: Dense
        public var transformLayerNorm: LayerNorm
        /// `[V][H]`: the word embeddings themselves when the checkpoint ties them (the usual case).
        public var decoder: Matrix
        /// `[V]`.
        public var decoderBias: [Float]
        /// True when the checkpoint had no `cls.predictions.decoder.weight` and the word embeddings are reused.
        public var decoderIsTiedToWordEmbeddings: Bool
    }

    public var embeddings: Embeddings
    /// `num_hidden_layers` layers, input side first.
    public var layers: [Layer]
    /// Present when the checkpoint has `cls.predictions.*` tensors (saved from `BertForMaskedLM`).
    public var maskedLMHead: MaskedLMHead?
    /// `"bert."` for checkpoints saved from a task model (`BertForMaskedLM`), `""` for a bare `BertModel`.
    public var tensorPrefix: String

    /// Reads and shape-checks every tensor the encoder needs, under `naming`'s tensor names
    /// (BERT's by default). Tensors it does not need (`embeddings.position_ids`, the pooler,
    /// extra layers) are ignored.
    ///
    /// - Throws: `ModelLoadError.tensorMissing` (with every name looked for),
    ///   `ModelLoadError.tensorShapeMismatch`, or `SafeTensorsError.notFloatingPoint`.
    public init(source file: any TensorSource, config: BertConfig, naming: BertTensorNaming = .bert) throws {
        let wordName = "embeddings.word_embeddings.weight"
        guard let prefix = naming.prefixes.first(where: { file.descriptor($0 + wordName) != nil }) else {
            throw ModelLoadError.tensorMissing(file: file.sourceURL, lookedFor: naming.prefixes.sorted { $0.count < $1.count }.map { $0 + wordName })
        }
        try Self.checkFits(config, in: file, naming: naming)
        let reader = TensorReader(file: file, config: config, prefix: prefix, naming: naming)
        let h = config.hiddenSize
        let hKey = naming.hiddenSizeKey

        embeddings = Embeddings(
            wordSource: try reader.loadedMatrix("embeddings.word_embeddings.weight", [config.vocabSize, h], "[vocab_size, \(hKey)]"),
            position: try reader.matrix("embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, h], "[max_position_embeddings, \(hKey)]"),
            tokenType: naming.hasTokenTypes
                ? try reader.matrix("embeddings.token_type_embeddings.weight", [config.typeVocabSize, h], "[type_vocab_size, \(hKey)]")
                : Matrix(zeros: 1, h),
            layerNorm: try reader.layerNorm("embeddings.LayerNorm"))

        // A loop, not `map`: `map` reserves all `num_hidden_layers` slots before the first read.
        var layers: [Layer] = []
        for index in 0..<config.numHiddenLayers {
            let layer = naming.layers + "\(index)."
            layers.append(Layer(
                query: try reader.dense(layer + naming.query, out: .hidden, in: .hidden),
                key: try reader.dense(layer + naming.key, out: .hidden, in: .hidden),
                value: try reader.dense(layer + naming.value, out: .hidden, in: .hidden),
                attentionOutput: try reader.dense(layer + naming.attentionOutput, out: .hidden, in: .hidden),
                attentionLayerNorm: try reader.layerNorm(layer + naming.attentionNorm),
                intermediate: try reader.dense(layer + naming.intermediate, out: .intermediate, in: .hidden),
                output: try reader.dense(layer + naming.output, out: .hidden, in: .intermediate),
                outputLayerNorm: try reader.layerNorm(layer + naming.outputNorm)))
        }
        self.layers = layers

        let headReader = TensorReader(file: file, config: config, prefix: "", naming: naming)
        let head = naming.head
        if file.tensorNames.contains(where: { $0.hasPrefix(head.prefix) }) {
            let tied = file.descriptor(head.decoder) == nil
            maskedLMHead = MaskedLMHead(
                transform: try headReader.dense(head.transform, out: .hidden, in: .hidden),
                transformLayerNorm: try headReader.layerNorm(head.norm),
                decoder: tied
                    ? embeddings.word
                    : try headReader.matrix(head.decoder, [config.vocabSize, h], "[vocab_size, \(hKey)]"),
                decoderBias: try headReader.vector(head.bias, config.vocabSize, "[vocab_size]"),
                decoderIsTiedToWordEmbeddings: tied)
        } else {
            maskedLMHead = nil
        }
        tensorPrefix = prefix
    }

    /// Refuses a config whose sizes (`num_hidden_layers`, `hidden_size`, `intermediate_size`,
    /// `vocab_size`, `max_position_embeddings`, `type_vocab_size`) need more weights than the
    /// file holds even at 2 bytes an element (F16/BF16), before anything of that size is
    /// allocated. The count is of the encoder's own tensors; arithmetic cannot overflow.
    static func checkFits(_ config: BertConfig, in file: any TensorSource, naming: BertTensorNaming = .bert) throws {
        let h = config.hiddenSize, i = config.intermediateSize
        // Elements per layer: Q, K, V, output [H][H] + 4 biases [H]; intermediate [I][H] + [I];
        // output [H][I] + [H]; two LayerNorms 2·[H].
        let terms: [[Int]] = [
            [config.vocabSize, h], [config.maxPositionEmbeddings, h], [naming.hasTokenTypes ? config.typeVocabSize : 0, h], [2, h],
            [config.numHiddenLayers, 4, h, h], [config.numHiddenLayers, 9, h],
            [config.numHiddenLayers, 2, i, h], [config.numHiddenLayers, i],
        ]
        var elements = 0
        var overflow = false
        for term in terms {
            var product = 1
            for factor in term {
                let step = product.multipliedReportingOverflow(by: factor)
                overflow = overflow || step.overflow
                product = step.partialValue
            }
            let sum = elements.addingReportingOverflow(product)
            overflow = overflow || sum.overflow
            elements = sum.partialValue
        }
        let bytes = elements.multipliedReportingOverflow(by: 2)
        overflow = overflow || bytes.overflow
        let stored = file.tensorByteCount
        guard overflow || bytes.partialValue > stored else { return }
        let sizes = "\(naming.layerCountKey) \(config.numHiddenLayers), \(naming.hiddenSizeKey) \(h), \(naming.intermediateSizeKey) \(i), vocab_size \(config.vocabSize), max_position_embeddings \(config.maxPositionEmbeddings)"
            + (naming.hasTokenTypes ? ", type_vocab_size \(config.typeVocabSize)" : "")
        throw ModelLoadError.configExceedsWeights(
            file: file.sourceURL.deletingLastPathComponent().appendingPathComponent("config.json"), sizes: sizes,
            neededBytes: overflow ? "more than \(Int.max)" : String(bytes.partialValue), weightsFile: file.sourceURL, weightsBytes: stored)
    }

    /// Loads `config.json` and `model.safetensors` (or its shards) from a Hugging Face model folder.
    ///
    /// - Throws: `ModelLoadError` naming the folder and the missing file, or the config key or
    ///   tensor at fault; `SafeTensorsError` for a damaged model.safetensors.
    /// `config` reads the family's config.json into BERT's hyper-parameters (BERT's own by default).
    public static func load(folder: URL, naming: BertTensorNaming = .bert,
                            config readConfig: (URL) throws -> BertConfig = BertConfig.load(url:)) throws -> (BertConfig, BertWeights) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelLoadError.folderMissing(folder: folder)
        }
        let configURL = folder.appendingPathComponent("config.json")
        if !FileManager.default.fileExists(atPath: configURL.path) {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: configURL.path) {
                throw ModelLoadError.danglingLink(file: configURL, target: target)
            }
            let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            throw ModelLoadError.fileMissing(folder: folder, file: "config.json", present: present.sorted())
        }
        let source = try SafeTensorsCheckpoint.open(folder: folder)
        let config = try readConfig(configURL)
        return (config, try BertWeights(source: source, config: config, naming: naming))
    }
}

/// Looks tensors up under a name prefix, checks their shapes against the config and reads them.
private struct TensorReader {
    let file: any TensorSource
    let config: BertConfig
    let prefix: String
    let naming: BertTensorNaming

    /// Reads the first of `names` present (after the prefix), whose shape must be `expected`.
    func floats(_ names: [String], _ expected: [Int], _ meaning: String) throws -> [Float] {
        let candidates = names.map { prefix + $0 }
        guard let name = candidates.first(where: { file.descriptor($0) != nil }), let info = file.descriptor(name) else {
            throw ModelLoadError.tensorMissing(file: file.sourceURL, lookedFor: candidates)
        }
        guard info.shape == expected else {
            throw ModelLoadError.tensorShapeMismatch(file: file.sourceURL, tensor: name, shape: info.shape, expected: expected, meaning: meaning)
        }
        let values = try file.floats(name)
        try values.withUnsafeBufferPointer { try checkFinite($0, tensor: name) }
        return values
    }

    func matrix(_ name: String, _ expected: [Int], _ meaning: String) throws -> Matrix {
        Matrix(rows: expected[0], columns: expected[1], values: try floats([name], expected, meaning))
    }

    func vector(_ names: [String], _ count: Int, _ meaning: String) throws -> [Float] {
        try floats(names, [count], meaning)
    }

    /// A width, named in shape errors by its config.json key (`naming.hiddenSizeKey`, …).
    enum Width {
        case hidden, intermediate
    }

    func key(_ width: Width) -> String {
        switch width {
        case .hidden: naming.hiddenSizeKey
        case .intermediate: naming.intermediateSizeKey
        }
    }

    func size(_ width: Width) -> Int {
        switch width {
        case .hidden: config.hiddenSize
        case .intermediate: config.intermediateSize
        }
    }

    /// A float32 weight stays in the mapped file (`loadedMatrix`); any other type is converted.
    func dense(_ name: String, out: Width, in inputs: Width) throws -> BertWeights.Dense {
        let shape = [size(out), size(inputs)]
        let meaning = "[\(key(out)), \(key(inputs))], PyTorch's [out, in]"
        let biasMeaning = "[\(key(out))]"
        let weight = try loadedMatrix(name + ".weight", shape, meaning)
        return BertWeights.Dense(source: weight, bias: try vector([name + ".bias"], size(out), biasMeaning))
    }

    /// A matrix left in the mapped file when it is float32 there (checked for non-finite values
    /// in place), else converted; errors as `matrix`.
    func loadedMatrix(_ name: String, _ expected: [Int], _ meaning: String) throws -> LoadedMatrix {
        let fullName = prefix + name
        if let info = file.descriptor(fullName), info.shape == expected, let mapped = file.mappedFloats(fullName) {
            try checkFinite(mapped.buffer, tensor: fullName)
            return LoadedMatrix(mapped: mapped, rows: expected[0], columns: expected[1])
        }
        return LoadedMatrix(try matrix(name, expected, meaning))
    }

    func checkFinite(_ values: UnsafeBufferPointer<Float>, tensor: String) throws {
        if let index = NonFiniteScan.firstIndex(in: values) {
            throw ModelLoadError.nonFiniteWeight(file: file.sourceURL, tensor: tensor, index: index, value: values[index])
        }
    }

    /// Accepts the `gamma`/`beta` names of checkpoints from the original TensorFlow BERT.
    func layerNorm(_ name: String) throws -> BertWeights.LayerNorm {
        BertWeights.LayerNorm(
            weight: try vector([name + ".weight", name + ".gamma"], config.hiddenSize, "[\(naming.hiddenSizeKey)]"),
            bias: try vector([name + ".bias", name + ".beta"], config.hiddenSize, "[\(naming.hiddenSizeKey)]"))
    }
}
