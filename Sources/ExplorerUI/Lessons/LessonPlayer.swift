import AttentionCore

/// What one lesson step shows: the engine state (text, mask, semantics, pattern) and where the
/// explorer looks (layer, head, view).
public struct LessonStepState: Sendable {
    public var explorer: Explorer
    public var layer: Int
    public var head: Int
    public var meanOfHeads: Bool
    public var view: ExplorerView

    public init(explorer: Explorer, layer: Int = 0, head: Int = 0, meanOfHeads: Bool = false, view: ExplorerView = .heatmap) {
        self.explorer = explorer
        self.layer = layer
        self.head = head
        self.meanOfHeads = meanOfHeads
        self.view = view
    }
}

extension Lesson {
    /// Everything about the lesson that depends on the model: each step's text tokenizes,
    /// its mask SPEC names tokens that exist, its pattern fits, its values suit its semantics,
    /// its layer and head exist. Steps are played in order, each on top of the one before, so
    /// a mask names the tokens of the text the step actually shows. Empty when it plays.
    public func check(model: EncoderModel) -> [LessonProblem] {
        stepStates(model: model).problems
    }

    /// The state each step shows as written, each on top of the step before, and what went
    /// wrong; a step's broken key is left out (the step keeps the previous value). Empty
    /// `states` when the first step's text cannot be tokenized.
    public func stepStates(model: EncoderModel) -> (states: [LessonStepState], problems: [LessonProblem]) {
        var states: [LessonStepState] = []
        var problems: [LessonProblem] = []
        for (index, step) in steps.enumerated() {
            let number = index + 1
            let (state, found) = play(step, number: number, after: states.last, model: model)
            problems += found
            guard let state else { break }
            states.append(state)
        }
        return (states, problems)
    }

    /// One step's state: its keys applied to `previous` (nil for the first step).
    private func play(_ step: LessonStep, number: Int, after previous: LessonStepState?,
                      model: EncoderModel) -> (LessonStepState?, [LessonProblem]) {
        var problems: [LessonProblem] = []
        func problem(_ key: String?, _ message: String) {
            problems.append(LessonProblem(source: source, line: step.line(of: key), step: number, key: key, message: message))
        }
        var state: LessonStepState
        if let previous {
            state = previous
        } else {
            guard let text = step.text else { return (nil, []) }  // `parse` reports the missing text
            do {
                state = LessonStepState(explorer: try Explorer(model: model, text: text, pair: step.pair.flatMap { $0.isEmpty ? nil : $0 },
                                                               padTo: step.padTo.flatMap { $0 == 0 ? nil : $0 },
                                                               padSide: step.padSide ?? .right))
            } catch {
                problem(step.pair != nil && step.text == nil ? "pair" : "text", "\(error)")
                return (nil, problems)
            }
        }
        if previous != nil, step.changesInput {
            let old = state.explorer
            let inputKey = step.text != nil ? "text" : step.pair != nil ? "pair" : step.padTo != nil ? "pad_to" : "pad_side"
            do {
                var explorer = try Explorer(model: model, text: step.text ?? old.text,
                                            pair: step.pair.map { $0.isEmpty ? nil : $0 } ?? old.pair,
                                            padTo: step.padTo.map { $0 == 0 ? nil : $0 } ?? old.padTo,
                                            padSide: step.padSide ?? old.padSide, semantics: old.semantics)
                if old.pattern != .none, step.pattern == nil {
                    do {
                        try explorer.setPattern(old.pattern)
                    } catch {
                        problem(inputKey, "the pattern '\(old.pattern)' from an earlier step does not fit this step's tokens: \(error); set 'pattern' in this step (\"none\" removes it)")
                    }
                }
                state.explorer = explorer
            } catch {
                problem(inputKey, "\(error)")
            }
        }
        if let pattern = step.pattern {
            do {
                try state.explorer.setPattern(pattern)
            } catch {
                problem("pattern", "\(error)")
            }
        }
        if step.mask != nil || step.semantics != nil {
            var engine = state.explorer
            var mask = engine.mask
            var masked = true
            if let spec = step.mask {
                do {
                    mask = try spec.apply(to: mask, tokens: engine.tokens, texts: engine.tokenTexts)
                } catch {
                    problem("mask", "\(error)")
                    masked = false
                }
            }
            if masked {
                if let semantics = step.semantics { engine.semantics = semantics }
                do {
                    try engine.setMask(mask)
                    state.explorer = engine
                } catch {
                    let key = step.mask != nil ? "mask" : "semantics"
                    let carried = step.mask == nil ? " (the mask carried over from the step before; reset it in this step, e.g. mask = \"..=1\")" : ""
                    problem(key, "under \(engine.semantics.rawValue): \(error)\(carried)")
                }
            }
        }
        let info = model.info
        if let layer = step.layer {
            if layer < info.layerCount { state.layer = layer } else {
                problem("layer", "layer \(layer) does not exist: \(info.name) has layers 0…\(info.layerCount - 1) (counted from 0)")
            }
        }
        if let head = step.head {
            if head < info.headCount {
                state.head = head
                state.meanOfHeads = false
            } else {
                problem("head", "head \(head) does not exist: \(info.name) has heads 0…\(info.headCount - 1) in each layer (counted from 0)")
            }
        }
        if let view = step.view { state.view = view }
        return (state, problems)
    }
}

/// A lesson being played in the explorer: which step is showing, whether its caption is, and
/// the state the user left each visited step in.
///
/// Stepping forward to a step for the first time shows it as the lesson writes it (its keys
/// on top of the previous step as written), so the caption always describes the screen; edits
/// made inside a step are kept for that step and come back when the user returns to it.
public struct LessonPlayer: Sendable {
    public let lesson: Lesson
    /// Each step as written, as `Lesson.stepStates` plays it.
    public let writtenStates: [LessonStepState]
    /// The step on screen, 0-based (the caption says `stepIndex + 1`).
    public internal(set) var stepIndex = 0
    public internal(set) var captionVisible = true
    /// The state each visited step was left in, by step index; saved when leaving the step.
    var editedStates: [Int: LessonStepState] = [:]

    /// Plays the lesson's steps on `model`.
    /// - Throws: `LessonError.invalid` with every problem when a step does not work on this model.
    public init(lesson: Lesson, model: EncoderModel) throws(LessonError) {
        let (states, problems) = lesson.stepStates(model: model)
        guard problems.isEmpty, !states.isEmpty, states.count == lesson.steps.count else {
            throw .invalid(problems.isEmpty
                ? [LessonProblem(source: lesson.source, line: nil, step: nil, key: nil, message: "the lesson has no playable steps")]
                : problems)
        }
        self.lesson = lesson
        writtenStates = states
    }

    public var step: LessonStep { lesson.steps[stepIndex] }
    public var stepCount: Int { lesson.steps.count }

    /// The state to show for step `index`: where the user left it, or as written.
    func state(forStep index: Int) -> LessonStepState {
        editedStates[index] ?? writtenStates[index]
    }
}
