@testable import AttentionCore
import Foundation
import Testing
@testable import ExplorerUI

/// A decoder's effect view predicts after the selected query position (the last token until a
/// query row is chosen); moving the query asks for the LM head at the new position as a
/// background effect, never computing it in reduce or render. On the tiny random Llama.
@Suite("Decoder effect view")
struct DecoderEffectViewTests {
    static func tinyLlamaState() throws -> AppState {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama/tiny-llama")
        let model = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: "tiny-llama", reason: "test"))
        let explorer = try Explorer(model: model, text: "The quick brown fox jumps over the lazy dog.", semantics: .hf)
        var state = AppState(explorer: explorer, colors: .none, width: 100, height: 30)
        state.keepSelectionInView()
        state = ExplorerLoop.settle(state, state.initialEffects)
        return press(state, .character("E"))
    }

    @Test func predictsAfterTheLastTokenUntilAQueryIsChosen() throws {
        let state = try Self.tinyLlamaState()
        let last = state.tokenCount - 1
        #expect(state.view == .effect && state.effectQuery == last)
        #expect(state.comparison?.nextToken?.position == last)
        #expect(render(state).textLines.contains { $0.contains("Next token after position \(last)") })
    }

    @Test func movingTheQueryRunsTheLMHeadInTheBackgroundAtThatPosition() throws {
        let state = try Self.tinyLlamaState()
        let comparison = try #require(state.comparison)
        // ↓ from the initial selection (row 1) picks row 2: the reducer only asks.
        let (moved, effects) = reduce(state, .input(.down))
        #expect(moved.selectedQuery == 2 && moved.effectQuery == 2)
        guard case let .predictNextToken(_, position, generation)? = effects.first, effects.count == 1 else {
            Issue.record("no next-token effect requested: \(effects)"); return
        }
        #expect(position == 2 && generation == moved.generation)
        #expect(moved.comparison?.nextToken?.position == state.tokenCount - 1, "reduce computed nothing itself")
        #expect(render(moved).textLines.contains { $0.contains("computing the next-token predictions after position 2") })

        let settled = ExplorerLoop.settle(moved, effects)
        let shown = try #require(settled.comparison?.nextToken)
        let expected = try #require(comparison.nextToken(at: 2, head: state.explorer.model.causalLMHead))
        #expect(shown.position == 2 && shown.before == expected.before && shown.after == expected.after)
        #expect(render(settled).textLines.contains { $0.contains("Next token after position 2") })
        // The same prediction as the headless command's (`NextTokenEffect.compute`, position 2).
        let headless = try #require(NextTokenEffect.compute(for: state.explorer, position: 2))
        #expect(headless.before.map(\.id) == shown.before.map(\.id) && abs(headless.klDivergence - shown.klDivergence) < 1e-9)
    }

    @Test func aStaleNextTokenResultIsDropped() throws {
        let state = try Self.tinyLlamaState()
        let comparison = try #require(state.comparison)
        let stale = try #require(comparison.nextToken(at: 0, head: state.explorer.model.causalLMHead))
        let edited = press(state, .character("0"))
        let (after, _) = reduce(edited, .predictedNextToken(generation: state.generation, effect: stale))
        #expect(after.comparison?.nextToken?.position == edited.tokenCount - 1)
    }

    @Test func aNewTextPredictsAfterItsLastTokenAgain() throws {
        var state = press(try Self.tinyLlamaState(), .up)
        #expect(state.queryChosen && state.effectQuery == 0)
        state = press(state, [.character("e")] + Array(repeating: InputEvent.backspace, count: 60) + type("a b c") + [.enter])
        #expect(!state.queryChosen && state.effectQuery == state.tokenCount - 1)
        #expect(state.comparison?.nextToken?.position == state.tokenCount - 1)
    }
}
