import AttentionCore

/// Lesson keys, checked before the main view's: they exist only while a lesson plays. PgDn and
/// PgUp step too, since that is what a presentation clicker sends; while a lesson plays the
/// query rows still scroll with the arrows and the mouse wheel.
enum LessonKeys {
    static let nextStep = InputEvent.character("n")
    static let previousStep = InputEvent.character("N")
    static let toggleCaption = InputEvent.character("C")
    /// How the caption box writes them.
    static let hint = "n/PgDn next · N/PgUp back · C hide"
}

extension AppState {
    /// The explorer playing `player`'s lesson from its first step.
    public init(lesson player: LessonPlayer, themes: [Theme] = ThemeCatalog.all, themeIndex: Int = 0,
                colors: ColorCapability = .truecolor, width: Int = 80, height: Int = 24, message: Message? = nil) {
        let first = player.state(forStep: 0)
        self.init(explorer: first.explorer, themes: themes, themeIndex: themeIndex, colors: colors, width: width, height: height,
                  layer: first.layer, head: first.head, message: message)
        meanOfHeads = first.meanOfHeads
        view = first.view
        lesson = player
    }

    /// The state of the step on screen as the user has it now, edits included.
    var currentLessonStepState: LessonStepState {
        LessonStepState(explorer: explorer, layer: layer, head: head, meanOfHeads: meanOfHeads, view: view)
    }

    /// Handles `n`, `N` and `C` while a lesson plays; nil lets the key go to the main view.
    mutating func handleLessonKey(_ input: InputEvent) -> [Effect]? {
        guard var player = lesson else { return nil }
        switch input {
        case LessonKeys.nextStep, .pageDown:
            guard player.stepIndex + 1 < player.stepCount else {
                message = .info("this is the last step (\(player.stepCount) of \(player.stepCount)); N goes back, q quits")
                return []
            }
            return showLessonStep(player.stepIndex + 1)
        case LessonKeys.previousStep, .pageUp:
            guard player.stepIndex > 0 else {
                message = .info("this is the first step; n goes on")
                return []
            }
            return showLessonStep(player.stepIndex - 1)
        case LessonKeys.toggleCaption:
            player.captionVisible.toggle()
            lesson = player
            message = player.captionVisible ? nil : .info("caption hidden; C shows it again")
            return []
        default:
            return nil
        }
    }

    /// Leaves the current step (remembering its state) and shows step `index` as it was left,
    /// or as written when it is visited for the first time.
    mutating func showLessonStep(_ index: Int) -> [Effect] {
        guard var player = lesson, player.writtenStates.indices.contains(index) else { return [] }
        player.editedStates[player.stepIndex] = currentLessonStepState
        player.stepIndex = index
        let shown = player.state(forStep: index)
        lesson = player

        let tokensChanged = shown.explorer.tokens != explorer.tokens
        explorer = shown.explorer
        layer = shown.layer
        head = shown.head
        meanOfHeads = shown.meanOfHeads
        view = shown.view
        undoStack.removeAll()
        redoStack.removeAll()
        spanAnchor = nil
        if tokensChanged {
            // The map on screen belongs to other tokens; nothing is drawn until the recompute.
            result = nil
            selectedKey = min(1, tokenCount - 1)
            selectedQuery = min(1, tokenCount - 1)
            rowOffset = 0
            columnOffset = 0
        }
        keepSelectionInView()
        generation += 1
        return [.recompute(explorer, generation: generation)] + comparisonEffects
    }
}
