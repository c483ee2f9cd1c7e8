import Foundation
import Tokenizers

/// Builds an `EncoderModel` from a GPT-2 checkpoint: `wte + wpe` in, pre-norm LayerNorm
/// blocks with a fused Q/K/V projection and a tanh-GELU MLP, a final `ln_f`, and the LM head
/// tied to `wte`.
enum GPT2Model {
    /// A transformers folder: config.json, model.safetensors (or its shards), and tokenizer.json or
    /// vocab.json + merges.txt.
    static func load(folder: URL, name: String) throws -> EncoderModel {
        let configURL = folder.appendingPathComponent("config.json")
        let config = try GPT2Config.json(configURL)
        try config.validate(file: configURL)
        let weights = try SafeTensorsCheckpoint.open(folder: folder)
        let prefix = weights.descriptor("transformer.wte.weight") != nil ? "transformer." : ""
        let tokenizer = try ByteLevelBPETokenizer.load(folder: folder)
        return try make(config: config, source: weights, names: .transformers(prefix: prefix), tokenizer: tokenizer,
                        name: name, sourceDescription: folder.path)
    }

    /// A GGUF file whose `general.architecture` is gpt2, as llama.cpp's converter writes it.
    static func load(gguf file: GGUFFile, name: String) throws -> EncoderModel {
        let config = try GPT2Config.gguf(file)
        try config.validate(file: file.url)
        if let missing = missingTensor(gguf: file, config: config) {
            throw ModelLoadError.tensorMissing(file: file.url, lookedFor: [missing])
        }
        guard let metadata = file.metadata.tokenizer else {
            throw ModelLoadError.configKeyMissing(file: file.url, key: "tokenizer.ggml.tokens")
        }
        guard metadata.model == "gpt2" else {
            throw ModelLoadError.configInvalidValue(file: file.url, key: "tokenizer.ggml.model",
                                                    problem: "is \"\(metadata.model)\"; only byte-level BPE (gpt2) tokenizers are implemented")
        }
        let tokenizer = try ByteLevelBPETokenizer(
            ggufTokens: metadata.tokens, merges: metadata.merges,
            tokenTypes: metadata.tokenTypes.isEmpty ? nil : metadata.tokenTypes,
            bosID: metadata.bosTokenID, eosID: metadata.eosTokenID, unknownID: metadata.unknownTokenID,
            paddingID: metadata.paddingTokenID, addBOS: metadata.addsBOS ?? false, addEOS: metadata.addsEOS ?? false,
            pre: metadata.preTokenizer ?? "gpt2", source: file.url.lastPathComponent)
        return try make(config: config, source: file, names: .gguf, tokenizer: tokenizer,
                        name: name, sourceDescription: file.url.path)
    }

    /// Why `load(gguf:name:)` would refuse `file`, without dequantizing anything; nil when it would load.
    static func problem(gguf file: GGUFFile) -> String? {
        do {
            let config = try GPT2Config.gguf(file)
            try config.validate(file: file.url)
            if let missing = missingTensor(gguf: file, config: config) {
                return ModelLoadError.tensorMissing(file: file.url, lookedFor: [missing]).description
            }
            if file.metadata.tokenizer == nil {
                return ModelLoadError.configKeyMissing(file: file.url, key: "tokenizer.ggml.tokens").description
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The first tensor a GGUF GPT-2 needs that `file` lacks.
    static func missingTensor(gguf file: GGUFFile, config: GPT2Config) -> String? {
        let names = GPT2TensorNames.gguf
        var required = [names.wordEmbeddings, names.positionEmbeddings, names.finalNorm + ".weight", names.finalNorm + ".bias"]
        for layer in 0..<config.layerCount {
            for part in GPT2TensorNames.Part.allCases {
                required += [names.layer(layer, part) + ".weight", names.layer(layer, part) + ".bias"]
            }
        }
        return required.first { file.info($0) == nil }
    }

    static func make(config: GPT2Config, source: any TensorSource, names: GPT2TensorNames,
                     tokenizer: ByteLevelBPETokenizer, name: String, sourceDescription: String) throws -> EncoderModel {
        let description = config.description
        let url = source.sourceURL
        let hidden = config.hiddenSize, inner = config.intermediateSize

        /// A weight as `nn.Linear` keeps it, `[out][in]`, whichever way the file stores it.
        func linearWeight(_ tensor: String, output: Int, input: Int) throws -> Matrix {
            let stored = names.weightsAreInputByOutput ? [input, output] : [output, input]
            guard let descriptor = source.descriptor(tensor) else {
                throw ModelLoadError.tensorMissing(file: url, lookedFor: [tensor])
            }
            guard descriptor.shape == stored else {
                throw ModelLoadError.tensorShapeMismatch(file: url, tensor: tensor, shape: descriptor.shape, expected: stored,
                                                         meaning: names.weightsAreInputByOutput ? "[in][out] (Conv1D)" : "[out][in]")
            }
            let values = try source.floats(tensor)
            guard names.weightsAreInputByOutput else { return Matrix(rows: output, columns: input, values: values) }
            var transposed = [Float](repeating: 0, count: values.count)                      // [out][in]
            for i in 0..<input {
                for o in 0..<output { transposed[o * input + i] = values[i * output + o] }
            }
            return Matrix(rows: output, columns: input, values: transposed)
        }
        func table(_ tensor: String, rows: Int, meaning: String) throws -> Matrix {
            guard let descriptor = source.descriptor(tensor) else {
                throw ModelLoadError.tensorMissing(file: url, lookedFor: [tensor])
            }
            guard descriptor.shape == [rows, hidden] else {
                throw ModelLoadError.tensorShapeMismatch(file: url, tensor: tensor, shape: descriptor.shape,
                                                         expected: [rows, hidden], meaning: meaning)
            }
            return Matrix(rows: rows, columns: hidden, values: try source.floats(tensor))
        }
        func vector(_ tensor: String, count: Int) throws -> [Float] {
            guard let descriptor = source.descriptor(tensor) else {
                throw ModelLoadError.tensorMissing(file: url, lookedFor: [tensor])
            }
            guard descriptor.shape == [count] else {
                throw ModelLoadError.tensorShapeMismatch(file: url, tensor: tensor, shape: descriptor.shape,
                                                         expected: [count], meaning: "[\(count)]")
            }
            return try source.floats(tensor)
        }
        func layerNorm(_ tensor: String) throws -> Norm {
            .layer(LayerNorm(gamma: try vector(tensor + ".weight", count: hidden),
                             beta: try vector(tensor + ".bias", count: hidden), epsilon: config.layerNormEpsilon))
        }
        func rows(_ weight: Matrix, _ range: Range<Int>) -> Matrix {
            Matrix(rows: range.count, columns: weight.columns,
                   values: Array(weight.values[(range.lowerBound * weight.columns)..<(range.upperBound * weight.columns)]))
        }

        var layers: [TransformerLayer] = []
        layers.reserveCapacity(config.layerCount)
        for index in 0..<config.layerCount {
            func part(_ part: GPT2TensorNames.Part) -> String { names.layer(index, part) }
            let qkv = try linearWeight(part(.queryKeyValue) + ".weight", output: 3 * hidden, input: hidden)  // [3H][H]
            let qkvBias = try vector(part(.queryKeyValue) + ".bias", count: 3 * hidden)                    // [3H]
            let query = rows(qkv, 0..<hidden)                                                               // [H][H]
            let key = rows(qkv, hidden..<(2 * hidden))                                                      // [H][H]
            let value = rows(qkv, (2 * hidden)..<(3 * hidden))                                              // [H][H]
            let output = try linearWeight(part(.attentionOutput) + ".weight", output: hidden, input: hidden) // [H][H]
            let up = try linearWeight(part(.up) + ".weight", output: inner, input: hidden)                  // [I][H]
            let down = try linearWeight(part(.down) + ".weight", output: hidden, input: inner)              // [H][I]
            layers.append(TransformerLayer(
                description: description,
                query: Linear(weight: query, bias: Array(qkvBias[0..<hidden])),
                key: Linear(weight: key, bias: Array(qkvBias[hidden..<(2 * hidden)])),
                value: Linear(weight: value, bias: Array(qkvBias[(2 * hidden)..<(3 * hidden)])),
                attentionOutput: Linear(weight: output, bias: try vector(part(.attentionOutput) + ".bias", count: hidden)),
                attentionNorm: try layerNorm(part(.attentionNorm)),
                feedForward: FeedForward(kind: config.mlp, intermediate: Linear(weight: up, bias: try vector(part(.up) + ".bias", count: inner)),
                                         gate: nil,
                                         output: Linear(weight: down, bias: try vector(part(.down) + ".bias", count: hidden))),
                outputNorm: try layerNorm(part(.mlpNorm))))
        }
        let word = try table(names.wordEmbeddings, rows: config.vocabularySize, meaning: "[vocab_size][n_embd]")     // [V][H]
        let position = try table(names.positionEmbeddings, rows: config.maxPositions, meaning: "[n_positions][n_embd]") // [P][H]
        let outputWeight = source.descriptor(names.output) == nil
            ? word : try table(names.output, rows: config.vocabularySize, meaning: "[vocab_size][n_embd]")          // [V][H]
        let vocabulary = (0..<config.vocabularySize).map { tokenizer.token(for: $0) ?? "[id \($0)]" }
        var info = ModelInfo(name: name, source: sourceDescription, layerCount: config.layerCount,
                             headCount: config.headCount, hiddenSize: hidden, maxPositions: config.maxPositions)
        info.architecture = "gpt2"
        return EncoderModel(info: info, tokenizer: tokenizer, embedder: WordPositionEmbedder(word: .dense(word), position: position, norm: nil),
                            layers: layers, finalNorm: try layerNorm(names.finalNorm),
                            causalLMHead: CausalLMHead(weight: outputWeight, vocabulary: vocabulary))
    }
}
