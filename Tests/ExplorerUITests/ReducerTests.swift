import Testing
import AttentionCore
@testable import ExplorerUI

@Suite struct ReducerTests {
    @Test func arrowsAndVimKeysMoveTheSelectionWithinBounds() throws {
        var state = try makeState()
        #expect(state.selectedKey == 1 && state.selectedQuery == 1)
        state = press(state, .right, .character("l"))
        #expect(state.selectedKey == 3)
        state = press(state, .left, .character("h"), .left, .left, .left)
        #expect(state.selectedKey == 0)
        state = press(state, .down, .character("j"), .character("j"))
        #expect(state.selectedQuery == 4)
        state = press(state, .up, .character("k"))
        #expect(state.selectedQuery == 2)
        state = press(state, .end)
        #expect(state.selectedKey == state.tokenCount - 1)
        state = press(state, .right)
        #expect(state.selectedKey == state.tokenCount - 1)
        state = press(state, .home)
        #expect(state.selectedKey == 0)
    }

    @Test func numberKeysSetTheSelectedTokensMaskAndRecompute() throws {
        var state = try makeState()
        state = press(state, .right, .right, .right) // fox
        let before = state.result?.attention
        let (next, effects) = reduce(state, .input(.character("0")))
        #expect(next.explorer.mask[4] == 0)
        #expect(next.recomputePending)
        guard case .recompute(let explorer, let generation)? = effects.first else {
            Issue.record("no recompute effect"); return
        }
        #expect(explorer.mask[4] == 0 && generation == next.generation)
        let settled = ExplorerLoop.settle(next, effects)
        #expect(!settled.recomputePending)
        #expect(settled.result?.attention != before)
        #expect(settled.result?.attention.weight(layer: 0, head: 5, query: 1, key: 4) == 0)
        #expect(press(settled, .character("5")).explorer.mask[4] == 0.5)
        #expect(press(settled, .character("1")).explorer.mask[4] == 1)
    }

    @Test func plusAndMinusStepByATenthWithinZeroAndOne() throws {
        var state = try makeState()
        state = press(state, .character("-"), .character("-"), .character("-"))
        #expect(state.explorer.mask[1] == 0.7)
        state = press(state, .character("-"), .character("-"))
        #expect(state.explorer.mask[1] == 0.5)
        state = press(state, Array(repeating: InputEvent.character("+"), count: 9))
        #expect(state.explorer.mask[1] == 1)
        state = press(state, Array(repeating: InputEvent.character("-"), count: 12))
        #expect(state.explorer.mask[1] == 0)
    }

    @Test func xTogglesBetweenZeroAndOne() throws {
        var state = try makeState()
        state = press(state, .character("x"))
        #expect(state.explorer.mask[1] == 0)
        state = press(state, .character("x"))
        #expect(state.explorer.mask[1] == 1)
    }

    @Test func spanSelectionAppliesAValueToARange() throws {
        // The blog post's "lazy and everything after it = 0", in a few keys.
        var state = try makeState()
        state = press(state, .right, .right, .right, .right, .right, .right, .right) // lazy (8)
        #expect(state.tokens[state.selectedKey] == "lazy")
        state = press(state, .character("v"), .end, .character("0"))
        #expect(Array(state.explorer.mask[8...]) == [0, 0, 0, 0])
        #expect(Array(state.explorer.mask[..<8]) == Array(repeating: 1, count: 8))
        #expect(state.spanAnchor == nil)
        // Esc abandons a span without quitting.
        state = press(state, .character("v"), .left, .escape)
        #expect(state.spanAnchor == nil && !state.wantsToQuit)
    }

    @Test func resetUndoAndRedoRestoreTheMaskAndTheHeatmapExactly() throws {
        let start = try makeState()
        let changed = press(start, .character("0"), .right, .character("5"))
        #expect(changed.explorer.mask[1] == 0 && changed.explorer.mask[2] == 0.5)
        let undone = press(changed, .character("u"))
        #expect(undone.explorer.mask[2] == 1 && undone.explorer.mask[1] == 0)
        let undoneTwice = press(undone, .character("u"))
        #expect(undoneTwice.explorer.mask == start.explorer.mask)
        #expect(undoneTwice.result?.attention == start.result?.attention)
        let redone = press(undoneTwice, .control("r"), .control("r"))
        #expect(redone.explorer.mask == changed.explorer.mask)
        #expect(redone.result?.attention == changed.result?.attention)
        let reset = press(changed, .character("r"))
        #expect(reset.explorer.mask.allSatisfy { $0 == 1 })
        #expect(press(reset, .character("u")).explorer.mask == changed.explorer.mask)
        #expect(press(start, .character("u")).message?.text == "nothing to undo")
    }

    @Test func layerAndHeadKeysStayInRange() throws {
        var state = try makeState()
        state = press(state, .character("]"), .character("]"), .character("]"))
        #expect(state.layer == 1)
        state = press(state, .character("["), .character("["))
        #expect(state.layer == 0)
        state = press(state, .character(">"), .character("."), .character("."))
        #expect(state.head == 3)
        state = press(state, .character("<"), .character(","))
        #expect(state.head == 1)
        state = press(state, Array(repeating: InputEvent.character(">"), count: 10))
        #expect(state.head == 5)
        state = press(state, .character("a"))
        #expect(state.meanOfHeads)
        state = press(state, .character("a"))
        #expect(!state.meanOfHeads)
    }

    @Test func sCyclesTheSemanticsAndEachRecomputes() throws {
        var state = try makeState()
        state = press(state, .character("5"))
        let hf = state.result?.attention
        state = press(state, .character("s"))
        #expect(state.explorer.semantics == .hf4)
        #expect(state.result?.attention != hf)
        state = press(state, .character("s"))
        #expect(state.explorer.semantics == .soft)
        state = press(state, .character("s"))
        #expect(state.explorer.semantics == .bias)
        state = press(state, .character("s"))
        #expect(state.explorer.semantics == .hf)
        #expect(state.result?.attention == hf)
        // Negative values cannot be read by soft: they become 0 with a warning.
        var biased = try makeState(semantics: .bias)
        biased = press(biased, .character("-"), .character("s"))
        #expect(biased.explorer.semantics == .hf)
        biased = press(biased, .character("s"), .character("s"))
        #expect(biased.explorer.semantics == .soft)
    }

    @Test func editingTheTextRetokenizesAndResetsMasks() throws {
        var state = try makeState()
        state = press(state, .character("0"), .character("e"))
        guard case .editing(let editor) = state.overlay else { Issue.record("not editing"); return }
        #expect(editor.cursor == seedSentence.count)
        state = press(state, .backspace)
        state = press(state, type(" today"))
        state = press(state, .enter)
        #expect(state.overlay == .none)
        #expect(state.tokens.suffix(3) == ["dog", "today", "[SEP]"])
        #expect(state.explorer.mask.allSatisfy { $0 == 1 })
        #expect(state.result?.attention.length == state.tokenCount)
        #expect(state.undoStack.isEmpty)
        // Ctrl-U clears to the cursor; an empty text is refused inside the editor.
        state = press(state, .character("e"), .control("u"), .enter)
        guard case .editing(let refused) = state.overlay else { Issue.record("editor closed on empty text"); return }
        #expect(refused.error?.contains("empty") == true)
        state = press(state, .escape)
        #expect(state.overlay == .none && !state.wantsToQuit)
        #expect(state.tokens.suffix(3) == ["dog", "today", "[SEP]"])
    }

    /// A text longer than the editor's line scrolls so the cursor stays in view: at the end
    /// the line ends with the text's last word; at Home it starts with the first; wide
    /// characters count two columns.
    @Test func theEditorShowsTheLongTextAroundTheCursor() throws {
        let long = (0..<90).map { "w\($0)" }.joined(separator: " ")
        // The box spans 80 columns; its line is columns 2..<78, of which the text before the
        // cursor may use 74.
        func editorLine(_ state: AppState) -> String {
            let line = render(state).textLines.first { $0.hasPrefix("│") && !$0.contains("Edit the text") } ?? ""
            return String(line.dropFirst(2).prefix(76))
        }
        var state = press(try makeState(long, width: 80), .character("e"))
        var line = editorLine(state)
        let beforeCursor = String(line.prefix(74))
        #expect(long.hasSuffix(beforeCursor) && beforeCursor.hasSuffix("w88 w89"), "\(line)")
        state = press(state, .home)
        line = editorLine(state)
        #expect(line.hasPrefix("w0 w1 w2") && long.hasPrefix(line.trimmingCharacters(in: .whitespaces)), "\(line)")

        let cjk = "東京" + String(repeating: "東", count: 60)
        var wide = press(try makeState(cjk, width: 80), .character("e"))
        line = editorLine(wide)
        #expect(line.hasPrefix(String(repeating: "東", count: 37)), "\(line)")
        wide = press(wide, .home)
        #expect(editorLine(wide).hasPrefix("東京東"), "\(editorLine(wide))")
    }

    @Test func enterPreparesTheTextInTheBackgroundAndTheEditorSaysSo() throws {
        let start = press(try makeState(), .character("0"), .character("e"))
        let editing = press(start, type(" today"))
        let (waiting, effects) = reduce(editing, .input(.enter))
        // The reducer does no model work: the engine is untouched, one effect asks for it.
        #expect(effects.count == 1)
        guard case let .prepareText(engine, text, request)? = effects.first else { Issue.record("no prepareText effect"); return }
        #expect(text == seedSentence + " today" && request == waiting.textRequest)
        #expect(engine.text == seedSentence)
        #expect(waiting.explorer.text == seedSentence && waiting.explorer.mask[1] == 0)
        #expect(waiting.preparingText == text && waiting.backgroundWorkPending)
        guard case .editing = waiting.overlay else { Issue.record("the editor closed before the text was ready"); return }
        #expect(render(waiting).textLines.contains { $0.contains("preparing the new text") })
        // The outcome arrives: the engine moves to it and a recompute of the new text starts.
        let (ready, next) = reduce(waiting, .textPrepared(TextPreparation.prepare(engine, text: text, request: request)))
        #expect(ready.overlay == .none && ready.preparingText == nil)
        #expect(ready.explorer.text == text && ready.tokens.suffix(2) == ["today", "[SEP]"])
        #expect(ready.explorer.mask.allSatisfy { $0 == 1 })
        guard case let .recompute(recomputed, generation)? = next.first else { Issue.record("no recompute after the text"); return }
        #expect(recomputed.text == text && generation == ready.generation && ready.recomputePending)
        #expect(!render(ready).textLines.contains { $0.contains("preparing the new text") })
    }

    @Test func aNewerTextSupersedesAnOlderOneStillBeingPrepared() throws {
        let editing = press(try makeState(), .character("e"), .control("u"))
        let (first, firstEffects) = reduce(press(editing, type("the cat")), .input(.enter))
        guard case let .prepareText(engine, older, olderRequest)? = firstEffects.first else { Issue.record("no first request"); return }
        // Editing the line abandons the pending text; Enter asks for the new one.
        let retyped = press(first, .character("s"))
        #expect(retyped.preparingText == nil)
        let (second, secondEffects) = reduce(retyped, .input(.enter))
        guard case let .prepareText(_, newer, newerRequest)? = secondEffects.first else { Issue.record("no second request"); return }
        #expect(newerRequest > olderRequest && newer == "the cats")
        // The older outcome lands late: dropped, the editor still waits for the newer one.
        let (stale, staleEffects) = reduce(second, .textPrepared(TextPreparation.prepare(engine, text: older, request: olderRequest)))
        #expect(staleEffects.isEmpty && stale.explorer.text == seedSentence && stale.preparingText == newer)
        let (done, _) = reduce(stale, .textPrepared(TextPreparation.prepare(engine, text: newer, request: newerRequest)))
        #expect(done.explorer.text == "the cats" && done.overlay == .none)
        // Esc while preparing keeps the old text even if the outcome arrives afterwards.
        let (pending, effects) = reduce(press(try makeState(), .character("e"), .backspace), .input(.enter))
        guard case let .prepareText(original, text, request)? = effects.first else { Issue.record("no request"); return }
        let cancelled = press(pending, .escape)
        #expect(cancelled.preparingText == nil && !cancelled.backgroundWorkPending)
        let (kept, keptEffects) = reduce(cancelled, .textPrepared(TextPreparation.prepare(original, text: text, request: request)))
        #expect(keptEffects.isEmpty && kept.explorer.text == seedSentence)
    }

    @Test func aRefusedTextArrivesUnderTheEditorLine() throws {
        let (waiting, effects) = reduce(press(try makeState(), .character("e"), .control("u")), .input(.enter))
        guard case let .prepareText(engine, text, request)? = effects.first else { Issue.record("no request"); return }
        let (refused, next) = reduce(waiting, .textPrepared(TextPreparation.prepare(engine, text: text, request: request)))
        #expect(next.isEmpty && refused.preparingText == nil && refused.explorer.text == seedSentence)
        guard case .editing(let editor) = refused.overlay else { Issue.record("editor closed on a refused text"); return }
        #expect(editor.error?.contains("empty") == true)
    }

    @Test func lineEditorMovesAndDeletes() {
        var editor = LineEditor(text: "abc")
        editor.moveLeft(); editor.moveLeft()
        editor.insert("X")
        #expect(editor.text == "aXbc")
        editor.deleteForward()
        #expect(editor.text == "aXc")
        editor.moveHome(); editor.deleteBackward()
        #expect(editor.text == "aXc" && editor.cursor == 0)
        editor.moveEnd(); editor.deleteBackward()
        #expect(editor.text == "aX")
    }

    @Test func helpThemesAndQuitting() throws {
        var state = try makeState()
        state = press(state, .character("?"))
        #expect(state.overlay == .help)
        state = press(state, .character("x"))
        #expect(state.explorer.mask[1] == 1, "keys other than close do nothing under help")
        state = press(state, .escape)
        #expect(state.overlay == .none && !state.wantsToQuit)
        let theme = state.theme.name
        state = press(state, .character("t"))
        #expect(state.theme.name != theme)
        let (quit, effects) = reduce(state, .input(.character("q")))
        #expect(quit.wantsToQuit)
        if case .quit? = effects.first {} else { Issue.record("q did not ask to quit") }
        // Esc never quits the main view: it says how to quit instead, and the hints stay.
        let escaped = press(state, .escape)
        #expect(!escaped.wantsToQuit)
        #expect(escaped.message?.text.contains("q quits") == true)
        #expect(render(escaped).textLines.last?.contains("q quit") == true)
        #expect(press(state, .control("c")).wantsToQuit)
    }

    @Test func mouseSelectsCellsAndTokensAndTheWheelScrolls() throws {
        var state = try makeState()
        let layout = Layout(state: state)
        let x = try #require(layout.columnX(5, offset: 0)) + 1
        let y = try #require(layout.rowY(3, offset: 0))
        state = press(state, .mouse(MouseEvent(x: x, y: y, kind: .click)))
        #expect(state.selectedKey == 5 && state.selectedQuery == 3)
        let foxX = try #require(state.tokenStrip.placements.first { $0.position == 4 }).x
        state = press(state, .mouse(MouseEvent(x: foxX, y: layout.tokenRow, kind: .click)))
        #expect(state.selectedKey == 4)
        var long = try makeState(String(repeating: "one two three four five ", count: 20))
        long = press(long, .mouse(MouseEvent(x: 0, y: 10, kind: .wheelDown)))
        #expect(long.rowOffset == 3)
        long = press(long, .mouse(MouseEvent(x: 0, y: 10, kind: .wheelUp)))
        #expect(long.rowOffset == 0)
    }

    @Test func resizeAndStaleResults() throws {
        var state = try makeState()
        state = press(state, .resize(width: 120, height: 40))
        #expect(state.width == 120 && state.height == 40)
        // A result for an older generation than the one on screen is dropped.
        let old = try #require(state.result)
        state = press(state, .character("0"))
        let newer = try #require(state.result)
        state = reduce(state, .recomputed(generation: 0, result: old, milliseconds: 1)).0
        #expect(state.result?.attention == newer.attention)
    }

    @Test func unknownKeysSayWhereHelpIs() throws {
        let state = press(try makeState(), .character("Q"))
        #expect(state.message?.text.contains("press ?") == true)
    }
}

@Suite struct RenderDetailsTests {
    @Test func maskedTokensAreMarkedWithoutColor() throws {
        let state = press(try makeState(), .right, .right, .right, .right, .right, .right, .right,
                          .character("v"), .end, .character("0"), .home, .right, .right, .right, .right, .character("5"))
        let lines = render(state).textLines
        let layout = Layout(state: state)
        #expect(lines[layout.tokenMaskRow].contains("×0"))
        #expect(lines[layout.tokenMaskRow].contains("0.5"))
        #expect(lines[layout.keyMaskRow].contains("×0"))
        #expect(lines[layout.semanticsRow].contains("0.5 → kept fully (same as 1)"))
        let hf4 = press(state, .character("s"))
        #expect(render(hf4).textLines[layout.semanticsRow].contains("0.5 → masked fully (same as 0)"))
        let soft = press(hf4, .character("s"))
        #expect(render(soft).textLines[layout.tokenMaskRow].contains("~0.5"))
    }

    @Test func colorTerminalsGetThemeColorsAndShadesNone() throws {
        let state = try makeState(colors: .truecolor)
        let grid = render(state)
        let layout = Layout(state: state)
        let x = try #require(layout.columnX(0, offset: 0)), y = try #require(layout.rowY(1, offset: 0))
        #expect(grid[x, y].background == state.theme.color(forWeight: Double(state.result!.attention.weight(layer: 0, head: 0, query: 1, key: 0))).cellColor)
        #expect(!grid.textLines.joined().contains("█"))
        let mono = press(try makeState(colors: .truecolor), Array(repeating: InputEvent.character("t"), count: ThemeCatalog.all.firstIndex { $0.isMonochrome } ?? 0))
        #expect(mono.theme.isMonochrome)
        #expect(render(mono).cells.allSatisfy { $0.background == .default && $0.foreground == .default })
    }

    @Test func cjkLabelsSitInsideTheirColumns() throws {
        let state = try makeState("東京は日本の首都です。", width: 80, height: 24)
        let grid = render(state)
        let layout = Layout(state: state)
        for key in 1..<state.tokenCount - 1 {
            let x = try #require(layout.columnX(key, offset: 0))
            let glyphs = (x..<x + layout.cellWidth).map { grid[$0, layout.columnLabelTop].glyph }.joined()
            #expect(glyphs.contains(String(state.tokens[key].first!)), "column \(key)")
        }
    }

    @Test func denseModePacksTwoRowsPerLine() throws {
        let long = String(repeating: "one two three four five ", count: 8)
        let normal = try makeState(long, colors: .truecolor)
        let dense = press(normal, .character("z"))
        #expect(Layout(state: dense).visibleRows == 2 * Layout(state: normal).visibleRows ||
                Layout(state: dense).visibleRows == dense.tokenCount)
        #expect(render(dense).textLines.joined().contains("▀"))
    }
}

@Suite struct TokenStripTests {
    @Test func markersNeverRunIntoTheNextToken() throws {
        let state = press(try makeState(), .end, .character("0"), .left, .character("0"))
        let line = render(state).textLines[Layout(state: state).tokenMaskRow]
        #expect(line.contains("×0 ×0"))
        #expect(!line.contains("×0×0"))
    }
}

@Suite struct HangupTests {
    @Test func aHangupEndsTheExplorer() throws {
        let (state, effects) = reduce(try makeState(), .input(.hangup))
        #expect(state.wantsToQuit)
        if case .quit? = effects.first {} else { Issue.record("no quit effect") }
    }
}
