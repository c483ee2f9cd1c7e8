import AttentionCore
import Foundation
@testable import ExplorerUI
import Testing

/// Each predicate true and false on the built-in model (2 layers, head 5 "broad": uniform
/// over open keys); predictions on the committed tiny Llama.
@Suite("claim language: evaluation")
struct ClaimEvaluatorTests {
    static let builtin = BuiltinModel.make()

    func outcome(_ claim: String, text: String = "The cat sat.", mask: String? = nil, pattern: MaskPattern = .none,
                 semantics: MaskSemantics = .hf, layer: Int = 0, head: Int = 5, model: EncoderModel = builtin) throws -> ClaimOutcome {
        var explorer = try Explorer(model: model, text: text, semantics: semantics)
        try explorer.setPattern(pattern)
        if let mask { try explorer.apply(try MaskSpec(parsing: mask)) }
        return ClaimEvaluator(explorer: explorer, layer: layer, head: head).evaluate(try ClaimParser.parse(claim))
    }

    @Test("weight: true, false with the cell named, tolerance on ==")
    func weight() throws {
        #expect(try outcome("weight(q=0, k=2) == 0.1667") == .holds)   // broad head: 1/6, within 1e-4
        #expect(try outcome("weight(q=0, k=2) == 0.1667 in every head of layer 0") == .fails(actual: "layer 0 head 0 has 0.001691"))
        #expect(try outcome("weight(q=*, k='cat') == 0 in every layer", mask: "cat=0") == .holds)
        #expect(try outcome("weight(q=*, k='cat') > 0 in every layer", mask: "cat=0") == .fails(actual: "layer 0 head 0 row 0 has 0"))
    }

    @Test("sum over a key range and moved mass")
    func sumAndMoved() throws {
        #expect(try outcome("sum(q=*, k=..) == 1 in every layer") == .holds)
        #expect(try outcome("sum(q=1, k=2..3) == 0.3333") == .holds)
        #expect(try outcome("sum(q=1, k=2..3) < 0.3") == .fails(actual: "layer 0 head 5 has 0.3333"))
        #expect(try outcome("moved(q=*) == 0 in every layer") == .holds)
        // Broad head, 'cat' masked: its 1/6 spreads over 5 keys.
        #expect(try outcome("moved(q=1) == 0.1667", mask: "cat=0") == .holds)
        #expect(try outcome("moved(q=1) > 0.2", mask: "cat=0") == .fails(actual: "layer 0 head 5 has 0.1667"))
    }

    @Test("uniform, closed and open")
    func states() throws {
        #expect(try outcome("row 0 is uniform") == .holds)
        #expect(try outcome("row 0 is not uniform") == .fails(actual: "layer 0 head 5 row 0 is uniform: weights 0.1667…0.1667, each 0.1667"))
        #expect(try outcome("row 0 is uniform in head 0 of layer 0").isFailure)
        #expect(try outcome("key 'cat' is closed", mask: "cat=0") == .holds)
        #expect(try outcome("key 'cat' is open", mask: "cat=0") == .fails(actual: "key 2 is closed, expected open"))
        #expect(try outcome("cell(q=1, k=2) is closed", pattern: .causal) == .holds)
        #expect(try outcome("cell(q=2, k=1) is closed", pattern: .causal) == .fails(actual: "cell q=2 k=1 is open, expected closed"))
        #expect(try outcome("row 0 is closed", mask: "..=0") == .holds)
        // hf4 turns 0.5 into (1 − 0.5) × lowest: closed; soft keeps it open.
        #expect(try outcome("key 'cat' is closed", mask: "cat=0.5", semantics: .hf4) == .holds)
        #expect(try outcome("key 'cat' is closed", mask: "cat=0.5", semantics: .soft).isFailure)
    }

    @Test("positions that do not exist, ambiguous tokens and a model without an LM head are unusable, not false")
    func unusable() throws {
        #expect(try outcome("row 9 is open") == .unusable("position 9 is outside the text: it has 6 tokens (0…5)"))
        #expect(try outcome("row 'dog' is open") == .unusable("no token 'dog' in the text; its tokens are: [CLS] the cat sat . [SEP]"))
        #expect(try outcome("row 'ct' is open") == .unusable("no token 'ct' in the text (did you mean 'cat'?); its tokens are: [CLS] the cat sat . [SEP]"))
        #expect(try outcome("row 'the' is open", text: "the cat the") == .unusable("'the' occurs at positions 1, 3: write the position instead"))
        #expect(try outcome("row 0 is open in layer 5") == .unusable("layer 5 does not exist: builtin has layers 0…1"))
        if case .unusable(let reason) = try outcome("kl == 0") {
            #expect(reason.contains("no language-model head"))
        } else {
            Issue.record("kl on the built-in model should be unusable")
        }
    }

    static let tinyLlama = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/llama/tiny-llama").path

    @Test("kl and topN on a decoder: the explorer's next-token effect, true and false")
    func predictions() throws {
        let model = try ModelLoader.load(try ModelLocator().locate(Self.tinyLlama))
        let text = "The quick brown fox"
        #expect(try outcome("kl == 0", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("top1(after) == top1(before)", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("top1(after) != top1(before)", text: text, head: 0, model: model).isFailure)
        let explorer = try Explorer(model: model, text: text)
        let effect = try #require(NextTokenEffect.compute(for: explorer, position: nil, top: 3))
        let first = effect.before[0].token
        #expect(try outcome("top1(before) == '\(first)'", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("top3(before) contains '\(effect.before[2].token)'", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("top1(before) == 'no such token'", text: text, head: 0, model: model).isFailure)
        #expect(try outcome("top3(before) excludes 'no such token'", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("top3(before) excludes '\(effect.before[1].token)'", text: text, head: 0, model: model).isFailure)
        // Masking the first key changes the distribution at the last token.
        #expect(try outcome("kl > 0", text: text, mask: "0=0", head: 0, model: model) == .holds)
        #expect(try outcome("kl == 0", text: text, mask: "0=0", head: 0, model: model).isFailure)
    }
}

extension ClaimEvaluatorTests {
    static let tinyBert = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tiny-bert").path

    @Test("kl and topN on a masked LM read its [MASK] prediction; another position is unusable")
    func maskedLM() throws {
        let model = try ModelLoader.load(try ModelLocator().locate(Self.tinyBert))
        let text = "the quick brown [MASK] jumps over the lazy dog ."
        #expect(try outcome("kl(q='[MASK]') == 0", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("top1(after, q=4) == top1(before, q=4)", text: text, head: 0, model: model) == .holds)
        #expect(try outcome("kl(q=4) > 0", text: text, mask: "7..8=0", head: 0, model: model) == .holds)
        #expect(try outcome("kl(q=4) == 0", text: text, mask: "7..8=0", head: 0, model: model).isFailure)
        #expect(try outcome("top1(after, q=2) == 'x'", text: text, head: 0, model: model)
                == .unusable("tiny-bert predicts only at [MASK] tokens; position 2 is 'quick'"))
    }
}

extension ClaimOutcome {
    var isFailure: Bool {
        if case .fails = self { return true }
        return false
    }
}
