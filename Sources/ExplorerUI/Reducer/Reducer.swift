import AttentionCore

/// Something that happened: a key, a mouse action, a resize, or a recompute finishing.
public enum AppEvent: Sendable {
    case input(InputEvent)
    /// A background recompute of engine generation `generation` finished, or (when
    /// `result.isComplete` is false) computed the layers up to the one shown and goes on.
    case recomputed(generation: Int, result: ForwardResult, milliseconds: Double)
    /// The comparison passes for engine generation `generation` finished.
    case compared(generation: Int, comparison: Comparison)
    /// The next-token effect at another query position, from generation `generation`'s
    /// comparison, finished.
    case predictedNextToken(generation: Int, effect: NextTokenEffect)
    /// The text asked for by an Enter in the editor is prepared (or refused).
    case textPrepared(TextPreparation)
    /// Something the app loop did that the user should hear about (where a file was written).
    case notice(Message)
}

/// Work the reducer asks the app loop to do; the reducer itself never performs it.
public enum Effect: Sendable {
    /// Run the engine on this state off the UI thread; a newer request supersedes it.
    case recompute(Explorer, generation: Int)
    /// Run the comparison passes (unmasked, hf, hf4, soft) for this state, after the recompute.
    case compare(Explorer, generation: Int, unmasked: ForwardResult?)
    /// Run the LM head at `position` on this comparison's hidden states (a decoder's effect
    /// view after the selected query moved): no new forward pass.
    case predictNextToken(Comparison, position: Int, generation: Int)
    /// Tokenize, embed and project `text` for this engine off the UI thread
    /// (`TextPreparation`); a newer request supersedes it.
    case prepareText(Explorer, text: String, request: Int)
    /// Write these files into the working folder, atomically, under unused names.
    case export([ExportFile])
    /// The lesson now shows step `index` (0-based) of `count`: the presenter's notes window
    /// (`maskscope lesson --notes`) follows it.
    case lessonStepShown(index: Int, count: Int)
    case quit
}

/// The explorer's update function: the new state for an event, plus the effects to run.
/// Pure: same state and event, same result.
public func reduce(_ state: AppState, _ event: AppEvent) -> (AppState, [Effect]) {
    var next = state
    let effects = next.apply(event)
    return (next, effects)
}

extension AppState {
    /// The effect that computes the current engine state; the app loop sends it at start.
    public var initialEffects: [Effect] {
        [.recompute(explorer, generation: generation)] + comparisonEffects
            + (lesson.map { [.lessonStepShown(index: $0.stepIndex, count: $0.stepCount)] } ?? [])
    }

    mutating func apply(_ event: AppEvent) -> [Effect] {
        switch event {
        case let .recomputed(generation, result, milliseconds):
            // A result for an older state than one already shown is dropped.
            guard generation > shownGeneration, generation <= self.generation else { return [] }
            self.result = result
            resultGeneration = generation
            // An early result (layers up to the shown one are new, deeper ones the previous
            // result's) is shown, but the generation stays pending until the full one arrives.
            guard result.isComplete else { return [] }
            shownGeneration = generation
            lastRecomputeMilliseconds = milliseconds
            return []
        case .input(let input):
            return handle(input) + nextTokenEffects
        case let .compared(generation, comparison):
            guard generation > comparisonGeneration, generation <= self.generation else { return [] }
            self.comparison = comparison
            comparisonGeneration = generation
            return nextTokenEffects
        case let .predictedNextToken(generation, effect):
            guard generation == comparisonGeneration, comparison != nil else { return [] }
            comparison?.nextToken = effect
            return []
        case .textPrepared(let prepared):
            return apply(prepared)
        case .notice(let notice):
            message = notice
            return []
        }
    }

    /// Takes the prepared text when it is the one still awaited: the engine moves to it, the
    /// editor closes and a recompute starts; a refusal goes under the editor's line. A stale
    /// outcome (a newer Enter, an edit of the line, Esc) is dropped.
    private mutating func apply(_ prepared: TextPreparation) -> [Effect] {
        guard prepared.request == textRequest, preparingText == prepared.text else { return [] }
        preparingText = nil
        switch prepared.outcome {
        case .refused(let why):
            if case .editing(var editor) = overlay {
                editor.error = why
                overlay = .editing(editor)
            } else {
                message = .warning(why)
            }
            return []
        case let .ready(engine, droppedPattern):
            explorer = engine
            overlay = .none
            undoStack.removeAll()
            redoStack.removeAll()
            spanAnchor = nil
            result = nil
            selectedKey = min(1, tokenCount - 1)
            selectedQuery = min(1, tokenCount - 1)
            queryChosen = false
            rowOffset = 0
            columnOffset = 0
            let reset = "\(tokenCount) tokens; every mask value reset to 1"
            message = droppedPattern.map { .warning("\(reset); the pattern no longer fits and is off: \($0)") } ?? .info(reset)
            keepSelectionInView()
            return newGeneration()
        }
    }

    private mutating func handle(_ input: InputEvent) -> [Effect] {
        if case let .resize(newWidth, newHeight) = input {
            width = max(0, newWidth)
            height = max(0, newHeight)
            keepSelectionInView()
            return []
        }
        if input == .hangup {
            wantsToQuit = true
            return [.quit]
        }
        if case .control("c") = input {
            wantsToQuit = true
            return [.quit]
        }
        switch overlay {
        case .editing(var editor):
            return handleEditing(input, editor: &editor)
        case .patternPicker(var picker):
            return handlePicker(input, picker: &picker)
        case .help:
            if input == .escape || input == .character("?") || input == .character("q") || input == .function(1) {
                overlay = .none
                return []
            }
            // A view's key picks that view straight from the help overlay.
            if case .showView? = KeyBindings.action(for: input) {
                overlay = .none
                break
            }
            return []
        case .none:
            break
        }
        message = nil
        semanticsChange = nil
        if let effects = handleLessonQuit(input) { return effects }
        if let effects = handleLessonKey(input) { return effects }
        if case .mouse(let mouse) = input { return handle(mouse) }
        guard let action = KeyBindings.action(for: input) else {
            if case .character(let c) = input, !c.isWhitespace {
                message = .info("'\(c)' does nothing here; press ? for every key")
            }
            return []
        }
        return perform(action)
    }

    mutating func perform(_ action: Action) -> [Effect] {
        let count = tokenCount
        if view == .overview, let moved = overviewMove(action) { return moved }
        switch action {
        case .previousToken: selectedKey = max(0, selectedKey - 1)
        case .nextToken: selectedKey = min(count - 1, selectedKey + 1)
        case .firstToken: selectedKey = 0
        case .lastToken: selectedKey = count - 1
        case .previousQuery:
            selectedQuery = max(0, selectedQuery - 1)
            queryChosen = true
        case .nextQuery:
            selectedQuery = min(count - 1, selectedQuery + 1)
            queryChosen = true
        case .scrollUp, .scrollDown:
            let page = max(1, Layout(state: self).visibleRows - 1)
            selectedQuery = action == .scrollUp ? max(0, selectedQuery - page) : min(count - 1, selectedQuery + page)
            queryChosen = true
        case .setMask(let value):
            return changeMask { _ in value }
        case .increaseMask:
            return changeMask { semantics, old in Self.stepped(old, by: 0.1, semantics: semantics) }
        case .decreaseMask:
            return changeMask { semantics, old in Self.stepped(old, by: -0.1, semantics: semantics) }
        case .toggleMask:
            return changeMask { _, old in old == 0 ? 1 : 0 }
        case .startSpan:
            spanAnchor = spanAnchor == nil ? selectedKey : nil
            if spanAnchor != nil { message = .info("span: move with ←/→, then 0/5/1/x/+/- set every token in it; Esc cancels") }
        case .resetMasks:
            spanAnchor = nil
            if cellMode { return edit { $0.clearCells() } }
            return edit { try $0.setMask(Array(repeating: 1, count: count)) }
        case .undo:
            guard let snapshot = undoStack.popLast() else { message = .info("nothing to undo"); break }
            redoStack.append(MaskSnapshot(explorer))
            return edit(record: false) { try snapshot.restore(into: &$0) }
        case .redo:
            guard let snapshot = redoStack.popLast() else { message = .info("nothing to redo"); break }
            undoStack.append(MaskSnapshot(explorer))
            return edit(record: false) { try snapshot.restore(into: &$0) }
        case .cycleSemantics:
            let all = MaskSemantics.allCases
            let next = all[((all.firstIndex(of: explorer.semantics) ?? 0) + 1) % all.count]
            var mask = explorer.mask
            var clamped = false
            for i in mask.indices where next.validate(mask[i]) != nil { mask[i] = next.nearestValid(mask[i]); clamped = true }
            let length = explorer.tokens.count
            if explorer.cellOverrides.values.contains(where: { next.validate($0) != nil }) { clamped = true }
            let previous = explorer.semantics
            let before = result
            let effects = edit { engine in
                engine.semantics = next
                try engine.setMask(mask)
                for (cell, value) in engine.cellOverrides where next.validate(value) != nil {
                    try engine.setCell(query: cell / length, key: cell % length, value: next.nearestValid(value))
                }
            }
            if let before, explorer.semantics == next { semanticsChange = SemanticsChange(from: previous, to: next, before: before) }
            message = clamped ? .warning(next == .hf4 ? "hf4 takes values from 0 to 2 only: the others became 0 or 2" : "\(next.rawValue) takes no negative values: they became 0") : nil
            return effects
        case .previousLayer: layer = max(0, layer - 1)
        case .nextLayer: layer = min(explorer.model.info.layerCount - 1, layer + 1)
        case .previousHead:
            meanOfHeads = false
            head = max(0, head - 1)
        case .nextHead:
            meanOfHeads = false
            head = min(explorer.model.info.headCount - 1, head + 1)
        case .toggleMeanOfHeads: meanOfHeads.toggle()
        case .cycleScale:
            scale = scale.next
            message = .info("color scale: " + (scale == .perHead ? "0…the largest weight of this map" : scale == .absolute ? "0…1, comparable across heads" : "0…each row's largest weight"))
        case .toggleZoom:
            zoom.toggle()
            if view == .heatmap || view == .diff {
                message = .info(zoom ? "zoom: big cells for a projector; arrows scroll; Z goes back" : "zoom off")
            } else {
                // Compare, math, overview and effect keep their own sizes: say so rather than
                // seem to ignore the key.
                message = .info(zoom ? "zoom on: it enlarges the heatmap and diff (Esc); this view keeps its size" : "zoom off")
            }
        case .toggleDense:
            dense.toggle()
            if dense, !colors.hasSmoothColors || theme.isMonochrome {
                message = .info("dense mode needs a color terminal; this one shows shades, one row per line")
            }
        case .cycleTheme:
            themeIndex = (themeIndex + 1) % themes.count
            unavailableSessionTheme = nil
            message = .info("theme \(theme.name): \(theme.description)")
        case .editText:
            overlay = .editing(LineEditor(text: explorer.text))
        case .showView(let newView):
            return toggle(newView)
        case .lessonKey:
            message = .info("n, N and C step through a lesson: maskscope lesson lessons/what-does-half-mean.toml")
        case .toggleCellMode:
            cellMode.toggle()
            spanAnchor = nil
            message = .info(cellMode
                ? "cell mode: 0/5/1/x/± set the selected query × key cell; r clears every cell edit; c leaves"
                : "token mode: the mask keys set the selected token's value")
        case .pickPattern:
            overlay = .patternPicker(PatternPicker(current: explorer.pattern))
        case .open:
            if view == .overview { view = .heatmap }
        case .export:
            guard result != nil, !recomputePending else {
                message = .info("the attention is still being computed; press w again in a moment")
                break
            }
            return [.export(exportFiles)]
        case .toggleHelp:
            overlay = .help
        case .back:
            if spanAnchor != nil {
                spanAnchor = nil
            } else if view != .heatmap {
                view = .heatmap
            } else {
                // Esc never quits: a stray Esc in front of a class must not end the session.
                message = .info(lesson == nil ? "Esc closes overlays and views; q quits" : "Esc never quits a lesson; q twice quits")
            }
        case .quit:
            wantsToQuit = true
            return [.quit]
        }
        keepSelectionInView()
        return []
    }

    private mutating func handle(_ mouse: MouseEvent) -> [Effect] {
        let layout = Layout(state: self)
        switch mouse.kind {
        case .wheelUp:
            rowOffset = max(0, rowOffset - 3)
            return []
        case .wheelDown:
            rowOffset = max(0, min(rowOffset + 3, tokenCount - layout.visibleRows))
            return []
        case .click:
            if mouse.y == layout.tokenRow || mouse.y == layout.tokenMaskRow {
                if let position = tokenStrip.position(atX: mouse.x) { selectedKey = position }
            } else {
                let hit = layout.cell(atX: mouse.x, y: mouse.y, rowOffset: rowOffset, columnOffset: columnOffset, count: tokenCount)
                if let key = hit.key, mouse.y >= layout.columnLabelTop, mouse.y < layout.gridTop + layout.gridLines { selectedKey = key }
                if let query = hit.query {
                    selectedQuery = query
                    queryChosen = true
                }
            }
            keepSelectionInView()
            return []
        case .release:
            return []
        }
    }

    private mutating func handleEditing(_ input: InputEvent, editor: inout LineEditor) -> [Effect] {
        switch input {
        case .escape:
            overlay = .none
            preparingText = nil
            return []
        case .enter:
            // The engine work runs in the background; the editor stays open, saying so, until
            // the text is ready (or refused), and stays editable meanwhile.
            textRequest += 1
            preparingText = editor.text
            editor.error = nil
            overlay = .editing(editor)
            return [.prepareText(explorer, text: editor.text, request: textRequest)]
        case .left: editor.moveLeft()
        case .right: editor.moveRight()
        case .home, .control("a"): editor.moveHome()
        case .end, .control("e"): editor.moveEnd()
        case .backspace: editor.deleteBackward()
        case .delete, .control("d"): editor.deleteForward()
        case .control("u"): editor.deleteToStart()
        case .character(let c): editor.insert(c)
        default: break
        }
        // Changing the line abandons the text being prepared: it is no longer what Enter applies.
        if let pending = preparingText, pending != editor.text { preparingText = nil }
        overlay = .editing(editor)
        return []
    }

    private mutating func handlePicker(_ input: InputEvent, picker: inout PatternPicker) -> [Effect] {
        let catalog = MaskPattern.catalog(documentSeparator: explorer.documentSeparatorName)
        switch input {
        case .escape:
            overlay = .none
            return []
        case .up, .down:
            picker.selection = (picker.selection + (input == .up ? catalog.count - 1 : 1)) % catalog.count
            picker.editor = LineEditor(text: catalog[picker.selection].example)
        case .enter:
            do {
                let pattern = try MaskPattern(parsing: picker.editor.text)
                // Computed once, on a copy: an error keeps the picker open with it.
                var engine = explorer
                try engine.setPattern(pattern)
                overlay = .none
                let effects = edit { $0 = engine }
                message = .info("pattern \(pattern.description): \(pattern.summary(documentSeparator: explorer.documentSeparatorName))")
                return effects
            } catch {
                picker.editor.error = "\(error)"
            }
        case .left: picker.editor.moveLeft()
        case .right: picker.editor.moveRight()
        case .home: picker.editor.moveHome()
        case .end: picker.editor.moveEnd()
        case .backspace: picker.editor.deleteBackward()
        case .delete: picker.editor.deleteForward()
        case .control("u"): picker.editor.deleteToStart()
        case .character(let c): picker.editor.insert(c)
        default: break
        }
        overlay = .patternPicker(picker)
        return []
    }

    /// Applies `value(semantics, old)` to every mask target — the selected cell in cell mode,
    /// else the selected token or span — recording undo.
    private mutating func changeMask(_ value: @escaping (MaskSemantics, Float) -> Float) -> [Effect] {
        let (query, key, targets) = (selectedQuery, selectedKey, maskTargets)
        let cells = cellMode
        spanAnchor = nil
        keepSelectionInView()
        return edit { engine in
            if cells {
                let old = engine.cellMaskValue(query: query, key: key)
                try engine.setCell(query: query, key: key, value: value(engine.semantics, old))
            } else {
                var mask = engine.mask
                for position in targets { mask[position] = value(engine.semantics, mask[position]) }
                try engine.setMask(mask)
            }
        }
    }

    private mutating func changeMask(_ value: @escaping (Float) -> Float) -> [Effect] {
        changeMask { _, old in value(old) }
    }

    /// Applies `change` to a copy of the engine; when it succeeds and changes the mask field,
    /// records undo (unless `record` is false) and asks for a recompute. A refused change
    /// leaves everything as it was and says why.
    private mutating func edit(record: Bool = true, _ change: (inout Explorer) throws -> Void) -> [Effect] {
        var engine = explorer
        do {
            try change(&engine)
        } catch {
            message = .warning("\(error)")
            return []
        }
        let before = MaskSnapshot(explorer)
        guard MaskSnapshot(engine) != before else { return [] }
        if record {
            undoStack.append(before)
            redoStack.removeAll()
        }
        explorer = engine
        return newGeneration()
    }

    private mutating func newGeneration() -> [Effect] {
        generation += 1
        return [.recompute(explorer, generation: generation)] + comparisonEffects
    }

    /// The comparison passes, when the view needs them and they are not current.
    var comparisonEffects: [Effect] {
        guard view.needsComparison, comparisonGeneration != generation else { return [] }
        return [.compare(explorer, generation: generation, unmasked: Comparison.reusableUnmasked(comparison, for: explorer))]
    }

    /// The LM head at `effectQuery`, when a decoder's effect view shows a current comparison
    /// whose next-token effect is for another position (the selected query moved).
    var nextTokenEffects: [Effect] {
        guard view == .effect, explorer.model.causalLMHead != nil, comparisonGeneration == generation,
              let comparison, comparison.nextToken?.position != effectQuery else { return [] }
        return [.predictNextToken(comparison, position: effectQuery, generation: generation)]
    }

    /// In the overview the arrows pick a head (←→) and a layer (↑↓) instead of tokens.
    private mutating func overviewMove(_ action: Action) -> [Effect]? {
        let info = explorer.model.info
        switch action {
        case .previousToken: head = max(0, head - 1)
        case .nextToken: head = min(info.headCount - 1, head + 1)
        case .previousQuery: layer = max(0, layer - 1)
        case .nextQuery: layer = min(info.layerCount - 1, layer + 1)
        default: return nil
        }
        meanOfHeads = false
        return []
    }

    /// Shows `newView`, or the heatmap when it is already showing.
    mutating func toggle(_ newView: ExplorerView) -> [Effect] {
        view = view == newView ? .heatmap : newView
        // The output effect reads the masked run's hidden state, which the usual
        // attention-only recompute leaves out.
        if view == .effect, result?.hidden == nil { return newGeneration() }
        return comparisonEffects
    }

    /// ±0.1 steps, kept in 0…1 where the semantics reads values as a mask, free under `bias`;
    /// rounded to tenths so repeated steps land on 0.5 exactly.
    static func stepped(_ value: Float, by step: Float, semantics: MaskSemantics) -> Float {
        let raw = ((value + step) * 10).rounded() / 10
        return semantics == .bias ? raw : min(1, max(0, raw))
    }

    mutating func keepSelectionInView() {
        let count = tokenCount
        selectedKey = min(max(0, selectedKey), count - 1)
        selectedQuery = min(max(0, selectedQuery), count - 1)
        let layout = Layout(state: self)
        columnOffset = Layout.scrolled(offset: columnOffset, toShow: selectedKey, visible: layout.visibleColumns, count: count)
        rowOffset = Layout.scrolled(offset: rowOffset, toShow: selectedQuery, visible: layout.visibleRows, count: count)
    }

    /// The token strip as it is drawn, for hit-testing and rendering alike.
    var tokenStrip: TokenStrip {
        TokenStrip(labels: tokens, values: stripMarkers, selected: selectedKey, width: width)
    }
}
