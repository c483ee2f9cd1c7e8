import AttentionCore

/// After `s`, marks each cell of the map whose weight rose (▲) or fell (▼) by at least
/// `semanticsChangeThreshold` against the map shown under the previous semantics, once the
/// recompute for the new semantics is on screen. Drawn over the cell's own color, so the
/// weight still reads; the next key clears it (`AppState.semanticsChange`).
func renderSemanticsChange(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    guard !layout.dense, let change = state.semanticsChange, state.shownLayerIsCurrent,
          let now = shownWeights(state), let before = weights(of: change.before, state) else { return }
    for (query, key, rose) in changedCells(before: before, now: now) {
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
