import Foundation
import Testing
@testable import AttentionCore

/// A tiny random GPT-2 against transformers 5.24, from safetensors and from the same weights
/// written as GGUF: fixtures from `Tests/Fixtures/gpt2/make_tiny_gpt2.py`.
@Suite("GPT-2 parity")
struct GPT2ParityTests {
    struct Case: Decodable {
        let name: String
        let text: String
        let semantics: String
        let padTo: Int?
        let ids: [Int]
        let tokens: [String]
        let mask: [Float]
        let attention: [[[[Float]]]]
        let hidden: [[Float]]
        let top5Ids: [Int]
        enum CodingKeys: String, CodingKey {
            case name, text, semantics, ids, tokens, mask, attention, hidden
            case padTo = "pad_to", top5Ids = "top5_ids"
        }
    }
    struct Reference: Decodable { let cases: [Case] }

    static let folder = Fixtures.url("gpt2/tiny-gpt2")
    static let ggufFile = Fixtures.url("gpt2/tiny-gpt2.gguf")

    static func load(_ source: String) throws -> EncoderModel {
        let location = source == "gguf"
            ? ModelLocation(choice: .gguf(ggufFile.path), folder: nil, name: "tiny-gpt2.gguf", reason: "test", file: ggufFile)
            : ModelLocation(choice: .folder(folder.path), folder: folder, name: "tiny-gpt2", reason: "test")
        return try ModelFamilyRegistry.standard.load(location)
    }

    static func check(_ model: EncoderModel, label: String) throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("gpt2/tiny-gpt2.json")))
        #expect(reference.cases.count == 4)
        for c in reference.cases {
            let encoding = try model.encode(c.text, padTo: c.padTo)
            #expect(encoding.ids == c.ids, "\(label) \(c.name): ids")
            #expect(encoding.tokens == c.tokens, "\(label) \(c.name): tokens")
            guard encoding.ids == c.ids else { continue }
            let semantics = try #require(MaskSemantics(rawValue: c.semantics))
            let input = try model.prepare(encoding)
            let result = try #require(model.forward(input, bias: AttentionBias(keyMask: c.mask, semantics: semantics)))
            var worst: Float = 0
            for (layer, heads) in c.attention.enumerated() {
                for (head, rows) in heads.enumerated() {
                    for (q, row) in rows.enumerated() {
                        for (k, expected) in row.enumerated() {
                            worst = max(worst, abs(result.attention.weight(layer: layer, head: head, query: q, key: k) - expected))
                        }
                    }
                }
            }
            #expect(worst <= 1e-4, "\(label) \(c.name): attention differs by \(worst)")
            let hidden = try #require(result.hidden)
            #expect(hidden.rows == c.hidden.count && hidden.columns == c.hidden[0].count)
            var worstHidden: Float = 0
            for (t, row) in c.hidden.enumerated() {
                for (i, expected) in row.enumerated() {
                    worstHidden = max(worstHidden, abs(hidden.values[t * hidden.columns + i] - expected))
                }
            }
            #expect(worstHidden <= 1e-4, "\(label) \(c.name): hidden differs by \(worstHidden)")
            let head = try #require(model.causalLMHead)
            let logits = head.logits(hidden.values[((hidden.rows - 1) * hidden.columns)...])
            #expect(Array(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5)) == c.top5Ids, "\(label) \(c.name): top-5")
        }
    }

    @Test(arguments: ["safetensors", "gguf"])
    func matchesTransformers(source: String) throws {
        let model = try Self.load(source)
        #expect(model.info.architecture == "gpt2")
        #expect(model.description.isCausal && model.description.positions == .learnedAbsolute)
        #expect(model.description.mlp == .tanhGELU && model.description.norms?.placement == .pre)
        try Self.check(model, label: source)
    }

    @Test func vocabAndMergesAloneLoadTheSameTokenizer() throws {
        let copy = try TemporaryFolder().url
        for file in ["config.json", "model.safetensors", "vocab.json", "merges.txt"] {
            try FileManager.default.copyItem(at: Self.folder.appendingPathComponent(file), to: copy.appendingPathComponent(file))
        }
        let model = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(copy.path), folder: copy, name: "gpt2", reason: "test"))
        let reference = try Self.load("safetensors")
        let text = "The quick brown fox jumps over the lazy dog."
        #expect(try model.encode(text).ids == reference.encode(text).ids)
        #expect(try model.encode(text).ids.first != 0, "no BOS (<|endoftext|>, id 0) is added")
    }

    /// The hub's `gpt2` and `distilgpt2` files were saved from `GPT2Model`: `wte.weight`,
    /// `h.0.attn.c_attn.weight`, … without the `transformer.` prefix.
    @Test func weightsWithoutTheTransformerPrefixLoadTheSameModel() throws {
        let copy = try TemporaryFolder().url
        for file in ["config.json", "tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: Self.folder.appendingPathComponent(file), to: copy.appendingPathComponent(file))
        }
        let original = try Data(contentsOf: Self.folder.appendingPathComponent("model.safetensors"))
        let headerLength = original.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try #require(String(data: original.subdata(in: 8..<(8 + headerLength)), encoding: .utf8))
        #expect(header.contains("\"transformer.wte.weight\""))
        let renamed = header.replacingOccurrences(of: "\"transformer.", with: "\"")
        try SafeTensorsBuilder.bytes(header: renamed, data: Array(original.suffix(from: 8 + headerLength)))
            .write(to: copy.appendingPathComponent("model.safetensors"))
        let model = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(copy.path), folder: copy, name: "gpt2", reason: "test"))
        let reference = try Self.load("safetensors")
        let text = "The quick brown fox jumps over the lazy dog."
        let a = try Explorer(model: model, text: text).recompute()
        let b = try Explorer(model: reference, text: text).recompute()
        #expect(a?.attention == b?.attention && a?.hidden == b?.hidden)
    }

    /// transformers 4.x's GPT-2 added `(1 − m)·lowest` to the scores, as BERT did: 0.5 masks fully.
    @Test func hf4MasksAHalfKeyFullyOnGPT2() throws {
        let model = try Self.load("safetensors")
        #expect(!model.description.hf4MaskIsBoolean)
        #expect(MaskSemantics.hf4.resolved(for: model.description) == .hf4)
        let input = try model.prepare(try model.encode("The quick brown fox"))
        let length = input.encoding.count
        var mask = [Float](repeating: 1, count: length)
        mask[1] = 0.5
        let result = try #require(model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf4)))
        for head in 0..<model.info.headCount {
            #expect(result.attention.weight(layer: 0, head: head, query: length - 1, key: 1) == 0)
            #expect(result.attention.weight(layer: 0, head: head, query: 0, key: 1) == 0, "causal")
        }
    }

    @Test func unsupportedVariantsAreRefusedByName() throws {
        let copy = try TemporaryFolder().url
        for file in ["model.safetensors", "tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: Self.folder.appendingPathComponent(file), to: copy.appendingPathComponent(file))
        }
        let config = try String(contentsOf: Self.folder.appendingPathComponent("config.json"), encoding: .utf8)
        for (from, to, key) in [("\"scale_attn_by_inverse_layer_idx\": false", "\"scale_attn_by_inverse_layer_idx\": true", "scale_attn_by_inverse_layer_idx"),
                                ("\"activation_function\": \"gelu_new\"", "\"activation_function\": \"relu\"", "activation_function"),
                                ("\"n_head\": 4", "\"n_head\": 5", "n_head")] {
            try config.replacingOccurrences(of: from, with: to).write(to: copy.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            do {
                _ = try ModelFamilyRegistry.standard.load(ModelLocation(choice: .folder(copy.path), folder: copy, name: "x", reason: "test"))
                Issue.record("\(key) was accepted")
            } catch {
                #expect("\(error)".contains(key), "\(error)")
            }
        }
    }
}

@Suite struct GPT2SupportTests {
    @Test func inspectSaysTinyGPT2Runs() throws {
        let gguf = ModelSupport.verdict(for: try GGUFFile(url: GPT2ParityTests.ggufFile))
        #expect(gguf.isRunnable, "\(gguf.explanation)")
        let folder = ModelSupport.verdict(forFolder: GPT2ParityTests.folder, modelType: "gpt2")
        #expect(folder.isRunnable && folder.explanation.contains("gpt2 decoder"), "\(folder.explanation)")
    }
}
