import AttentionCore
import Testing
@testable import ExplorerUI

/// The compare and diff views as a class sees them: styled goldens (glyph, colors,
/// attributes) in 24-bit color at the sizes the issue names, and what `s` marks.
@Suite struct CompareDiffScreenTests {
    /// The blog post's mask, layer 1 head 3 of the built-in model, query 5 ("jumps") selected.
    func blogMask(width: Int, height: Int, theme: String = "viridis", semantics: MaskSemantics = .hf) throws -> AppState {
        var state = try makeState(width: width, height: height, colors: .truecolor, semantics: semantics)
        if let index = state.themes.firstIndex(where: { $0.name == theme }) { state.themeIndex = index }
        return press(state, .right, .right, .right, .right, .character("5"), .right, .right, .right, .character("v"), .end,
                     .character("0"), .home, .right, .right, .right, .right, .down, .down, .down, .down,
                     .character("]"), .character(">"), .character(">"), .character(">"))
    }

    @Test func compareAt80x24() throws {
        expectGolden(press(try blogMask(width: 80, height: 24), .character("S")), named: "compareTruecolor80x24")
    }

    @Test func compareAt120x40() throws {
        expectGolden(press(try blogMask(width: 120, height: 40), .character("S")), named: "compareTruecolor120x40")
    }

    @Test func compareAt100x30ProjectorUnderHF4() throws {
        expectGolden(press(try blogMask(width: 100, height: 30, theme: "projector", semantics: .hf4), .character("S")),
                     named: "compareProjector100x30HF4")
    }

    @Test func diffAt80x24() throws {
        expectGolden(press(try blogMask(width: 80, height: 24), .character("d")), named: "diffTruecolor80x24")
    }

    @Test func diffAt120x40() throws {
        expectGolden(press(try blogMask(width: 120, height: 40), .character("d")), named: "diffTruecolor120x40")
    }

    @Test func diffAt100x30ProjectorUnderHF4() throws {
        expectGolden(press(try blogMask(width: 100, height: 30, theme: "projector", semantics: .hf4), .character("d")),
                     named: "diffProjector100x30HF4")
    }

    /// The diff legend's ends are the largest |Δ| among the open cells on screen, and the
    /// detail panel gives the selected cell's Δ with its weights before and after.
    @Test func diffScaleFitsTheLargestChangeOnScreenAndTheDetailShowsTheCellsDelta() throws {
        let state = press(try blogMask(width: 120, height: 40), .character("d"))
        let (deltas, _) = try #require(shownValues(state))
        let closures = state.closureMap
        var largest: Float = 0
        for q in 0..<state.tokenCount {
            for k in 0..<state.tokenCount where !closures.closure(query: q, key: k).isClosed { largest = max(largest, abs(deltas[q][k])) }
        }
        #expect(largest > 0.05 && largest < 1)
        #expect(abs(diffExtent(state) - largest) < 1e-7)
        let lines = render(state).textLines
        let layout = Layout(state: state)
        let end = formatScale(Double(largest))
        #expect(lines[layout.legendRow].contains("Δ −\(end) "))
        #expect(lines[layout.legendRow].contains(" +\(end) "))
        let delta = deltas[state.selectedQuery][state.selectedKey]
        #expect(lines.contains { $0.contains("Δ vs unmasked") })
        #expect(lines.contains { $0.contains(String(format: "%+.4f", Double(delta))) })
        // The cell holding the largest change is painted with the scale's end color.
        let flat = deltas.enumerated().flatMap { q, row in row.enumerated().map { (q, $0.offset, $0.element) } }
        let (q, k, d) = try #require(flat.filter { !closures.closure(query: $0.0, key: $0.1).isClosed }.max { abs($0.2) < abs($1.2) })
        let x = try #require(layout.columnX(k, offset: state.columnOffset)), y = try #require(layout.rowY(q, offset: state.rowOffset))
        let end3 = state.theme.color(forDelta: d > 0 ? 1 : -1)
        #expect(render(state)[x + layout.cellWidth - 1, y].background == .rgb(end3.red, end3.green, end3.blue))
    }

    /// `s` marks each open cell whose weight moved by 0.01 or more, says so on the legend
    /// line, and the next key clears the marks.
    @Test func semanticsChangeMarksTheCellsThatChangedUntilTheNextKey() throws {
        let before = try blogMask(width: 120, height: 40)
        let after = press(before, .character("s"))
        #expect(after.explorer.semantics == .hf4)
        let change = try #require(after.semanticsChange)
        #expect(change.from == .hf && change.to == .hf4)
        let old = try #require(shownWeights(before)), new = try #require(shownWeights(after))
        let closures = after.closureMap
        let moved = changedCells(before: old, now: new).filter { !closures.closure(query: $0.query, key: $0.key).isClosed }
        #expect(!moved.isEmpty)
        let grid = render(after)
        let layout = Layout(state: after)
        for (query, key, rose) in moved {
            guard let x = layout.columnX(key, offset: after.columnOffset), let y = layout.rowY(query, offset: after.rowOffset) else { continue }
            #expect(grid[x + layout.cellWidth / 2, y + (layout.rowHeight - 1) / 2].glyph == (rose ? "▲" : "▼"), "cell \(query) \(key)")
        }
        // Unchanged open cells carry no mark.
        let markedCount = grid.cells.filter { $0.glyph == "▲" || $0.glyph == "▼" }.count
        let rose = moved.filter(\.rose).count
        #expect(grid.textLines[layout.legendRow].contains("s: hf → hf4 ▲\(rose) rose ▼\(moved.count - rose) fell"))
        #expect(markedCount == moved.count + 2, "one mark per moved cell, plus the two in the legend note")
        let next = press(after, .down)
        #expect(next.semanticsChange == nil)
        #expect(!render(next).cells.contains { $0.glyph == "▲" || $0.glyph == "▼" })
    }

    /// The `s` note sits at the right of the legend line, shortened on narrow terminals, and
    /// never covers what the hatch means.
    @Test(arguments: [(120, 40), (100, 30), (80, 24)])
    func semanticsChangeNoteLeavesTheMaskWordsWhole(width: Int, height: Int) throws {
        let after = press(try blogMask(width: width, height: height), .character("s"))
        let lines = render(after).textLines
        let layout = Layout(state: after)
        let legend = lines[layout.legendRow...].prefix(2).joined(separator: "\n")
        let rose = try #require(semanticsChangeCells(after)).filter(\.rose).count
        #expect(legend.contains(width >= 120 ? "s: hf → hf4 ▲\(rose) rose" : "▲\(rose) ▼"), "\(legend)")
        #expect(legend.contains("masked: weight forced to 0"), "\(legend)")
    }
}
