import AttentionCore
import Foundation
import Tokenizers

/// A test-only model family, added the way a real one is: this folder plus one registry entry
/// (`ModelFamilyRegistry(families: standard.families + [ToyFamily()])`). It imports
/// AttentionCore without `@testable`, so everything a family needs is public.
///
/// The architecture is a miniature Llama, so it exercises every non-BERT path of the engine:
/// pre-norm RMSNorm, grouped-query attention (fewer key/value heads), rotary positions on Q and
/// K, a gated-SiLU MLP, causal attention, a final norm. Checkpoint: config.json
/// (`"model_type": "toy"`, sizes, `vocab` as a word list) and model.safetensors with
/// `embed.weight`, `layers.N.{attn_norm,q,k,v,o,mlp_norm,gate,up,down}.weight`, `final_norm.weight`.
struct ToyFamily: ModelFamily {
    var name: String { "toy" }
    var modelTypes: [String] { ["toy"] }
    var architectures: [String] { ["ToyForCausalLM"] }

    struct Config: Decodable {
        let hidden_size: Int
        let num_attention_heads: Int
        let num_key_value_heads: Int
        let num_hidden_layers: Int
        let intermediate_size: Int
        let rope_theta: Float
        let rms_norm_eps: Float
        let vocab: [String]
    }

    struct ShapeError: Error, CustomStringConvertible {
        let description: String
    }

    func load(_ location: ModelLocation) throws -> EncoderModel {
        guard let folder = location.folder else { throw ShapeError(description: "the toy family needs a folder") }
        let config = try JSONDecoder().decode(Config.self, from: Data(contentsOf: folder.appendingPathComponent("config.json")))
        let source: any TensorSource = try SafeTensorsFile(url: folder.appendingPathComponent("model.safetensors"))
        let description = TransformerDescription(
            hiddenSize: config.hidden_size, layerCount: config.num_hidden_layers,
            norms: .init(kind: .rmsNorm, placement: .pre, epsilon: config.rms_norm_eps),
            attention: .init(headCount: config.num_attention_heads, keyValueHeadCount: config.num_key_value_heads,
                             headSize: config.hidden_size / config.num_attention_heads),
            positions: .rotary(base: config.rope_theta), mlp: .gatedSiLU, intermediateSize: config.intermediate_size,
            isCausal: true, outputHead: .none, specialTokenRoles: [.bos, .pad], maxPositions: 64)
        if let problem = description.problem { throw ShapeError(description: problem) }

        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> Matrix {
            guard let found = source.descriptor(name), found.shape == [rows, columns] else {
                throw ShapeError(description: "\(name): expected [\(rows), \(columns)]")
            }
            return Matrix(rows: rows, columns: columns, values: try source.floats(name))
        }
        func linear(_ name: String, out: Int, in inputs: Int) throws -> Linear {
            Linear(weight: try matrix(name, out, inputs), bias: [Float](repeating: 0, count: out))
        }
        func norm(_ name: String) throws -> Norm {
            .rms(RMSNorm(gamma: try matrix(name, 1, config.hidden_size).values, epsilon: config.rms_norm_eps))
        }
        let h = config.hidden_size, a = description.attention, inner = config.intermediate_size
        let layers = try (0..<config.num_hidden_layers).map { index in
            let prefix = "layers.\(index)."
            return TransformerLayer(
                description: description,
                query: try linear(prefix + "q.weight", out: a.queryWidth, in: h),
                key: try linear(prefix + "k.weight", out: a.keyValueWidth, in: h),
                value: try linear(prefix + "v.weight", out: a.keyValueWidth, in: h),
                attentionOutput: try linear(prefix + "o.weight", out: h, in: a.queryWidth),
                attentionNorm: try norm(prefix + "attn_norm.weight"),
                feedForward: FeedForward(kind: .gatedSiLU, intermediate: try linear(prefix + "up.weight", out: inner, in: h),
                                         gate: try linear(prefix + "gate.weight", out: inner, in: h),
                                         output: try linear(prefix + "down.weight", out: h, in: inner)),
                outputNorm: try norm(prefix + "mlp_norm.weight"))
        }
        let info = ModelInfo(name: location.name, source: folder.path, layerCount: layers.count,
                             headCount: a.headCount, hiddenSize: h, maxPositions: description.maxPositions)
        return EncoderModel(
            info: info, tokenizer: ToyTokenizer(vocabulary: config.vocab),
            embedder: ToyEmbedder(table: try matrix("embed.weight", config.vocab.count, h)),
            layers: layers, finalNorm: try norm("final_norm.weight"))
    }
}

/// Words from a fixed list, after a `<bos>`; `<pad>` pads.
struct ToyTokenizer: TextTokenizer {
    let vocabulary: [String]

    struct UnknownWord: Error { let word: String }

    var padToken: (token: String, id: Int) { ("<pad>", vocabulary.firstIndex(of: "<pad>") ?? 0) }

    var specialTokenRoles: [SpecialTokenRole: SpecialToken] {
        [.bos: SpecialToken(token: "<bos>", id: vocabulary.firstIndex(of: "<bos>") ?? 0),
         .pad: SpecialToken(token: padToken.token, id: padToken.id)]
    }

    func token(for id: Int) -> String? { vocabulary.indices.contains(id) ? vocabulary[id] : nil }

    func decode(_ ids: [Int]) -> String { ids.map { token(for: $0) ?? "?" }.joined(separator: " ") }

    func encode(_ text: String, pair: String?) throws -> Encoding {
        let words = text.split(separator: " ").map(String.init)
        let ids = try words.map { word in
            guard let id = vocabulary.firstIndex(of: word) else { throw UnknownWord(word: word) }
            return id
        }
        let bos = specialTokenRoles[.bos]?.id ?? 0
        let count = words.count + 1
        return Encoding(tokens: ["<bos>"] + words, ids: [bos] + ids, typeIDs: Array(repeating: 0, count: count),
                        wordIndices: [nil] + words.indices.map { $0 }, isSpecial: [true] + words.map { _ in false },
                        isPadding: Array(repeating: false, count: count))
    }
}

/// A row of the embedding table per token; positions come later, as rotary.
struct ToyEmbedder: TokenEmbedder {
    let table: Matrix

    func embed(_ encoding: Encoding) throws -> Matrix {
        var x = Matrix(zeros: encoding.count, table.columns)
        for (t, id) in encoding.ids.enumerated() {
            for i in 0..<table.columns { x.values[t * table.columns + i] = table.values[id * table.columns + i] }
        }
        return x
    }
}
