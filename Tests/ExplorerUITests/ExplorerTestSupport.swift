import AttentionCore
@testable import ExplorerUI

let seedSentence = "The quick brown fox jumps over the lazy dog."

/// A settled state (its first recompute done) for `text` on the built-in model.
func makeState(_ text: String = seedSentence, width: Int = 80, height: Int = 24,
               colors: ColorCapability = .none, semantics: MaskSemantics = .hf) throws -> AppState {
    let explorer = try Explorer(model: BuiltinModel.make(), text: text, semantics: semantics)
    var state = AppState(explorer: explorer, colors: colors, width: width, height: height)
    state.keepSelectionInView()
    return ExplorerLoop.settle(state, state.initialEffects)
}

/// Reduces each event in turn and runs the recomputes it asks for, as the app loop would.
func press(_ state: AppState, _ events: InputEvent...) -> AppState {
    events.reduce(state) { state, event in
        let (next, effects) = reduce(state, .input(event))
        return ExplorerLoop.settle(next, effects)
    }
}

func type(_ text: String) -> [InputEvent] { text.map { .character($0) } }

func press(_ state: AppState, _ events: [InputEvent]) -> AppState {
    events.reduce(state) { state, event in
        let (next, effects) = reduce(state, .input(event))
        return ExplorerLoop.settle(next, effects)
    }
}
