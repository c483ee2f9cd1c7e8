import AttentionCore

/// Lesson keys, checked before the main view's: they exist only while a lesson plays. A
/// presentation clicker sends PgDn/PgUp (some send Space/Backspace), so those step too; while a
/// lesson plays the query rows scroll with the arrows and the mouse wheel instead.
enum LessonKeys {
    static let next: Set<InputEvent> = [.character("n"), .pageDown, .character(" ")]
    static let previous: Set<InputEvent> = [.character("N"), .pageUp, .backspace]
    static let toggleCaption = InputEvent.character("C")
    static let quit = InputEvent.character("q")
    /// How the caption box writes them.
    static let hint = "n/PgDn/Space next · N/PgUp back · C hide · q q quit"
    /// The status line while the first `q` waits for its second.
    static let quitQuestion = "quit the lesson? press q again to quit, any other key to stay"
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

    /// In front of a class one stray `q` must not end the lesson: the first asks (on the status
    /// line), a second quits, any other key takes the question back and then does what it does.
    /// Nil lets the key go on.
    mutating func handleLessonQuit(_ input: InputEvent) -> [Effect]? {
        guard lesson != nil else { return nil }
        if quitAsked {
            quitAsked = false
            if input == LessonKeys.quit {
                wantsToQuit = true
                return [.quit]
            }
            if case .mouse(let mouse) = input, mouse.kind == .release { quitAsked = true }
            return nil
        }
        guard input == LessonKeys.quit else { return nil }
        quitAsked = true
        message = .warning(LessonKeys.quitQuestion)
        return []
    }

    /// Handles the step keys and `C` while a lesson plays; nil lets the key go to the main view.
    mutating func handleLessonKey(_ input: InputEvent) -> [Effect]? {
        guard var player = lesson else { return nil }
        switch input {
        case _ where LessonKeys.next.contains(input):
            guard player.stepIndex + 1 < player.stepCount else {
                message = .info("this is the last step (\(player.stepCount) of \(player.stepCount)); N goes back, q q quits")
                return []
            }
            return showLessonStep(player.stepIndex + 1)
        case _ where LessonKeys.previous.contains(input):
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
            + [.lessonStepShown(index: index, count: player.stepCount)]
    }
}
