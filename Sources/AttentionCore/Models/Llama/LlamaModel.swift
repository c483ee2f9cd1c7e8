import Foundation
import Tokenizers

/// Builds an `EncoderModel` (the one engine every family runs on) from a Llama-family
/// checkpoint: pre-norm RMSNorm, rotary Q and K, grouped-query attention, SwiGLU MLP, final
/// RMSNorm, and an LM head tied to the embeddings or stored as `output.weight`/`lm_head.weight`.
enum LlamaModel {
    /// A GGUF file whose `general.architecture` is llama. Tensors are dequantized to F32
    /// exactly (as gguf-py does), or quantized matrices stay in the file as `storage` says
    /// (nil: `MASKSCOPE_WEIGHTS`, else automatic); Q/K rows are un-permuted as transformers does.
    static func load(gguf file: GGUFFile, name: String, storage: WeightStorage? = nil) throws -> EncoderModel {
        let config = try LlamaConfig.gguf(file)
        try config.validate(file: file.url)
        if let missing = missingTensor(gguf: file, config: config) {
            throw LlamaLoadError.tensorMissing(file: file.url, lookedFor: [missing])
        }
        guard let metadata = file.metadata.tokenizer else {
            throw LlamaLoadError.missingKey(file: file.url, key: "tokenizer.ggml.tokens")
        }
        guard metadata.model == "gpt2" else {
            throw LlamaLoadError.unsupported(file: file.url, key: "tokenizer.ggml.model", value: metadata.model,
                                             why: "only byte-level BPE (gpt2) tokenizers are implemented")
        }
        let tokenizer = try ByteLevelBPETokenizer(
            ggufTokens: metadata.tokens, merges: metadata.merges,
            tokenTypes: metadata.tokenTypes.isEmpty ? nil : metadata.tokenTypes,
            bosID: metadata.bosTokenID, eosID: metadata.eosTokenID, unknownID: metadata.unknownTokenID,
            paddingID: metadata.paddingTokenID, addBOS: metadata.addsBOS ?? false, addEOS: metadata.addsEOS ?? false,
            pre: metadata.preTokenizer, source: file.url.lastPathComponent)
        return try make(config: config, source: file, names: .gguf, tokenizer: tokenizer,
                        name: name, sourceDescription: file.url.path, storage: try storage ?? WeightStorage.fromEnvironment())
    }

    /// Why `load(gguf:name:)` would refuse `file`, without dequantizing anything: a
    /// hyperparameter problem or the first missing tensor; nil when it would load.
    static func problem(gguf file: GGUFFile) -> String? {
        do {
            let config = try LlamaConfig.gguf(file)
            try config.validate(file: file.url)
            if let missing = missingTensor(gguf: file, config: config) {
                return LlamaLoadError.tensorMissing(file: file.url, lookedFor: [missing]).description
            }
            if file.metadata.tokenizer == nil { return LlamaLoadError.missingKey(file: file.url, key: "tokenizer.ggml.tokens").description }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The first tensor a GGUF llama model needs that `file` lacks.
    static func missingTensor(gguf file: GGUFFile, config: LlamaConfig) -> String? {
        let names = LlamaTensorNames.gguf
        var required = [names.embeddings, names.finalNorm]
        let parts: [LlamaTensorNames.Part] = [.attentionNorm, .query, .key, .value, .attentionOutput, .mlpNorm, .gate, .up, .down]
        for layer in 0..<config.layerCount { required += parts.map { names.layer(layer, $0) } }
        return required.first { file.info($0) == nil }
    }

    /// A transformers folder: config.json, model.safetensors (or its shards) and tokenizer.json.
    static func load(folder: URL, name: String) throws -> EncoderModel {
        let config = try LlamaConfig.json(folder.appendingPathComponent("config.json"))
        try config.validate(file: folder.appendingPathComponent("config.json"))
        let weights = try SafeTensorsCheckpoint.open(folder: folder)
        let tokenizer = try ByteLevelBPETokenizer.load(folder: folder)
        return try make(config: config, source: weights, names: .transformers, tokenizer: tokenizer,
                        name: name, sourceDescription: folder.path)
    }

    static func make(config: LlamaConfig, source: any TensorSource, names: LlamaTensorNames,
                     tokenizer: ByteLevelBPETokenizer, name: String, sourceDescription: String,
                     storage: WeightStorage = .f32) throws -> EncoderModel {
        let description = config.description
        let plan = try LlamaWeightPlan(config: config, source: source, names: names, storage: storage, modelName: name)
        let url = source.sourceURL
        let hidden = config.hiddenSize, d = config.headSize
        let queryWidth = config.headCount * d, keyValueWidth = config.keyValueHeadCount * d

        func matrix(_ tensor: String, rows: Int, columns: Int) throws -> Matrix {
            guard let descriptor = source.descriptor(tensor) else {
                throw LlamaLoadError.tensorMissing(file: url, lookedFor: [tensor])
            }
            guard descriptor.shape == [rows, columns] else {
                throw LlamaLoadError.tensorShape(file: url, tensor: tensor, shape: descriptor.shape, expected: [rows, columns])
            }
            return Matrix(rows: rows, columns: columns, values: try source.floats(tensor))
        }
        func vector(_ tensor: String, count: Int) throws -> [Float] {
            guard let descriptor = source.descriptor(tensor) else {
                throw LlamaLoadError.tensorMissing(file: url, lookedFor: [tensor])
            }
            guard descriptor.elementCount == count, descriptor.shape.count == 1 else {
                throw LlamaLoadError.tensorShape(file: url, tensor: tensor, shape: descriptor.shape, expected: [count])
            }
            return try source.floats(tensor)
        }
        func optionalBias(_ tensor: String, count: Int) throws -> [Float] {
            source.descriptor(tensor) == nil ? [Float](repeating: 0, count: count) : try vector(tensor, count: count)
        }
        func rmsNorm(_ tensor: String) throws -> Norm {
            .rms(RMSNorm(gamma: try vector(tensor, count: hidden), epsilon: config.rmsEpsilon))
        }

        var layers: [TransformerLayer] = []
        layers.reserveCapacity(config.layerCount)
        for index in 0..<config.layerCount {
            func part(_ part: LlamaTensorNames.Part) -> String { names.layer(index, part) }
            var queryBias = try optionalBias(part(.queryBias), count: queryWidth)                 // [heads·d]
            var keyBias = try optionalBias(part(.keyBias), count: keyValueWidth)                  // [kvHeads·d]
            let rotary = names.rotaryRowsInterleaved
            if rotary {
                queryBias = RotaryRowOrder.rotateHalf(queryBias, heads: config.headCount)
                keyBias = RotaryRowOrder.rotateHalf(keyBias, heads: config.keyValueHeadCount)
            }
            let query = try plan.linear(part(.query), rows: queryWidth, columns: hidden, bias: queryBias,
                                        rotaryHeads: rotary ? config.headCount : nil)                 // [heads·d][H]
            let key = try plan.linear(part(.key), rows: keyValueWidth, columns: hidden, bias: keyBias,
                                      rotaryHeads: rotary ? config.keyValueHeadCount : nil)          // [kvHeads·d][H]
            let value = try plan.linear(part(.value), rows: keyValueWidth, columns: hidden,
                                        bias: try optionalBias(part(.valueBias), count: keyValueWidth),
                                        rotaryHeads: nil)                                             // [kvHeads·d][H]
            let output = try plan.linear(part(.attentionOutput), rows: hidden, columns: queryWidth,
                                         bias: try optionalBias(part(.attentionOutputBias), count: hidden),
                                         rotaryHeads: nil)                                            // [H][heads·d]
            let zerosInner = [Float](repeating: 0, count: config.intermediateSize)
            let gate = try plan.linear(part(.gate), rows: config.intermediateSize, columns: hidden,
                                       bias: zerosInner, rotaryHeads: nil)                            // [I][H]
            let up = try plan.linear(part(.up), rows: config.intermediateSize, columns: hidden,
                                     bias: zerosInner, rotaryHeads: nil)                              // [I][H]
            let down = try plan.linear(part(.down), rows: hidden, columns: config.intermediateSize,
                                       bias: [Float](repeating: 0, count: hidden), rotaryHeads: nil)  // [H][I]
            layers.append(TransformerLayer(
                description: description,
                query: query, key: key, value: value, attentionOutput: output,
                attentionNorm: try rmsNorm(part(.attentionNorm)),
                feedForward: FeedForward(kind: .gatedSiLU, intermediate: up, gate: gate, output: down),
                outputNorm: try rmsNorm(part(.mlpNorm))))
        }
        let embeddings = try embeddingTable(source, names.embeddings, rows: config.vocabularySize, columns: hidden,
                                            dense: { try matrix(names.embeddings, rows: config.vocabularySize, columns: hidden) })   // [V][H]
        let outputWeight = config.tiedEmbeddings || source.descriptor(names.output) == nil
            ? embeddings : .dense(try matrix(names.output, rows: config.vocabularySize, columns: hidden))   // [V][H]
        let vocabulary = (0..<config.vocabularySize).map { tokenizer.token(for: $0) ?? "[id \($0)]" }
        var info = ModelInfo(name: name, source: sourceDescription, layerCount: config.layerCount,
                             headCount: config.headCount, hiddenSize: hidden, maxPositions: config.maxPositions)
        info.architecture = config.modelType
        return EncoderModel(info: info, tokenizer: tokenizer, embedder: LlamaEmbedder(word: embeddings), layers: layers,
                            finalNorm: try rmsNorm(names.finalNorm),
                            causalLMHead: CausalLMHead(table: outputWeight, vocabulary: vocabulary))
    }

    /// The token embeddings: kept in their GGUF blocks when the file stores them quantized
    /// (SmolLM2's Q8_0: 30 MB instead of 113 MB of float32; rows are gathered per text and
    /// per shown prediction), else `dense()`.
    static func embeddingTable(_ source: any TensorSource, _ name: String, rows: Int, columns: Int,
                               dense: () throws -> Matrix) throws -> EmbeddingTable {
        if let file = source as? GGUFFile, let info = file.info(name), info.type.isDequantizable,
           let table = try file.quantizedMatrix(name) {
            guard info.shape == [rows, columns] else {
                throw LlamaLoadError.tensorShape(file: file.url, tensor: name, shape: info.shape, expected: [rows, columns])
            }
            return .quantized(table)
        }
        return .dense(try dense())
    }
}

/// The row order of Q and K projections: llama.cpp's converter permuted each head's rows for
/// its interleaved rotary (pairs `2i`, `2i+1`); transformers' rotate-half pairs `i`, `i + d/2`.
enum RotaryRowOrder {
    /// Undoes the converter's permutation, as transformers' `reverse_permute` does:
    /// rotate-half row `h·d + s·d/2 + i` is interleaved row `h·d + 2i + s`.
    static func rotateHalf(_ weight: Matrix, heads: Int) -> Matrix {
        let d = weight.rows / heads, half = d / 2, columns = weight.columns
        var result = weight
        weight.values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for head in 0..<heads {
                    for s in 0..<2 {
                        for i in 0..<half {
                            let to = (head * d + s * half + i) * columns
                            let from = (head * d + 2 * i + s) * columns
                            for c in 0..<columns { target[to + c] = source[from + c] }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The same for a bias, one value per row.
    static func rotateHalf(_ bias: [Float], heads: Int) -> [Float] {
        rotateHalf(Matrix(rows: bias.count, columns: 1, values: bias), heads: heads).values
    }
}
