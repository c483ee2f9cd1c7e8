import AttentionCore
import Foundation

/// The main area's region: from the key labels down to the legend.
func mainArea(_ layout: Layout) -> CellRect {
    CellRect(x: 0, y: layout.columnLabelTop, width: layout.width, height: max(0, layout.legendRow - layout.columnLabelTop))
}

/// Clears the main area for a view drawn over all of it, and gives the result it shows, or nil
/// with "computing attention…" in its place until one for these tokens is in.
func clearMainArea(_ canvas: inout Canvas, _ layout: Layout) -> ForwardResult? {
    canvas.grid.fill(mainArea(layout), with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    guard let result = canvas.state.result, result.attention.length == canvas.state.tokenCount else {
        note(&canvas, "computing attention…", layout)
        return nil
    }
    return result
}

func note(_ canvas: inout Canvas, _ text: String, _ layout: Layout) {
    canvas.text(text, x: 2, y: layout.columnLabelTop + 1, fg: canvas.color(canvas.theme.accents.dim), maxWidth: layout.width - 4)
}

/// "Mass moved" per query row in the diff view: ½ Σ|masked − unmasked|, the share of the
/// row's attention that the mask sent elsewhere (0 = nothing changed, 1 = all of it).
func massMoved(_ deltas: [Float]) -> Float { deltas.reduce(0) { $0 + abs($1) } / 2 }

func renderDiffPanel(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    guard let (deltas, _) = canvas.memo.values else { return }
    // The column goes right of the map, in the gap before the detail panel when there is
    // one (the panel then keeps the selected cell's Δ and its row's mass moved).
    let gridEnd = layout.gridLeft + layout.visibleColumns * layout.cellWidth
    let x = gridEnd + (layout.panelBeside ? 1 : 2)
    let right = layout.panelBeside ? layout.panel.x - 1 : layout.width
    guard x + 5 <= right else { return }
    canvas.grid.fill(CellRect(x: x, y: layout.columnLabelTop, width: right - x, height: layout.legendRow - layout.columnLabelTop),
                     with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    let label = canvas.color(canvas.theme.accents.label)
    if right - x >= 10 {
        canvas.text("mass moved", x: x, y: layout.keyMaskRow, fg: label, attributes: .bold)
    } else {
        canvas.text("mass", x: x, y: layout.keyMaskRow - 1, fg: label, attributes: .bold)
        canvas.text("moved", x: x, y: layout.keyMaskRow, fg: label, attributes: .bold)
    }
    for query in state.rowOffset ..< min(state.tokenCount, state.rowOffset + layout.visibleRows) {
        guard let y = layout.rowY(query, offset: state.rowOffset), !(layout.dense && (query - state.rowOffset) % 2 == 1) else { continue }
        let moved = massMoved(deltas[query])
        canvas.text(String(format: "%.3f", Double(moved)), x: x, y: y + (layout.rowHeight - 1) / 2,
                    attributes: query == state.selectedQuery ? .reverse : [])
    }
}

/// The diff view's scale end: the largest |Δ| among the open cells on screen (closed cells
/// lost all their weight and carry the mask's mark instead), so the usual ±0.05–0.3 changes
/// use the whole diverging range; 1e-6 when nothing changed.
func diffExtent(_ state: AppState, values: (values: [[Float]], diverging: Bool)?? = nil) -> Float {
    guard let (deltas, diverging) = values ?? shownValues(state), diverging else { return 1 }
    let layout = Layout(state: state)
    let count = state.tokenCount
    let rows = state.rowOffset..<min(count, state.rowOffset + layout.visibleRows)
    let columns = state.columnOffset..<min(count, state.columnOffset + layout.visibleColumns)
    guard !rows.isEmpty, !columns.isEmpty else { return 1 }
    return deltaExtent(deltas, marks: MaskMarks(state.explorer), rows: rows, columns: columns)
}

func renderDiffLegend(_ canvas: inout Canvas, layout: Layout) {
    let y = layout.legendRow
    let dim = canvas.color(canvas.theme.accents.dim)
    let extent = Double(canvas.deltaExtent)
    let end = formatScale(extent)
    var x = canvas.text(" Δ −\(end) ", x: 0, y: y, fg: dim)
    let steps = layout.width >= 100 ? 21 : 11
    for i in 0..<steps {
        let fraction = Double(i) / Double(steps - 1) * 2 - 1
        if canvas.usesColor {
            canvas.text(" ", x: x + i, y: y, bg: canvas.theme.color(forDelta: fraction).cellColor)
        } else {
            canvas.text(deltaGlyph(Float(fraction)), x: x + i, y: y)
        }
    }
    x += steps
    canvas.text(" +\(end)  masked − unmasked, fitted to the largest |Δ| on screen · mass moved = ½ Σ|Δ| of the row", x: x, y: y, fg: dim,
                maxWidth: layout.width - x)
}

/// The selected query row's softmax, stage by stage: raw score, mask bias, biased score,
/// exp(x − max) and weight, one key per line.
func renderMath(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    guard let result = clearMainArea(&canvas, layout) else { return }
    guard !state.meanOfHeads else {
        note(&canvas, "the math view follows one head: press a to leave the mean of heads", layout)
        return
    }
    guard let math = try? SoftmaxBreakdown(result: result, tokens: state.tokens, layer: state.layer, head: state.head, query: state.selectedQuery) else { return }
    let label = canvas.color(canvas.theme.accents.label)
    let title = "query \(math.query) \(state.tokens[math.query]) · layer \(math.layer) head \(math.head) · \(state.explorer.semantics.rawValue): \(state.explorer.semantics.summary)"
    canvas.text(title, x: 1, y: area.y, fg: label, attributes: .bold, maxWidth: area.width - 2)
    let columns = ["key", "token", "q·k/√d", "+ bias", "= biased", "exp(x−max)", "weight"]
    let widths = [4, 12, 9, 14, 14, 11, 8]
    func row(_ cells: [String], y: Int, attributes: CellAttributes = [], fg: CellColor? = nil) {
        var x = 1
        for (column, (cell, width)) in zip(cells, widths).enumerated() {
            // The token column (1) reads left to right; numbers align on the right.
            let aligned = column == 1 ? DisplayWidth.fit(cell, toWidth: width) : DisplayWidth.fit(cell, toWidth: width, alignment: .right)
            canvas.text(aligned, x: x, y: y, fg: fg, attributes: attributes, maxWidth: area.width - x)
            x += width + 1
        }
    }
    row(columns, y: area.y + 1, attributes: .bold, fg: label)
    let visible = max(0, area.height - 4)
    let first = max(0, min(state.selectedKey - visible / 2, state.tokenCount - visible))
    for (line, key) in (first ..< min(state.tokenCount, first + visible)).enumerated() {
        let cells = [String(key), state.tokens[key], number(math.scores[key]), number(math.bias[key]),
                     number(math.biased[key]), number(math.exp[key]), String(format: "%.4f", Double(math.weights[key]))]
        row(cells, y: area.y + 2 + line, attributes: key == state.selectedKey ? .reverse : [])
    }
    let footer = math.hasNoKeys
        ? "every key has bias −∞: softmax is undefined, so the row is all zeros"
        : "row max \(number(math.rowMax)) · Σ exp = \(number(math.sum)) · weight = exp(x − max) / Σ exp"
    canvas.text(footer, x: 1, y: area.y + area.height - 1, fg: canvas.color(canvas.theme.accents.dim), maxWidth: area.width - 2)
}

/// Numbers for the math view: −∞ and float32's lowest spelled out, others to 4 decimals. A zero
/// bias is +0 or −0 depending on the semantics' formula (hf4's (1 − m)·lowest gives −0 for m = 1);
/// both read "0.0000".
func number(_ value: Float) -> String {
    if value == -.infinity { return "−∞" }
    if value == 0 { return "0.0000" }
    if abs(value) >= 1e30 { return String(format: "%.2e", Double(value)) }
    return String(format: "%.4f", Double(value))
}

/// Every layer × head as a small map; the selected one framed. ←→ pick a head, ↑↓ a layer,
/// Enter opens it.
func renderOverview(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    guard let result = clearMainArea(&canvas, layout) else { return }
    let maps = result.attention
    let label = canvas.color(canvas.theme.accents.label)
    let accent = canvas.color(canvas.theme.accents.selection)
    let labelWidth = 4
    let tileWidth = max(3, (area.width - labelWidth) / maps.headCount)
    let tileHeight = max(2, (area.height - 1) / maps.layerCount)
    let inner = (width: tileWidth - 1, height: tileHeight - 1)
    let closures = state.closureMap
    let hatch = MaskMarking.hatchGlyph(canvas.theme)
    for head in 0..<maps.headCount {
        // Grouped-query heads name the key/value head they read (h0 kv0 … h3 kv1 on SmolLM2).
        let attentionShape = state.explorer.model.description.attention
        let group = attentionShape.groupSize > 1 ? " kv\(attentionShape.keyValueHead(of: head))" : ""
        let selected = head == state.head
        canvas.text("h\(head)" + group, x: labelWidth + head * tileWidth, y: area.y, fg: selected ? accent : label,
                    attributes: selected ? [.bold, .reverse] : [], maxWidth: tileWidth - 1)
    }
    // Rows of tiles between the head labels and the "selected:" line; when not every layer
    // fits (30 on SmolLM2 at 40 lines), the window follows the selected layer.
    let visibleLayers = max(1, min(maps.layerCount, (area.height - 2) / tileHeight))
    let firstLayer = max(0, min(state.layer - visibleLayers / 2, maps.layerCount - visibleLayers))
    // Every tile shares one pixel grid: which queries and keys each pixel covers, and whether
    // the mask closes all of its cells (the same for every layer and head).
    let pixelRows = canvas.usesColor ? inner.height * 2 : inner.height
    let pixels = OverviewPixels(length: maps.length, rows: pixelRows, columns: inner.width, closures: closures)
    for layer in firstLayer..<(firstLayer + visibleLayers) {
        let y0 = area.y + 1 + (layer - firstLayer) * tileHeight
        guard y0 + inner.height <= area.y + area.height - 1 else { break }
        canvas.text("L\(layer)", x: 0, y: y0, fg: layer == state.layer ? accent : label,
                    attributes: layer == state.layer ? [.bold, .reverse] : [])
        for head in 0..<maps.headCount {
            let x0 = labelWidth + head * tileWidth
            let selected = layer == state.layer && head == state.head
            let means = pixels.means(of: maps, layer: layer, head: head, scale: state.scale)
            func pixel(_ px: Int, _ py: Int) -> (value: Float, closed: Bool) {
                (means[py * inner.width + px], pixels.closed[py * inner.width + px])
            }
            for line in 0..<inner.height {
                for px in 0..<inner.width {
                    if canvas.usesColor {
                        let upper = pixel(px, line * 2), lower = pixel(px, line * 2 + 1)
                        if upper.closed && lower.closed {
                            canvas.text(hatch, x: x0 + px, y: y0 + line, fg: canvas.color(canvas.theme.accents.masked),
                                        bg: canvas.color(canvas.theme.maskedGround))
                            continue
                        }
                        let top = upper.closed ? canvas.theme.maskedGround.cellColor : canvas.theme.color(forWeight: Double(upper.value)).cellColor
                        let bottom = lower.closed ? canvas.theme.maskedGround.cellColor : canvas.theme.color(forWeight: Double(lower.value)).cellColor
                        canvas.text("▀", x: x0 + px, y: y0 + line, fg: top, bg: bottom)
                    } else {
                        let shown = pixel(px, line)
                        canvas.text(shown.closed ? hatch : canvas.theme.glyph(forWeight: Double(shown.value)), x: x0 + px, y: y0 + line,
                                    attributes: selected ? .bold : [])
                    }
                }
            }
            if selected {
                // A frame in the selection color on the tile's free right column and bottom line.
                for line in 0..<inner.height { canvas.text("▌", x: x0 + inner.width, y: y0 + line, fg: accent) }
                canvas.text(String(repeating: "▀", count: inner.width) + "▘", x: x0, y: y0 + inner.height, fg: accent)
            }
        }
    }
    let info = state.explorer.model.info
    let name = info.headNames != nil ? " " + info.headName(layer: state.layer, head: state.head) : ""
    let window = visibleLayers < maps.layerCount
        ? " (L\(firstLayer)–L\(firstLayer + visibleLayers - 1) of \(maps.layerCount))" : ""
    canvas.text("selected: layer \(state.layer) head \(state.head)\(name)\(window) — ←→ head, ↑↓ layer, Enter opens, o or Esc closes",
                x: 0, y: area.y + area.height - 1, fg: label, maxWidth: area.width)
}

/// How the mask changes what the model produces, against the unmasked run.
func renderEffect(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    canvas.grid.fill(area, with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    guard let result = state.result, state.comparisonGeneration == state.generation, let comparison = state.comparison,
          result.attention.length == state.tokenCount else {
        note(&canvas, "computing the unmasked run…", layout)
        return
    }
    if state.explorer.model.causalLMHead != nil {
        renderNextTokenEffect(&canvas, area: area, effect: comparison.nextToken)
        return
    }
    let effect = comparison.effect
    let label = canvas.color(canvas.theme.accents.label)
    var y = area.y
    canvas.text("Output effect: this mask against no mask (all ones), same text", x: 1, y: y, fg: label, attributes: .bold, maxWidth: area.width - 2)
    y += 1
    canvas.text(String(format: "sentence embedding (mean of last hidden states): cosine %.4f", Double(effect.sentenceCosine)),
                x: 1, y: y, maxWidth: area.width - 2)
    y += 2
    canvas.text("each token's last hidden state, cosine to the unmasked run:", x: 1, y: y, fg: label, maxWidth: area.width - 2)
    y += 1
    let barWidth = max(5, min(30, area.width - 30))
    let visible = max(0, area.y + area.height - y - (effect.maskPredictions.isEmpty ? 1 : 4))
    let digits = String(max(0, state.tokenCount - 1)).count
    for (position, cosine) in effect.tokenCosines.enumerated().prefix(visible) {
        // Positions right-aligned so every token starts in one column.
        let number = String(repeating: " ", count: max(0, digits - String(position).count)) + String(position)
        let token = DisplayWidth.fit("\(number) \(state.tokens[position])", toWidth: 16)
        let filled = Int((Double(max(0, cosine)) * Double(barWidth)).rounded())
        canvas.text(token, x: 1, y: y)
        canvas.text(String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled), x: 18, y: y,
                    fg: canvas.color(canvas.theme.color(forWeight: Double(max(0, cosine)))))
        canvas.text(String(format: " %.4f", Double(cosine)), x: 18 + barWidth, y: y)
        y += 1
    }
    if !effect.hasMaskedLMHead {
        canvas.text("(this checkpoint has no masked-LM head, so there are no [MASK] predictions to compare)", x: 1, y: area.y + area.height - 1,
                    fg: canvas.color(canvas.theme.accents.dim), maxWidth: area.width - 2)
    } else if effect.maskPredictions.isEmpty {
        canvas.text("put \(effect.maskToken) in the text (e) to see the model's predictions there before and after", x: 1, y: area.y + area.height - 1,
                    fg: canvas.color(canvas.theme.accents.dim), maxWidth: area.width - 2)
    } else {
        for prediction in effect.maskPredictions.prefix(max(0, area.y + area.height - y - 1)) {
            let before = state.shownPredictions(prediction.before)
            let after = state.shownPredictions(prediction.after)
            y += 1
            canvas.text("\(effect.tokens[prediction.position]) at \(prediction.position): before \(before)", x: 1, y: y, maxWidth: area.width - 2)
            y += 1
            canvas.text("                 after  \(after)", x: 1, y: y, maxWidth: area.width - 2)
        }
    }
}

/// A decoder's output effect: the next-token top-5 after the selected query position (the
/// last token until a query row is chosen) with nothing masked (the model's causal mask only)
/// and with the mask, side by side, and KL(before ‖ after). Everything shown was computed in
/// the background (`Comparison.nextToken`); while the one for a newly selected query is on its
/// way, the view says so rather than showing another position's numbers.
private func renderNextTokenEffect(_ canvas: inout Canvas, area: CellRect, effect: NextTokenEffect?) {
    let state = canvas.state
    let label = canvas.color(canvas.theme.accents.label)
    guard let effect, effect.position == state.effectQuery else {
        canvas.text("computing the next-token predictions after position \(state.effectQuery)…", x: 1, y: area.y, fg: label,
                    maxWidth: area.width - 2)
        return
    }
    let tokenizer = state.explorer.model.tokenizer
    let query = effect.position < state.tokenCount ? state.tokens[effect.position] : ""
    var y = area.y
    canvas.text("Next token after position \(effect.position) (\(query)): no mask vs this mask", x: 1, y: y, fg: label,
                attributes: .bold, maxWidth: area.width - 2)
    y += 2
    let column = max(24, (area.width - 4) / 2)
    canvas.text("before (causal mask only)", x: 1, y: y, fg: label, maxWidth: column - 1)
    canvas.text("after (this mask)", x: 2 + column, y: y, fg: label, maxWidth: column - 1)
    y += 1
    let barWidth = max(5, min(20, column - 22))
    for rank in 0..<max(effect.before.count, effect.after.count) where y < area.y + area.height - 2 {
        for (side, list) in [(0, effect.before), (1, effect.after)] where rank < list.count {
            let candidate = list[rank]
            let x = side == 0 ? 1 : 2 + column
            let token = DisplayWidth.fit(tokenizer.displayForm(of: candidate.token), toWidth: 12)
            let filled = Int((candidate.probability * Double(barWidth)).rounded())
            canvas.text(token, x: x, y: y)
            canvas.text(String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled), x: x + 13, y: y,
                        fg: canvas.color(canvas.theme.color(forWeight: candidate.probability)))
            canvas.text(String(format: " %.3f", candidate.probability), x: x + 13 + barWidth, y: y)
        }
        y += 1
    }
    y += 1
    canvas.text(String(format: "KL(before ‖ after) = %.4f nats", effect.klDivergence), x: 1, y: y, maxWidth: area.width - 2)
    if y + 1 < area.y + area.height {
        canvas.text("↑/↓ choose the query position to predict after", x: 1, y: y + 1, fg: canvas.color(canvas.theme.accents.dim),
                    maxWidth: area.width - 2)
    }
}
