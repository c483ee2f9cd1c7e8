import Foundation
import AttentionCore
import Testing
@testable import ExplorerUI

@Suite struct ViewTests {
    /// hf4's bias (1 − m)·lowest is −0 for an open key; the math view prints it as 0, not "-0.0000".
    @Test func mathNumbersReadZeroWithoutASign() {
        #expect(number(-0.0) == "0.0000" && number(0) == "0.0000")
        #expect(number(-0.79501) == "-0.7950" && number(-.infinity) == "−∞")
        #expect(number(-Float.greatestFiniteMagnitude / 2) == "-1.70e+38")
    }

    /// The blog post's mask, layer 1 head 3 of the built-in model.
    func blogState(width: Int = 100, height: Int = 30) throws -> AppState {
        press(try makeState(width: width, height: height), .right, .right, .right, .right, .character("5"),
              .right, .right, .right, .character("v"), .end, .character("0"), .home, .right,
              .character("]"), .character(">"), .character(">"), .character(">"))
    }

    @Test func viewKeysToggleAndEscReturnsToTheHeatmap() throws {
        var state = try blogState()
        for (key, view) in [("d", ExplorerView.diff), ("S", .compare), ("m", .math), ("o", .overview), ("E", .effect)] {
            state = press(state, .character(Character(key)))
            #expect(state.view == view)
            #expect(render(state).textLines[0].contains("\(view.rawValue) view"))
            state = press(state, .character(Character(key)))
            #expect(state.view == .heatmap)
        }
        state = press(state, .character("d"), .escape)
        #expect(state.view == .heatmap && !state.wantsToQuit)
    }

    @Test func comparisonPassesRunOnlyForViewsThatNeedThemAndFollowEdits() throws {
        var state = try blogState()
        #expect(state.comparison == nil)
        let (_, heatmapEffects) = reduce(state, .input(.character("0")))
        #expect(!heatmapEffects.contains { if case .compare = $0 { return true } else { return false } })
        state = press(state, .character("d"))
        #expect(state.comparisonGeneration == state.generation)
        state = press(state, .character("1"))
        #expect(state.comparisonGeneration == state.generation, "an edit in the diff view recomputes the comparison")
    }

    @Test func diffShowsMaskedMinusUnmaskedAndMassMoved() throws {
        let state = press(try blogState(), .character("d"))
        let (deltas, diverging) = try #require(shownValues(state))
        #expect(diverging)
        let masked = try #require(shownWeights(state))
        let comparison = try #require(state.comparison)
        let unmasked = try #require(weights(of: comparison.unmasked, state))
        #expect(abs(deltas[3][2] - (masked[3][2] - unmasked[3][2])) < 1e-7)
        // Masked keys lose all their weight: their delta is minus their unmasked weight.
        #expect(deltas[9][9] == -unmasked[9][9])
        let moved = massMoved(deltas[9])
        #expect(moved > 0 && moved <= 1)
        let lines = render(state).textLines
        #expect(lines.contains { $0.contains("mass moved") })
        #expect(lines.contains { $0.contains(String(format: "%.3f", Double(moved))) })
        // Rows sum to 1 before and after, so each row's deltas sum to 0.
        for row in deltas { #expect(abs(row.reduce(0, +)) < 1e-5) }
    }

    @Test func compareShowsHFHF4AndSoftSideBySide() throws {
        let state = press(try blogState(), .character("S"))
        let comparison = try #require(state.comparison)
        #expect(comparison.bySemantics.map(\.semantics) == [.hf, .hf4, .soft])
        let hf = try #require(weights(of: comparison.bySemantics[0].result, state))
        let hf4 = try #require(weights(of: comparison.bySemantics[1].result, state))
        // jumps (position 5) at 0.5: kept under hf, masked under hf4.
        #expect(hf[1][5] > 0 && hf4[1][5] == 0)
        let lines = render(state).textLines
        #expect(lines.contains { $0.contains("hf (now)") && $0.contains("hf4") && $0.contains("soft") })
    }

    @Test func mathWalksTheSelectedRowsSoftmax() throws {
        let state = press(try blogState(), .character("m"))
        let lines = render(state).textLines
        #expect(lines.contains { $0.contains("q·k/√d") && $0.contains("+ bias") && $0.contains("exp(x−max)") })
        #expect(lines.contains { $0.contains("lazy") && $0.contains("-3.40e+38") })
        let result = try #require(state.result)
        let math = try SoftmaxBreakdown(result: result, tokens: state.tokens, layer: 1, head: 3, query: 1)
        #expect(lines.contains { $0.contains(String(format: "%.4f", Double(math.weights[0]))) })
        #expect(lines.contains { $0.contains("row max") })
    }

    @Test func overviewPicksHeadsWithArrowsAndEnterOpensThem() throws {
        var state = press(try blogState(), .character("o"))
        #expect(render(state).textLines.contains { $0.contains("h5") && $0.contains("h0") })
        state = press(state, .left, .left, .up)
        #expect(state.layer == 0 && state.head == 1)
        state = press(state, .enter)
        #expect(state.view == .heatmap && state.layer == 0 && state.head == 1)
    }

    /// A short terminal holds fewer rows of tiles than the model has layers: the window follows
    /// the selected layer, says which layers it shows, and no tile reaches the "selected:" line.
    @Test func overviewScrollsToTheSelectedLayerWhenNotAllFit() throws {
        let height = try #require((10...24).first { height in
            let lines = render(press(try makeState(height: height), .character("o"))).textLines
            return lines.contains { $0.contains("(L0–L0 of 2)") }
        }, "some height shows one of the built-in model's two layers")
        var state = press(try makeState(height: height), .character("o"))
        var lines = render(state).textLines
        #expect(lines.contains { $0.hasPrefix("L0") } && !lines.contains { $0.hasPrefix("L1") })
        state = press(state, .down)
        lines = render(state).textLines
        #expect(state.layer == 1)
        #expect(lines.contains { $0.hasPrefix("L1") } && !lines.contains { $0.hasPrefix("L0") })
        let selected = try #require(lines.firstIndex { $0.hasPrefix("selected: layer 1") })
        #expect(lines[selected].contains("(L1–L1 of 2)"))
        #expect(!lines[selected].contains("▀"), "the last tile stops above the selected line")
        // Tall enough for both: no window note.
        let tall = render(press(try makeState(height: 40), .character("o"))).textLines
        #expect(tall.contains { $0.hasPrefix("L1") } && !tall.contains { $0.contains(" of 2)") })
    }

    @Test func effectComparesTheOutputWithTheUnmaskedRun() throws {
        let unmasked = press(try makeState(width: 100, height: 30), .character("E"))
        #expect(render(unmasked).textLines.contains { $0.contains("cosine 1.0000") })
        let state = press(try blogState(), .character("E"))
        let lines = render(state).textLines
        #expect(lines.contains { $0.contains("sentence embedding") && !$0.contains("cosine 1.0000") })
        #expect(lines.contains { $0.contains("no masked-LM head") })
    }
}

@Suite struct PatternAndCellModeTests {
    @Test func thePickerAppliesAPatternAndUndoRemovesIt() throws {
        var state = try makeState()
        state = press(state, .character("p"))
        guard case .patternPicker(let picker) = state.overlay else { Issue.record("no picker"); return }
        #expect(picker.editor.text == "none")
        state = press(state, .down, .down)
        guard case .patternPicker(let causal) = state.overlay else { Issue.record("picker closed"); return }
        #expect(causal.editor.text == "causal")
        state = press(state, .enter)
        #expect(state.overlay == .none)
        #expect(state.explorer.pattern == .causal)
        #expect(render(state).textLines[1].contains("pattern causal"))
        // Causal: no query sees a later key, in any layer or head.
        let maps = try #require(state.result).attention
        for layer in 0..<maps.layerCount {
            for head in 0..<maps.headCount {
                for query in 0..<maps.length {
                    for key in (query + 1)..<maps.length { #expect(maps.weight(layer: layer, head: head, query: query, key: key) == 0) }
                }
            }
        }
        state = press(state, .character("u"))
        #expect(state.explorer.pattern == .none)
        state = press(state, .control("r"))
        #expect(state.explorer.pattern == .causal)
    }

    @Test func aBadPatternStaysInThePickerWithItsError() throws {
        var state = press(try makeState(), .character("p"), .control("u"))
        state = press(state, type("window:x"))
        state = press(state, .enter)
        guard case .patternPicker(let picker) = state.overlay else { Issue.record("picker closed on a bad pattern"); return }
        #expect(picker.editor.error != nil)
        #expect(render(state).textLines.contains { $0.contains("pattern: window:x") })
        state = press(state, .escape)
        #expect(state.overlay == .none && state.explorer.pattern == .none)
    }

    @Test func cellModeEditsOneQueryKeyCell() throws {
        var state = press(try makeState(), .down, .right, .right, .character("c"))
        #expect(state.cellMode)
        #expect(render(state).textLines[0].contains("cell mode"))
        state = press(state, .character("0"))
        let length = state.tokenCount
        #expect(state.explorer.cellOverrides == [2 * length + 3: 0])
        #expect(state.explorer.mask.allSatisfy { $0 == 1 }, "the token's own value is untouched")
        let maps = try #require(state.result).attention
        #expect(maps.weight(layer: 0, head: 5, query: 2, key: 3) == 0)
        #expect(maps.weight(layer: 0, head: 5, query: 1, key: 3) > 0, "other queries still see the key")
        #expect(render(state).textLines.joined().contains("◇"), "an edited cell the edit closes: hatched, with the edit mark")
        state = press(state, .character("r"))
        #expect(state.explorer.cellOverrides.isEmpty)
        state = press(state, .character("u"))
        #expect(state.explorer.cellOverrides == [2 * length + 3: 0])
        state = press(state, .character("c"), .character("0"))
        #expect(state.explorer.mask[3] == 0 && !state.cellMode)
    }

    @Test func sessionsKeepPatternCellsAndView() throws {
        var state = press(try makeState(), .character("p"), .down, .down, .enter, .down, .character("c"), .character("0"), .character("d"))
        state = press(state, .character("c"))
        let session = state.session(model: "builtin")
        #expect(session.pattern == "causal" && session.view == .diff && session.cells?.count == 1)
        let resumed = try AppState(session: session, model: BuiltinModel.make(), source: URL(fileURLWithPath: "/tmp/s.json"))
        #expect(resumed.explorer.pattern == .causal)
        #expect(resumed.explorer.cellOverrides == state.explorer.cellOverrides)
        #expect(resumed.view == .diff)
        #expect(resumed.initialEffects.count == 2, "a resumed comparison view asks for its passes")
    }
}

@Suite struct HelpToViewTests {
    @Test func aViewKeyPicksTheViewStraightFromHelp() throws {
        let state = press(try makeState(), .character("?"), .character("d"))
        #expect(state.overlay == .none && state.view == .diff)
        #expect(press(try makeState(), .character("?"), .character("x")).overlay == .help)
    }
}

@Suite struct LoopTests {
    /// The loop must keep polling after the main recompute while the comparison passes run,
    /// or the compare view waits for a key press before it shows anything.
    @Test func theLoopDrawsTheComparisonWithoutAnotherKey() throws {
        let state = try makeState(width: 100, height: 30)
        let terminal = InMemoryTerminal(width: 100, height: 30, colorCapability: .none, events: [.character("S")])
        let final = ExplorerLoop().run(state, on: terminal, maxIdlePolls: 2000)
        #expect(final.comparisonGeneration == final.generation)
        #expect(terminal.lastGrid?.textLines.contains { $0.contains("hf (now)") } == true)
    }
}

@Suite struct ComparisonReuseTests {
    func unmaskedReused(_ effects: [Effect]) -> Bool? {
        for effect in effects { if case let .compare(_, _, unmasked) = effect { return unmasked != nil } }
        return nil
    }

    @Test func theUnmaskedPassIsReusedUntilTheTextChanges() throws {
        let first = press(try makeState(), .character("d"))
        #expect(first.comparison != nil)
        let (_, afterMask) = reduce(first, .input(.character("0")))
        #expect(unmaskedReused(afterMask) == true, "a mask edit keeps the unmasked run")
        var edited = press(first, .character("e"), .backspace)
        let (preparing, afterEnter) = reduce(edited, .input(.enter))
        guard case let .prepareText(engine, text, request)? = afterEnter.first else { Issue.record("Enter prepared nothing"); return }
        let (_, afterText) = reduce(preparing, .textPrepared(TextPreparation.prepare(engine, text: text, request: request)))
        #expect(unmaskedReused(afterText) == false, "a new text needs a new unmasked run")
        edited = press(edited, .enter)
        let reused = try #require(edited.comparison)
        let fresh = try #require(Comparison.compute(for: edited.explorer))
        #expect(reused.unmasked.attention == fresh.unmasked.attention)
    }
}

@Suite struct DetailPanelTests {
    @Test func theDetailShowsTheCellsOwnMaskValue() throws {
        let edited = press(try makeState(), .down, .down, .right, .character("c"), .character("0"))
        #expect(render(edited).textLines.contains { $0.contains("mask 0 → masked") })
        let causal = press(try makeState(), .character("p"), .down, .down, .enter, .right, .right)
        #expect(causal.selectedKey > causal.selectedQuery)
        #expect(render(causal).textLines.contains { $0.contains("mask 0 → masked") })
    }
}
