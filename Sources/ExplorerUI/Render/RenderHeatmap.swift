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
/// `masked` is `shownWeights(state)` when the caller already has it.
func shownValues(_ state: AppState, masked: [[Float]]?? = nil) -> (values: [[Float]], diverging: Bool)? {
    guard let masked = masked ?? shownWeights(state) else { return nil }
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

    let closures = state.closureMap
    let hatch = MaskMarking.hatchGlyph(canvas.theme)
    let ground = canvas.color(canvas.theme.maskedGround)
    // Zoomed, labels are always written across (cut to the cell): a projector's audience reads
    // words, not letters stacked top to bottom.
    let horizontal = layout.zoom || labelsFitHorizontally(tokens, columns: columns, cellWidth: layout.cellWidth)
    let vertical = horizontal ? [:] : verticalLabels(tokens, columns: columns, height: layout.columnLabelHeight)

    // Key labels: horizontal when every one in view fits its column, else top to bottom, cut
    // by `verticalLabel`'s rule. A column the mask closes for every query is hatched too.
    for key in columns {
        guard let x = layout.columnX(key, offset: state.columnOffset) else { continue }
        let column = closures.column(key)
        let selected = key == state.selectedKey
        let inSpan = state.spanAnchor != nil && state.maskTargets.contains(key)
        var attributes: CellAttributes = canvas.theme.labelAttributes
        if selected { attributes.insert(.reverse) }
        if inSpan { attributes.insert(.underline) }
        let closed = column.closedForAll
        let fg = closed ? maskedColor : (selected ? selectionColor : labelColor)
        if closed {
            for line in 0..<layout.columnLabelHeight {
                for i in 0..<layout.cellWidth {
                    // Colors: the masked ground alone keeps the letters legible; glyphs: a hatch each side.
                    let side = !canvas.usesColor && (i == 0 || i == layout.cellWidth - 1)
                    canvas.text(side ? hatch : " ", x: x + i, y: layout.columnLabelTop + line,
                                fg: maskedColor, bg: ground)
                }
            }
        }
        if horizontal {
            let text = DisplayWidth.fit(tokens[key], toWidth: layout.cellWidth - (closed ? 2 : 1), alignment: .center)
            canvas.text(text, x: x + (closed ? 1 : 0), y: layout.keyMaskRow - 1, fg: fg, bg: closed ? ground : nil, attributes: attributes)
        } else {
            let glyphs = vertical[key] ?? []
            for (line, glyph) in glyphs.enumerated() {
                let gx = x + max(0, (layout.cellWidth - DisplayWidth.of(glyph)) / 2)
                canvas.text(glyph, x: gx, y: layout.columnLabelTop + line, fg: fg, bg: closed ? ground : nil, attributes: attributes)
            }
        }
        let marker = effectiveMaskMarker(column, value: mask[key], semantics: semantics, width: layout.cellWidth)
        let shown = DisplayWidth.fit(marker, toWidth: layout.cellWidth, alignment: .center)
        canvas.text(shown, x: x, y: layout.keyMaskRow,
                    fg: column.isOpen ? canvas.color(canvas.theme.accents.dim) : maskedColor,
                    bg: closed ? ground : nil,
                    attributes: column.isOpen ? (selected ? .reverse : []) : (selected ? [.bold, .reverse] : .bold))
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

    guard let (weights, diverging) = canvas.memo.values else {
        let note = state.recomputePending || state.view == .diff ? "computing attention…" : "no attention computed"
        canvas.text(note, x: layout.gridLeft, y: layout.gridTop, fg: canvas.color(canvas.theme.accents.dim))
        return
    }
    let noKeys = Set(state.result?.queriesWithNoKeys ?? [])
    // Rows whose every allowed key is masked are filled by transformers with uniform weights
    // over every position, future ones included: their weights are drawn, not the model's hatch.
    let flaggedRows = Set(state.result?.queriesWithEveryAllowedKeyMasked ?? [])
    let fit = diverging ? ScaleFit(state.scale, weights: weights) : canvas.memo.weightFit
    for query in rows {
        guard let y = layout.rowY(query, offset: state.rowOffset) else { continue }
        let lower = layout.dense && (query - state.rowOffset) % 2 == 1
        if layout.dense && lower { continue }
        for key in columns {
            guard let x = layout.columnX(key, offset: state.columnOffset) else { continue }
            if layout.dense {
                let below = query + 1 < rows.upperBound ? query + 1 : nil
                drawDenseCell(&canvas, x: x, y: y, width: layout.cellWidth,
                              upper: mapValue(fit, weights[query][key], query: query, diverging: diverging),
                              upperClosed: closures.closure(query: query, key: key).isClosed,
                              lower: below.map { mapValue(fit, weights[$0][key], query: $0, diverging: diverging) },
                              lowerClosed: below.map { closures.closure(query: $0, key: key).isClosed } ?? false,
                              diverging: diverging)
                continue
            }
            let crossed = query == state.selectedQuery || key == state.selectedKey
            let edited = state.explorer.cellOverrides[query * state.tokenCount + key] != nil
            // The diff view hatches closed cells too: their Δ is only minus the old weight, and
            // its scale is fitted to the open cells (`diffExtent`).
            var closure = closures.closure(query: query, key: key)
            if closure == .closed(.modelCausal), flaggedRows.contains(query) { closure = .open }
            for line in 0..<layout.rowHeight {
                let middle = line == layout.rowHeight / 2
                drawCell(&canvas, x: x, y: y + line, width: layout.cellWidth,
                         value: mapValue(fit, weights[query][key], query: query, diverging: diverging), diverging: diverging,
                         closure: closure, selected: query == state.selectedQuery && key == state.selectedKey,
                         crossed: crossed && middle, noKeys: noKeys.contains(query) && middle, edited: edited && middle,
                         partialMark: middle)
            }
        }
    }
    if layout.dense, let x = layout.columnX(state.selectedKey, offset: state.columnOffset),
       let y = layout.rowY(state.selectedQuery, offset: state.rowOffset) {
        let value = mapValue(fit, weights[state.selectedQuery][state.selectedKey], query: state.selectedQuery, diverging: diverging)
        let fg = canvas.usesColor ? canvas.contrasting(on: cellColor(canvas, value, diverging)) : canvas.foreground
        canvas.text("[", x: x, y: y, fg: fg, bg: canvas.grid[x, y].background)
        canvas.text("]", x: x + layout.cellWidth - 1, y: y, fg: fg, bg: canvas.grid[x + layout.cellWidth - 1, y].background)
    }
}

/// A map value as the color scale reads it: a weight placed on the scale in use (0…1), or a
/// difference as it is.
func mapValue(_ fit: ScaleFit, _ value: Float, query: Int, diverging: Bool) -> Float {
    diverging ? value : Float(fit.position(value, query: query))
}

/// Whether every token in view fits its column written across (with a space to spare).
func labelsFitHorizontally(_ tokens: [String], columns: Range<Int>, cellWidth: Int) -> Bool {
    columns.allSatisfy { DisplayWidth.of(tokens[$0]) <= cellWidth - 1 }
}

/// One map cell. A cell the mask closes is a hatch on the neutral masked ground, whatever its
/// weight; a partly kept one carries `◐` on its weight. Open cells: the scale's color on color
/// terminals, shade glyphs elsewhere. The selected cell is bracketed (reversed when closed);
/// the selected row and column carry a centre dot (underline in shades) so the cross is
/// visible at any weight.
private func drawCell(_ canvas: inout Canvas, x: Int, y: Int, width: Int, value: Float, diverging: Bool,
                      closure: CellClosure, selected: Bool, crossed: Bool, noKeys: Bool, edited: Bool, partialMark: Bool) {
    if closure.isClosed {
        // The model's own causal mask hatches the other way, so it never reads as the user's.
        let hatch = closure == .closed(.modelCausal) ? MaskMarking.modelHatch : MaskMarking.hatchGlyph(canvas.theme)
        var glyphs = Array(repeating: hatch, count: width)
        if selected { glyphs[0] = "["; glyphs[width - 1] = "]" }
        if edited { glyphs[width / 2] = "◇" }
        if noKeys { glyphs[width / 2] = "∅" }
        var attributes: CellAttributes = selected ? [.bold, .reverse] : []
        if crossed && !canvas.usesColor { attributes.insert(.underline) }
        let fg = canvas.color(canvas.theme.accents.masked)
        let bg = canvas.color(canvas.theme.maskedGround)
        for (i, glyph) in glyphs.enumerated() { canvas.text(glyph, x: x + i, y: y, fg: fg, bg: bg, attributes: attributes) }
        return
    }
    let partial = closure.isPartial && partialMark ? MaskMarking.partialGlyph(canvas.theme) : nil
    if canvas.usesColor {
        let rgb = cellColor(canvas, value, diverging)
        let bg = rgb.cellColor
        let fg = canvas.contrasting(on: rgb)
        var glyphs = Array(repeating: " ", count: width)
        if selected {
            glyphs[0] = "["; glyphs[width - 1] = "]"
        } else if crossed {
            glyphs[width / 2] = "·"
        }
        if let partial { glyphs[width / 2] = partial }
        if edited { glyphs[width / 2] = "◆" }
        if noKeys { glyphs[width / 2] = "∅" }
        for (i, glyph) in glyphs.enumerated() { canvas.text(glyph, x: x + i, y: y, fg: fg, bg: bg) }
    } else {
        let shade = diverging ? deltaGlyph(value / canvas.deltaExtent) : canvas.theme.glyph(forWeight: Double(value))
        var glyphs = Array(repeating: shade, count: width)
        if selected { glyphs[0] = "["; glyphs[width - 1] = "]" }
        if let partial { glyphs[width / 2] = partial }
        if edited { glyphs[width / 2] = "◆" }
        if noKeys { glyphs[width / 2] = "∅" }
        let attributes: CellAttributes = selected ? .bold : (crossed ? .underline : [])
        for (i, glyph) in glyphs.enumerated() { canvas.text(glyph, x: x + i, y: y, attributes: attributes) }
    }
}

/// Two query rows in one line: `▀` painted with the upper row's color over the lower's; a
/// closed half takes the masked ground, and a cell closed in both halves is hatched.
private func drawDenseCell(_ canvas: inout Canvas, x: Int, y: Int, width: Int, upper: Float, upperClosed: Bool,
                           lower: Float?, lowerClosed: Bool, diverging: Bool) {
    let ground = canvas.theme.maskedGround.cellColor
    if upperClosed && (lowerClosed || lower == nil) {
        let hatch = MaskMarking.hatchGlyph(canvas.theme)
        for i in 0..<width { canvas.text(hatch, x: x + i, y: y, fg: canvas.theme.accents.masked.cellColor, bg: ground) }
        return
    }
    let top = upperClosed ? ground : cellColor(canvas, upper, diverging).cellColor
    let bottom = lowerClosed ? ground : (lower.map { cellColor(canvas, $0, diverging).cellColor } ?? canvas.background)
    for i in 0..<width { canvas.text("▀", x: x + i, y: y, fg: top, bg: bottom) }
}

/// A map value's color: the weight scale, or the diverging scale for differences, fitted to
/// ±`canvas.deltaExtent`.
func cellColor(_ canvas: Canvas, _ value: Float, _ diverging: Bool) -> RGB {
    diverging ? canvas.theme.color(forDelta: Double(value / canvas.deltaExtent)) : canvas.theme.color(forWeight: Double(value))
}

/// A difference as a shade where there is no color, `fraction` of the scale's end (−1…1):
/// ▼ ▽ for less weight, △ ▲ for more, blank within a twentieth of 0.
func deltaGlyph(_ fraction: Float) -> String {
    switch fraction {
    case ...(-0.5): return "▼"
    case ...(-0.05): return "▽"
    case ..<0.05: return " "
    case ..<0.5: return "△"
    default: return "▲"
    }
}

/// A token written top to bottom, one grapheme per line. Too long, it keeps its start and a
/// `…` ("qu…"); a special token drops its brackets first ("[CLS]" → "CLS"). When two tokens
/// in view would be cut alike, `distinct` keeps their last grapheme instead ("q…k"), so the
/// labels stay apart.
func verticalLabel(_ token: String, height: Int, distinct: Bool = false) -> [String] {
    var glyphs = token.map(String.init)
    guard glyphs.count > height else { return glyphs }
    if glyphs.count > 2, glyphs.first == "[", glyphs.last == "]" {
        glyphs = Array(glyphs.dropFirst().dropLast())
        guard glyphs.count > height else { return glyphs }
    }
    guard height >= 3, distinct, let last = glyphs.last else { return Array(glyphs.prefix(max(0, height - 1))) + ["…"] }
    return Array(glyphs.prefix(height - 2)) + ["…", last]
}

/// The vertical labels of the key columns in view: cut by `verticalLabel`, and where two
/// different tokens would read the same, cut again keeping their ends.
func verticalLabels(_ tokens: [String], columns: Range<Int>, height: Int) -> [Int: [String]] {
    var labels: [Int: [String]] = [:]
    var owners: [[String]: Set<String>] = [:]
    for key in columns {
        let label = verticalLabel(tokens[key], height: height)
        labels[key] = label
        owners[label, default: []].insert(tokens[key])
    }
    for key in columns {
        guard let label = labels[key], let tokensAlike = owners[label], tokensAlike.count > 1 else { continue }
        labels[key] = verticalLabel(tokens[key], height: height, distinct: true)
    }
    return labels
}

private func pad(_ number: Int, _ digits: Int) -> String {
    let text = String(number)
    return String(repeating: " ", count: max(0, digits - text.count)) + text
}
