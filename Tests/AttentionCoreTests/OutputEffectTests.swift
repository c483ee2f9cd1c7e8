import Foundation
import Testing
@testable import AttentionCore

/// `Tests/Fixtures/masked-lm/tiny-bert.json`, written by transformers' BertForMaskedLM
/// (make_masked_lm_reference.py beside it).
struct MaskedLMReference: Decodable {
    struct Prediction: Decodable {
        struct Entry: Decodable {
            let id: Int
            let token: String
            let probability: Float
        }
        let position: Int
        let top: [Entry]
    }
    struct Case: Decodable {
        let text: String
        let mask: [Float]
        let tokens: [String]
        let predictions: [Prediction]
    }
    let cases: [Case]
}

@Suite("Output effect and masked-LM head")
struct OutputEffectTests {
    static let seed = "The quick brown fox jumps over the lazy dog."

    func tinyBert() throws -> EncoderModel {
        try BertModel.load(folder: Fixtures.url("tiny-bert"), name: "tiny-bert")
    }

    @Test("an unchanged mask gives cosine 1 everywhere and identical predictions")
    func identicalMaskGivesOne() throws {
        let explorer = try Explorer(model: try tinyBert(), text: "the quick brown [MASK] jumps over the lazy dog .")
        let effect = try #require(OutputEffect.compute(for: explorer))
        #expect(abs(effect.sentenceCosine - 1) < 1e-6)
        #expect(effect.tokenCosines.count == explorer.tokens.count)
        for cosine in effect.tokenCosines { #expect(abs(cosine - 1) < 1e-6) }
        #expect(effect.hasMaskedLMHead)
        #expect(effect.maskPredictions.map(\.position) == [4])
        #expect(effect.maskPredictions.first?.before == effect.maskPredictions.first?.after)
        #expect(effect.maskPredictions.first?.before.count == 5)
    }

    @Test("masking keys or a pattern changes the output: cosines drop below 1")
    func maskingChangesOutput() throws {
        // The built-in model has no masked-LM head; tiny-bert is a BertForMaskedLM.
        for (model, hasHead) in [(BuiltinModel.make(), false), (try tinyBert(), true)] {
            var explorer = try Explorer(model: model, text: Self.seed)
            try explorer.apply(try MaskSpec(parsing: "lazy..=0"))
            let keyMasked = try #require(OutputEffect.compute(for: explorer))
            #expect(keyMasked.sentenceCosine < 0.9999)
            #expect(keyMasked.tokenCosines.contains { $0 < 0.9999 })
            #expect(keyMasked.hasMaskedLMHead == hasHead)

            try explorer.setMask(explorer.encoding.defaultMask)
            try explorer.setPattern(.causal)
            let causal = try #require(OutputEffect.compute(for: explorer))
            #expect(causal.sentenceCosine < 0.9999)
        }
    }

    @Test("the built-in model has no masked-LM head: no predictions")
    func noHead() throws {
        let explorer = try Explorer(model: BuiltinModel.make(), text: "the [MASK] sat")
        let effect = try #require(OutputEffect.compute(for: explorer))
        #expect(!effect.hasMaskedLMHead)
        #expect(effect.maskPredictions.isEmpty)
    }

    @Test("mean pooling skips padding; cosine basics")
    func poolingAndCosine() {
        let hidden = Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 100, 100])
        #expect(OutputEffect.meanPooled(hidden, isPadding: [false, false, true]) == [2, 3])
        #expect(OutputEffect.meanPooled(hidden, isPadding: [true, true, true]) == [104 / 3, 106 / 3])
        #expect(OutputEffect.cosine([1, 0], [0, 2]) == 0)
        #expect(abs(OutputEffect.cosine([1, 2], [2, 4]) - 1) < 1e-7)
        #expect(OutputEffect.cosine([0, 0], [0, 0]) == 1)
    }

    @Test("top-5 [MASK] predictions match transformers' BertForMaskedLM on tiny-bert within 1e-4")
    func parityWithTransformers() throws {
        let reference = try JSONDecoder().decode(
            MaskedLMReference.self, from: Data(contentsOf: Fixtures.url("masked-lm/tiny-bert.json")))
        let model = try tinyBert()
        let head = try #require(model.maskedLMHead)
        #expect(head.vocabularySize == 312)
        for item in reference.cases {
            var explorer = try Explorer(model: model, text: item.text)
            #expect(explorer.tokens == item.tokens)
            try explorer.setMask(item.mask)
            let result = try #require(explorer.recompute())
            let predictions = head.topPredictions(hidden: try #require(result.hidden), positions: item.predictions.map(\.position), count: 5)
            for (ours, theirs) in zip(predictions, item.predictions) {
                #expect(ours.count == theirs.top.count)
                for (rank, (mine, expected)) in zip(ours, theirs.top).enumerated() {
                    #expect(abs(mine.probability - expected.probability) < 1e-4, "\(item.text) rank \(rank)")
                    let tiedWithNeighbour = theirs.top.indices.contains {
                        $0 != rank && abs(theirs.top[$0].probability - expected.probability) < 1e-4
                    }
                    if tiedWithNeighbour {
                        #expect(theirs.top.contains { $0.id == mine.id })
                    } else {
                        #expect(mine.id == expected.id, "\(item.text) rank \(rank)")
                        #expect(mine.token == expected.token)
                    }
                }
            }
        }
    }
}
