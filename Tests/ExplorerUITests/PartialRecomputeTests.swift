import Testing
import AttentionCore
@testable import ExplorerUI

/// The explorer's early results: the background recompute publishes the attention up to the
/// shown layer before the rest, then the full result. The reducer shows the early one while
/// keeping the generation pending, drops stale ones, and the screen never shows a layer the
/// pass has not reached as if it were new. Nothing here is timed.
@Suite struct PartialRecomputeTests {
    /// A settled state with the key on "quick" just set to 0: its recompute (generation 1)
    /// not yet run; and that recompute's early result (layer 0 new) and full result.
    struct Pending {
        let before: AppState
        let pending: AppState
        let early: ForwardResult
        let full: ForwardResult
    }

    func pendingMaskChange() throws -> Pending {
        let before = try makeState()
        #expect(before.explorer.model.info.layerCount >= 2)
        let (pending, effects) = reduce(before, .input(.character("0")))
        guard case .recompute(let explorer, let generation)? = effects.first else {
            Issue.record("no recompute effect")
            throw PendingError.noRecompute
        }
        #expect(generation == 1 && pending.recomputePending)
        var published: [ForwardResult] = []
        let full = try #require(explorer.recompute(
            needs: .attention,
            earlyLayers: EarlyLayers(throughLayer: 0, previous: before.result) { published.append($0) }))
        let early = try #require(published.first)
        #expect(early.completedLayers == 1 && !early.isComplete && full.isComplete)
        return Pending(before: before, pending: pending, early: early, full: full)
    }

    enum PendingError: Error { case noRecompute }

    @Test func anEarlyResultIsShownButTheGenerationStaysPending() throws {
        let setup = try pendingMaskChange()
        let (shown, effects) = reduce(setup.pending, .recomputed(generation: 1, result: setup.early, milliseconds: 2))
        #expect(effects.isEmpty)
        #expect(shown.result?.attention == setup.early.attention)
        #expect(shown.recomputePending, "pending until the full result")
        #expect(shown.shownGeneration == setup.pending.shownGeneration)
        #expect(shown.lastRecomputeMilliseconds == setup.pending.lastRecomputeMilliseconds)

        let (done, _) = reduce(shown, .recomputed(generation: 1, result: setup.full, milliseconds: 9))
        #expect(!done.recomputePending)
        #expect(done.shownGeneration == 1)
        #expect(done.result?.isComplete == true)
        #expect(done.result?.attention == setup.full.attention)
        #expect(done.lastRecomputeMilliseconds == 9)
    }

    /// What `maskscope bench` stamps as "on screen": the shown layer's map is the latest
    /// edit's once the early result reaches that layer; deeper layers wait for the full one.
    @Test func theShownLayerIsCurrentOnceTheRecomputeReachesIt() throws {
        let setup = try pendingMaskChange()
        #expect(setup.before.shownLayerIsCurrent)
        #expect(!setup.pending.shownLayerIsCurrent, "the edit is not computed yet")
        let early = reduce(setup.pending, .recomputed(generation: 1, result: setup.early, milliseconds: 2)).0
        #expect(early.resultGeneration == 1)
        #expect(early.shownLayerIsCurrent, "layer 0 is in the early result")
        let deeper = press(early, .character("]"))
        #expect(deeper.layer == 1 && !deeper.shownLayerIsCurrent, "layer 1 is still the previous map")
        let full = reduce(deeper, .recomputed(generation: 1, result: setup.full, milliseconds: 9)).0
        #expect(full.shownLayerIsCurrent)
    }

    @Test func staleEarlyResultsAreDropped() throws {
        let setup = try pendingMaskChange()
        let done = reduce(setup.pending, .recomputed(generation: 1, result: setup.full, milliseconds: 9)).0
        // The same generation's early result arriving after its full one.
        let late = reduce(done, .recomputed(generation: 1, result: setup.early, milliseconds: 2)).0
        #expect(late.result?.isComplete == true)
        #expect(late.result?.attention == setup.full.attention)
        // An older generation's, and one for a generation never asked for.
        #expect(reduce(done, .recomputed(generation: 0, result: setup.early, milliseconds: 2)).0.result?.isComplete == true)
        #expect(reduce(setup.pending, .recomputed(generation: 2, result: setup.early, milliseconds: 2)).0.result?.attention
                == setup.before.result?.attention)
    }

    @Test func anEarlyResultOfASupersededGenerationStillShowsAndTheLatestCompletes() throws {
        let setup = try pendingMaskChange()
        let (newer, effects) = reduce(setup.pending, .input(.character("5")))
        #expect(newer.generation == 2)
        let shown = reduce(newer, .recomputed(generation: 1, result: setup.early, milliseconds: 2)).0
        #expect(shown.result?.attention == setup.early.attention)
        #expect(shown.recomputePending)
        let settled = ExplorerLoop.settle(shown, effects)
        #expect(!settled.recomputePending)
        #expect(settled.shownGeneration == 2 && settled.result?.isComplete == true)
    }

    /// Layer 0 (complete) draws the new map, exactly as the full result draws it; layer 1
    /// (not reached yet) draws the previous result's map, exactly as before the early result.
    @Test func incompleteLayersShowThePreviousMap() throws {
        let setup = try pendingMaskChange()
        let early = reduce(setup.pending, .recomputed(generation: 1, result: setup.early, milliseconds: 2)).0
        let full = reduce(setup.pending, .recomputed(generation: 1, result: setup.full, milliseconds: 2)).0
        let statusRow = Layout(state: early).statusRow
        func body(_ state: AppState) -> [String] {
            var lines = render(state).textLines
            lines.remove(at: statusRow)
            return lines
        }
        #expect(body(early) == body(full), "layer 0 is complete: the new map")
        #expect(body(early) != body(setup.pending), "the mask change moved layer 0's weights")

        let earlyDeeper = press(early, .character("]"))
        let pendingDeeper = press(setup.pending, .character("]"))
        #expect(earlyDeeper.layer == 1)
        // The map rows; the cell panel below reads the result's bias, which is the new one.
        let layout = Layout(state: earlyDeeper)
        func map(_ state: AppState) -> [String] {
            Array(render(state).textLines[layout.gridTop..<(layout.gridTop + layout.gridLines)])
        }
        #expect(map(earlyDeeper) == map(pendingDeeper), "layer 1: the previous map")
        #expect(map(earlyDeeper) != map(press(full, .character("]"))), "the mask change moved layer 1's weights too")
        #expect(render(earlyDeeper).textLines[layout.statusRow].contains("recomputing…"))
    }

    /// The output-effect view reads the hidden state, which the explorer's attention-only
    /// recompute leaves out: opening it asks for a recompute that keeps it.
    @Test func theEffectViewRecomputesWithTheHiddenState() throws {
        let state = try makeState()
        #expect(state.result?.hidden == nil, "the explorer's recompute is attention-only")
        let (next, effects) = reduce(state, .input(.character("E")))
        #expect(next.view == .effect)
        #expect(effects.contains { if case .recompute = $0 { true } else { false } })
        let settled = ExplorerLoop.settle(next, effects)
        #expect(settled.result?.hidden != nil)
        #expect(settled.result?.attention == state.result?.attention)
        #expect(ExplorerLoop.needs(settled) == .attentionAndHidden && ExplorerLoop.needs(state) == .attention)
    }
}
