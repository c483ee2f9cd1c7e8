import Foundation
import Testing
@testable import AttentionCore
import Tokenizers

/// Tiny random DistilBERT and RoBERTa masked-LM checkpoints against transformers 5.24:
/// checkpoints and reference from `Tests/Fixtures/encoders/make_tiny_encoders.py`. Per case
/// (plain, pair, padded on the right and on the left, blog mask under hf and under soft): ids,
/// every layer's attention,
/// the last hidden state and the masked-LM top-5 at each mask token.
@Suite("Tiny encoder parity")
struct TinyEncoderParityTests {
    struct Case: Decodable {
        let text: String
        let pair: String?
        let padTo: Int?
        let padSide: String
        let semantics: String
        let tokens: [String]
        let ids: [Int]
        let mask: [Float]
        let attention: [[[[Float]]]]
        let hidden: [[Float]]
        let maskPositions: [Int]
        let top5: [[Int]]
        enum CodingKeys: String, CodingKey {
            case text, pair, semantics, tokens, ids, mask, attention, hidden, top5
            case padTo = "pad_to", padSide = "pad_side", maskPositions = "mask_positions"
        }
    }
    struct Reference: Decodable {
        let checkpoints: [String: [String: Case]]
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("encoders/tiny-encoders.json")))
    }

    static func load(_ checkpoint: String) throws -> EncoderModel {
        let folder = Fixtures.url("encoders/\(checkpoint)")
        return try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: checkpoint, reason: "test"))
    }

    @Test(arguments: ["tiny-distilbert", "tiny-roberta"])
    func matchesTransformers(checkpoint: String) throws {
        let cases = try #require(try Self.reference().checkpoints[checkpoint])
        #expect(cases.count == 6)
        let model = try Self.load(checkpoint)
        #expect(!model.description.isCausal && model.description.outputHead == .maskedLM)
        let head = try #require(model.maskedLMHead)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let padSide = try #require(PaddingSide(rawValue: c.padSide))
            let encoding = try model.encode(c.text, pair: c.pair, padTo: c.padTo, padSide: padSide)
            #expect(encoding.ids == c.ids, "\(checkpoint) \(name): ids")
            #expect(encoding.tokens == c.tokens, "\(checkpoint) \(name): tokens")
            guard encoding.ids == c.ids else { continue }
            let semantics: MaskSemantics = c.semantics == "soft" ? .soft : .hf
            let result = try #require(model.forward(try model.prepare(encoding), bias: AttentionBias(keyMask: c.mask, semantics: semantics)))
            var worst: Float = 0
            for (layer, heads) in c.attention.enumerated() {
                for (h, rows) in heads.enumerated() {
                    let map = result.attention.headWeights(layer: layer, head: h)
                    for (q, row) in rows.enumerated() {
                        for (k, expected) in row.enumerated() { worst = max(worst, abs(map[q][k] - expected)) }
                    }
                }
            }
            #expect(worst <= 1e-4, "\(checkpoint) \(name): attention differs by \(worst)")
            let hidden = try #require(result.hidden)
            #expect(hidden.rows == c.hidden.count)
            var hiddenWorst: Float = 0
            for (t, row) in c.hidden.enumerated() {
                for (i, expected) in row.enumerated() { hiddenWorst = max(hiddenWorst, abs(hidden.values[t * hidden.columns + i] - expected)) }
            }
            #expect(hiddenWorst <= 1e-4, "\(checkpoint) \(name): hidden state differs by \(hiddenWorst)")
            let positions = encoding.tokens.indices.filter { encoding.tokens[$0] == head.maskToken }
            #expect(positions == c.maskPositions, "\(checkpoint) \(name): mask positions")
            let top = head.topPredictions(hidden: hidden, positions: c.maskPositions).map { $0.map(\.id) }
            #expect(top == c.top5, "\(checkpoint) \(name): masked-LM top-5")
        }
    }

    /// The explorer's effect view: `<mask>`/`[MASK]` predictions of the unmasked run are
    /// transformers' top-5 for the plain text.
    @Test(arguments: ["tiny-distilbert", "tiny-roberta"])
    func effectViewPredictsAtTheMaskToken(checkpoint: String) throws {
        let plain = try #require(try Self.reference().checkpoints[checkpoint]?["plain"])
        let explorer = try Explorer(model: try Self.load(checkpoint), text: plain.text)
        let effect = try #require(OutputEffect.compute(for: explorer))
        #expect(effect.hasMaskedLMHead)
        #expect(effect.maskPredictions.map(\.position) == plain.maskPositions)
        #expect(effect.maskPredictions.map { $0.before.map(\.id) } == plain.top5)
    }

    @Test func robertaPositionsSkipPaddingAsTransformersDoes() {
        #expect(RobertaEmbedder.positionIDs(ids: [0, 7, 2, 1, 1], paddingIndex: 1) == [2, 3, 4, 1, 1])
        #expect(RobertaEmbedder.positionIDs(ids: [0, 1, 5, 2], paddingIndex: 1) == [2, 1, 3, 4])
    }

    @Test func robertaKeepsTwoPositionsForPaddingAndStartsAfterThem() throws {
        let model = try Self.load("tiny-roberta")
        #expect(model.info.architecture == "roberta")
        #expect(model.info.maxPositions == 38)   // max_position_embeddings 40 − (pad_token_id 1 + 1)
        #expect(throws: ModelInputError.self) { try model.encode(String(repeating: "the ", count: 60)) }
        let distil = try Self.load("tiny-distilbert")
        #expect(distil.info.architecture == "distilbert" && distil.info.maxPositions == 40)
    }

    /// XLM-RoBERTa is the same network, but its SentencePiece tokenizer is refused by name.
    @Test func xlmRobertaTokenizerIsRefusedClearly() throws {
        let folder = try TemporaryFolder().url
        let source = Fixtures.url("encoders/tiny-roberta")
        let config = try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"model_type\": \"roberta\"", with: "\"model_type\": \"xlm-roberta\"")
        try config.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: source.appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        let location = ModelLocation(choice: .folder(folder.path), folder: folder, name: "xlm", reason: "test")
        try Data("x".utf8).write(to: folder.appendingPathComponent("sentencepiece.bpe.model"))
        do {
            _ = try ModelFamilyRegistry.standard.load(location)
            Issue.record("an XLM-R folder without a BPE tokenizer loaded")
        } catch let error as RobertaLoadError {
            #expect(error.description.contains("SentencePiece"))
        }
        let unigram = #"{"model": {"type": "Unigram", "vocab": [["<s>", 0.0]]}}"#
        try unigram.write(to: folder.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
        do {
            _ = try ModelFamilyRegistry.standard.load(location)
            Issue.record("a Unigram tokenizer.json loaded")
        } catch let error as RobertaLoadError {
            #expect(error.description.contains("SentencePiece Unigram"))
        }
        // With roberta's byte-level tokenizer the xlm-roberta network loads.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        try FileManager.default.copyItem(at: source.appendingPathComponent("tokenizer.json"),
                                         to: folder.appendingPathComponent("tokenizer.json"))
        #expect(try ModelFamilyRegistry.standard.load(location).info.architecture == "xlm-roberta")
    }

    @Test func distilBertConfigErrorsNameTheKey() throws {
        let folder = try TemporaryFolder().url
        let source = Fixtures.url("encoders/tiny-distilbert")
        for file in ["model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let config = try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
        let location = ModelLocation(choice: .folder(folder.path), folder: folder, name: "d", reason: "test")
        for (from, to, key) in [("\"activation\": \"gelu\"", "\"activation\": \"relu\"", "activation"),
                                ("\"sinusoidal_pos_embds\": false", "\"sinusoidal_pos_embds\": true", "sinusoidal_pos_embds"),
                                ("\"dim\": 32", "\"dim\": 48", "dim")] {
            try config.replacingOccurrences(of: from, with: to)
                .write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            do {
                _ = try ModelFamilyRegistry.standard.load(location)
                Issue.record("\(key): loaded")
            } catch {
                #expect("\(error)".contains(key), "\(key): \(error)")
            }
        }
    }
}
