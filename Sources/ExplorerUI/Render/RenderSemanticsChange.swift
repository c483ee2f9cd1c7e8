import AttentionCore

/// After `s`, marks each open cell of the map whose weight rose (▲) or fell (▼) by at least
/// `semanticsChangeThreshold` against the map shown under the previous semantics (cells it
/// closed show the mask's hatch instead), once the
/// recompute for the new semantics is on screen. Drawn over the cell's own color, so the
/// weight still reads; the next key clears it (`AppState.semanticsChange`).
func renderSemanticsChange(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    guard !layout.dense, let cells = canvas.memo.semanticsChanged else { return }
    for (query, key, rose) in cells {
        guard let x = layout.columnX(key, offset: state.columnOffset),
              let y = layout.rowY(query, offset: state.rowOffset) else { continue }
        let cx = x + layout.cellWidth / 2, cy = y + (layout.rowHeight - 1) / 2
        let cell = canvas.grid[cx, cy]
        let fg: CellColor
        if case let .rgb(r, g, b) = cell.background {
            fg = canvas.contrasting(on: RGB(red: r, green: g, blue: b))
        } else {
            fg = canvas.foreground
        }
        canvas.grid[cx, cy] = Cell(glyph: rose ? "▲" : "▼", foreground: fg, background: cell.background, attributes: .bold)
    }
}

/// The open cells whose weight `s` moved, once the new semantics' map is on screen; nil when
/// there is no change to show. A cell the new semantics closes already shows the hatch.
/// `now` is `shownWeights(state)` when the caller already has it.
func semanticsChangeCells(_ state: AppState, now: [[Float]]?? = nil) -> [(query: Int, key: Int, rose: Bool)]? {
    guard let change = state.semanticsChange, state.shownLayerIsCurrent,
          let now = now ?? shownWeights(state), let before = weights(of: change.before, state) else { return nil }
    let closures = state.closureMap
    return changedCells(before: before, now: now).filter { !closures.closure(query: $0.query, key: $0.key).isClosed }
}

/// What the ▲ ▼ marks are while they show, nil otherwise: " s: hf4 → soft ▲10 rose ▼9 fell ",
/// or a shorter form (" hf4→soft ▲10 ▼9 ", " ▲10 ▼9 ") where the legend's essential part would
/// otherwise be covered. The legend leaves the note's width free at the right of its first line.
func semanticsChangeNote(_ canvas: Canvas, layout: Layout) -> String? {
    let state = canvas.state
    guard canvas.chrome == .interactive, let change = state.semanticsChange, let cells = canvas.memo.semanticsChanged else { return nil }
    let rose = cells.filter(\.rose).count, fell = cells.count - rose
    let from = change.from.rawValue, to = change.to.rawValue
    let forms = [" s: \(from) → \(to) ▲\(rose) rose ▼\(fell) fell ", " \(from)→\(to) ▲\(rose) ▼\(fell) ", " ▲\(rose) ▼\(fell) "]
    let room = layout.width - legendEssentialWidth(canvas, layout: layout) - 1
    return forms.first { DisplayWidth.of($0) <= room } ?? forms[forms.count - 1]
}

/// Says what the ▲ ▼ marks are, at the right of the legend line, while they show.
func renderSemanticsChangeNote(_ canvas: inout Canvas, layout: Layout) {
    guard let note = semanticsChangeNote(canvas, layout: layout) else { return }
    let x = max(0, layout.width - DisplayWidth.of(note))
    canvas.text(note, x: x, y: layout.legendRow, fg: canvas.usesColor ? canvas.contrasting(on: canvas.theme.accents.warning) : nil,
                bg: canvas.color(canvas.theme.accents.warning), attributes: canvas.usesColor ? .bold : [.bold, .reverse])
}

/// Smallest change of weight the `s` marks show: below it a change would not be seen anyway.
let semanticsChangeThreshold: Float = 0.01

/// Cells whose weight moved by at least the threshold, and whether it rose.
func changedCells(before: [[Float]], now: [[Float]]) -> [(query: Int, key: Int, rose: Bool)] {
    var cells: [(Int, Int, Bool)] = []
    for query in now.indices where query < before.count {
        for key in now[query].indices where key < before[query].count {
            let delta = now[query][key] - before[query][key]
            if abs(delta) >= semanticsChangeThreshold { cells.append((query, key, delta > 0)) }
        }
    }
    return cells
}
