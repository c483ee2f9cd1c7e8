import AttentionCore

/// The weights on screen, `[query][key]`: one head, or the layer's mean of heads. Nil until
/// the first recompute finishes, or while the text just changed.
func shownWeights(_ state: AppState) -> [[Float]]? {
    guard let result = state.result else { return nil }
    return weights(of: result, state)
}

/// One result's map for the state's layer and head (or mean of heads).
func weights(of result: ForwardResult, _ state: AppState) -> [[Float]]? {
    guard result.attention.length == state.tokenCount else { return nil }
    let layer = min(state.layer, result.attention.layerCount - 1)
    return state.meanOfHeads
        ? result.attention.meanWeights(layer: layer)
        : result.attention.headWeights(layer: layer, head: min(state.head, result.attention.headCount - 1))
}

/// What the map cells show: weights, or in the diff view masked − unmasked weights.
func shownValues(_ state: AppState) -> (values: [[Float]], diverging: Bool)? {
    guard let masked = shownWeights(state) else { return nil }
    guard state.view == .diff else { return (masked, false) }
    guard state.comparisonGeneration == state.generation, let comparison = state.comparison,
          let unmasked = weights(of: comparison.unmasked, state) else { return nil }
    return (zip(masked, unmasked).map { zip($0, $1).map { $0 - $1 } }, true)
}

func renderHeatmap(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let tokens = state.tokens
    let mask = state.explorer.mask
    let semantics = state.explorer.semantics
    let columns = state.columnOffset ..< min(tokens.count, state.columnOffset + layout.visibleColumns)
    let rows = state.rowOffset ..< min(tokens.count, state.rowOffset + layout.visibleRows)
    let labelColor = canvas.color(canvas.theme.accents.label)
    let maskedColor = canvas.color(canvas.theme.accents.masked)
    let selectionColor = canvas.color(canvas.theme.accents.selection)

    // Axis captions.
    canvas.text("query ↓  key →", x: 0, y: layout.columnLabelTop, fg: canvas.color(canvas.theme.accents.dim),
                maxWidth: layout.rowLabelWidth - 1)
    canvas.text("mask", x: max(0, layout.rowLabelWidth - 6), y: layout.keyMaskRow, fg: canvas.color(canvas.theme.accents.dim))

    // Key labels, written vertically, one grapheme per line, centred in the column.
    for key in columns {
        guard let x = layout.columnX(key, offset: state.columnOffset) else { continue }
        let keyState = semantics.keyState(for: mask[key])
        let selected = key == state.selectedKey
        let inSpan = state.spanAnchor != nil && state.maskTargets.contains(key)
        var attributes: CellAttributes = canvas.theme.labelAttributes
        if selected { attributes.insert(.reverse) }
        if keyState == .masked { attributes.insert(.dim) }
        if inSpan { attributes.insert(.underline) }
        let fg = keyState == .masked ? maskedColor : (selected ? selectionColor : labelColor)
        let glyphs = verticalLabel(tokens[key], height: layout.columnLabelHeight)
        for (line, glyph) in glyphs.enumerated() {
            let gx = x + max(0, (layout.cellWidth - DisplayWidth.of(glyph)) / 2)
            canvas.text(glyph, x: gx, y: layout.columnLabelTop + line, fg: fg, attributes: attributes)
        }
        let shown = DisplayWidth.fit(maskMarker(mask[key], semantics), toWidth: layout.cellWidth, alignment: .center)
        canvas.text(shown, x: x, y: layout.keyMaskRow,
                    fg: keyState == .kept ? canvas.color(canvas.theme.accents.dim) : maskedColor,
                    attributes: keyState == .kept ? (selected ? .reverse : []) : (selected ? [.bold, .reverse] : .bold))
    }
    if state.columnOffset > 0 {
        canvas.text("◀", x: layout.gridLeft - 1, y: layout.keyMaskRow, fg: selectionColor)
    }
    if columns.upperBound < tokens.count {
        canvas.text("▶", x: layout.gridLeft + layout.visibleColumns * layout.cellWidth, y: layout.keyMaskRow, fg: selectionColor)
    }

    // Query labels. On a decoder, a row whose every allowed key is masked (transformers fills
    // it uniformly over all positions, future ones included) is marked `!` in the warning
    // color, as the JSON's `fully_masked_queries` flags it.
    let digits = String(max(0, tokens.count - 1)).count
    let fullyMasked = state.explorer.model.description.isCausal ? Set(state.result?.queriesWithEveryAllowedKeyMasked ?? []) : []
    for query in rows {
        guard let y = layout.rowY(query, offset: state.rowOffset) else { continue }
        if layout.dense && (query - state.rowOffset) % 2 == 1 { continue }
        let flagged = fullyMasked.contains(query) || (layout.dense && fullyMasked.contains(query + 1))
        let marker = flagged ? "!" : " "
        var label: String
        if layout.dense, query + 1 < tokens.count {
            label = "\(pad(query, digits))\(marker)\(tokens[query])/\(tokens[query + 1])"
        } else {
            label = "\(pad(query, digits))\(marker)\(tokens[query])"
        }
        label = DisplayWidth.fit(label, toWidth: layout.rowLabelWidth - 1)
        let selected = query == state.selectedQuery || (layout.dense && query + 1 == state.selectedQuery)
        let fg = selected ? selectionColor : (flagged ? canvas.color(canvas.theme.accents.warning) : labelColor)
        canvas.text(label, x: 0, y: y + (layout.rowHeight - 1) / 2, fg: fg,
                    attributes: canvas.theme.labelAttributes.union(selected ? .reverse : []).union(flagged ? .bold : []))
    }

    guard let (weights, diverging) = shownValues(state) else {
        let note = state.recomputePending || state.view == .diff ? "computing attention…" : "no attention computed"
        canvas.text(note, x: layout.gridLeft, y: layout.gridTop, fg: canvas.color(canvas.theme.accents.dim))
        return
    }
    let noKeys = Set(state.result?.queriesWithNoKeys ?? [])
    // A decoder's own causal mask, drawn as the model's (a dim ╲), distinct from the user's
    // mask; rows whose every allowed key is masked are left as transformers fills them.
    let modelBias = state.result?.bias
    let flaggedRows = Set(state.result?.queriesWithEveryAllowedKeyMasked ?? [])
    for query in rows {
        guard let y = layout.rowY(query, offset: state.rowOffset) else { continue }
        let lower = layout.dense && (query - state.rowOffset) % 2 == 1
        if layout.dense && lower { continue }
        for key in columns {
            guard let x = layout.columnX(key, offset: state.columnOffset) else { continue }
            if layout.dense {
                drawDenseCell(&canvas, x: x, y: y, width: layout.cellWidth,
                              upper: weights[query][key],
                              lower: query + 1 < rows.upperBound ? weights[query + 1][key] : nil, diverging: diverging)
                continue
            }
            let crossed = query == state.selectedQuery || key == state.selectedKey
            let edited = state.explorer.cellOverrides[query * state.tokenCount + key] != nil
            for line in 0..<layout.rowHeight {
                drawCell(&canvas, x: x, y: y + line, width: layout.cellWidth, weight: weights[query][key], diverging: diverging,
                         selected: query == state.selectedQuery && key == state.selectedKey,
                         crossed: crossed && line == layout.rowHeight / 2, noKeys: noKeys.contains(query) && line == layout.rowHeight / 2,
                         edited: edited && line == layout.rowHeight / 2)
            }
            if let modelBias, modelBias.isCausal, query < modelBias.length, !flaggedRows.contains(query),
               !modelBias.allowedKeys(of: query).contains(key) {
                let middle = y + layout.rowHeight / 2
                let centre = x + (layout.cellWidth - 1) / 2
                canvas.text("╲", x: centre, y: middle, fg: canvas.color(canvas.theme.accents.dim), bg: canvas.grid[centre, middle].background)
            }
        }
    }
    if layout.dense, let x = layout.columnX(state.selectedKey, offset: state.columnOffset),
       let y = layout.rowY(state.selectedQuery, offset: state.rowOffset) {
        let fg = canvas.usesColor ? canvas.contrasting(on: cellColor(canvas, weights[state.selectedQuery][state.selectedKey], diverging)) : canvas.foreground
        canvas.text("[", x: x, y: y, fg: fg, bg: canvas.grid[x, y].background)
        canvas.text("]", x: x + layout.cellWidth - 1, y: y, fg: fg, bg: canvas.grid[x + layout.cellWidth - 1, y].background)
    }
}

/// One weight as a cell: background color on color terminals, shade glyphs elsewhere. The
/// selected cell is bracketed; the selected row and column carry a centre dot (underline in
/// shades) so the cross is visible at any weight.
private func drawCell(_ canvas: inout Canvas, x: Int, y: Int, width: Int, weight: Float, diverging: Bool,
                      selected: Bool, crossed: Bool, noKeys: Bool, edited: Bool) {
    if canvas.usesColor {
        let rgb = cellColor(canvas, weight, diverging)
        let bg = rgb.cellColor
        let fg = canvas.contrasting(on: rgb)
        var glyphs = Array(repeating: " ", count: width)
        if selected {
            glyphs[0] = "["; glyphs[width - 1] = "]"
        } else if crossed {
            glyphs[width / 2] = "·"
        }
        if edited { glyphs[width / 2] = "◆" }
        if noKeys { glyphs[width / 2] = "∅" }
        for (i, glyph) in glyphs.enumerated() { canvas.text(glyph, x: x + i, y: y, fg: fg, bg: bg) }
    } else {
        let shade = diverging ? deltaGlyph(weight) : canvas.theme.glyph(forWeight: Double(weight))
        var glyphs = Array(repeating: shade, count: width)
        if selected { glyphs[0] = "["; glyphs[width - 1] = "]" }
        if edited { glyphs[width / 2] = "◆" }
        if noKeys { glyphs[width / 2] = "∅" }
        let attributes: CellAttributes = selected ? .bold : (crossed ? .underline : [])
        for (i, glyph) in glyphs.enumerated() { canvas.text(glyph, x: x + i, y: y, attributes: attributes) }
    }
}

/// Two query rows in one line: `▀` painted with the upper row's color over the lower's.
private func drawDenseCell(_ canvas: inout Canvas, x: Int, y: Int, width: Int, upper: Float, lower: Float?, diverging: Bool) {
    let top = cellColor(canvas, upper, diverging).cellColor
    let bottom = lower.map { cellColor(canvas, $0, diverging).cellColor } ?? canvas.background
    for i in 0..<width { canvas.text("▀", x: x + i, y: y, fg: top, bg: bottom) }
}

/// A map value's color: the weight scale, or the diverging scale for differences in −1…1.
func cellColor(_ canvas: Canvas, _ value: Float, _ diverging: Bool) -> RGB {
    diverging ? canvas.theme.color(forDelta: Double(value)) : canvas.theme.color(forWeight: Double(value))
}

/// A difference as a shade where there is no color: ▼ ▽ for less weight, △ ▲ for more.
func deltaGlyph(_ delta: Float) -> String {
    switch delta {
    case ...(-0.2): return "▼"
    case ...(-0.02): return "▽"
    case ..<0.02: return " "
    case ..<0.2: return "△"
    default: return "▲"
    }
}

/// A token written top to bottom, one grapheme per line, cut with `…` when too long.
func verticalLabel(_ token: String, height: Int) -> [String] {
    let glyphs = token.map(String.init)
    guard glyphs.count > height else { return glyphs }
    return Array(glyphs.prefix(max(0, height - 1))) + ["…"]
}

private func pad(_ number: Int, _ digits: Int) -> String {
    let text = String(number)
    return String(repeating: " ", count: max(0, digits - text.count)) + text
}
