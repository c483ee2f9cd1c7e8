import AttentionCore
import Foundation

/// The main area's region: from the key labels down to the legend.
func mainArea(_ layout: Layout) -> CellRect {
    CellRect(x: 0, y: layout.columnLabelTop, width: layout.width, height: max(0, layout.legendRow - layout.columnLabelTop))
}

private func note(_ canvas: inout Canvas, _ text: String, _ layout: Layout) {
    canvas.text(text, x: 2, y: layout.columnLabelTop + 1, fg: canvas.color(canvas.theme.accents.dim), maxWidth: layout.width - 4)
}

/// "Mass moved" per query row in the diff view: ½ Σ|masked − unmasked|, the share of the
/// row's attention that the mask sent elsewhere (0 = nothing changed, 1 = all of it).
func massMoved(_ deltas: [Float]) -> Float { deltas.reduce(0) { $0 + abs($1) } / 2 }

func renderDiffPanel(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    guard let (deltas, _) = shownValues(state) else { return }
    let x = layout.panelBeside ? layout.panel.x : layout.gridLeft + layout.visibleColumns * layout.cellWidth + 2
    guard x + 12 <= layout.width else { return }
    canvas.grid.fill(CellRect(x: x, y: layout.columnLabelTop, width: layout.width - x, height: layout.legendRow - layout.columnLabelTop))
    let label = canvas.color(canvas.theme.accents.label)
    canvas.text("mass moved", x: x, y: layout.keyMaskRow, fg: label, attributes: .bold)
    canvas.text("masked − unmasked", x: x, y: layout.columnLabelTop, fg: label, maxWidth: layout.width - x)
    for query in state.rowOffset ..< min(state.tokenCount, state.rowOffset + layout.visibleRows) {
        guard let y = layout.rowY(query, offset: state.rowOffset), !(layout.dense && (query - state.rowOffset) % 2 == 1) else { continue }
        let moved = massMoved(deltas[query])
        canvas.text(String(format: "%.3f", Double(moved)), x: x, y: y + (layout.rowHeight - 1) / 2,
                    attributes: query == state.selectedQuery ? .reverse : [])
    }
}

func renderDiffLegend(_ canvas: inout Canvas, layout: Layout) {
    let y = layout.legendRow
    let dim = canvas.color(canvas.theme.accents.dim)
    var x = canvas.text(" Δ −1 ", x: 0, y: y, fg: dim)
    let steps = 21
    for i in 0..<steps {
        let delta = Double(i) / Double(steps - 1) * 2 - 1
        if canvas.usesColor {
            canvas.text(" ", x: x + i, y: y, bg: canvas.theme.color(forDelta: delta).cellColor)
        } else {
            canvas.text(deltaGlyph(Float(delta)), x: x + i, y: y)
        }
    }
    x += steps
    canvas.text(" +1   masked minus unmasked weight · mass moved = ½ Σ|Δ| of the row", x: x, y: y, fg: dim, maxWidth: layout.width - x)
}

/// hf, hf4 and soft side by side for the current layer and head: the picture that answers
/// "what does 0.5 mean?".
func renderCompare(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    canvas.grid.fill(area, with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    guard state.comparisonGeneration == state.generation, let comparison = state.comparison else {
        note(&canvas, "computing the unmasked run and hf, hf4, soft…", layout)
        return
    }
    let count = state.tokenCount
    let labelWidth = layout.rowLabelWidth
    let gap = 2
    let panels = comparison.bySemantics.count
    let cellWidth = max(1, min(4, (layout.width - labelWidth - gap * panels) / max(1, panels * count)))
    let mapWidth = cellWidth * count
    let top = area.y + 2
    let rows = max(0, min(count - state.rowOffset, area.height - 3))
    let label = canvas.color(canvas.theme.accents.label)
    for query in state.rowOffset ..< state.rowOffset + rows {
        let digits = String(max(0, count - 1)).count
        let number = String(repeating: " ", count: max(0, digits - String(query).count)) + String(query)
        let text = DisplayWidth.fit("\(number) \(state.tokens[query])", toWidth: labelWidth - 1)
        canvas.text(text, x: 0, y: top + query - state.rowOffset, fg: label,
                    attributes: query == state.selectedQuery ? .reverse : [])
    }
    for (index, entry) in comparison.bySemantics.enumerated() {
        let x0 = labelWidth + index * (mapWidth + gap)
        guard x0 < layout.width else { break }
        let current = entry.semantics == state.explorer.semantics
        canvas.text(entry.semantics.rawValue + (current ? " (current)" : ""), x: x0, y: area.y, fg: label,
                    attributes: current ? [.bold, .underline] : .bold, maxWidth: mapWidth)
        canvas.text(DisplayWidth.truncate(entry.semantics.shortSummary, toWidth: mapWidth), x: x0, y: area.y + 1,
                    fg: canvas.color(canvas.theme.accents.dim), maxWidth: mapWidth)
        guard let weights = weights(of: entry.result, state) else { continue }
        for query in state.rowOffset ..< state.rowOffset + rows {
            for key in 0..<count {
                let x = x0 + key * cellWidth
                guard x + cellWidth <= layout.width else { break }
                let w = weights[query][key]
                let y = top + query - state.rowOffset
                if canvas.usesColor {
                    canvas.text(String(repeating: " ", count: cellWidth), x: x, y: y, bg: canvas.theme.color(forWeight: Double(w)).cellColor)
                } else {
                    canvas.text(String(repeating: canvas.theme.glyph(forWeight: Double(w)), count: cellWidth), x: x, y: y)
                }
            }
        }
    }
}

/// The selected query row's softmax, stage by stage: raw score, mask bias, biased score,
/// exp(x − max) and weight, one key per line.
func renderMath(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    canvas.grid.fill(area, with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    guard let result = state.result, result.attention.length == state.tokenCount else {
        note(&canvas, "computing attention…", layout)
        return
    }
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

/// Numbers for the math view: −∞ and float32's lowest spelled out, others to 4 decimals.
func number(_ value: Float) -> String {
    if value == -.infinity { return "−∞" }
    if abs(value) >= 1e30 { return String(format: "%.2e", Double(value)) }
    return String(format: "%.4f", Double(value))
}

/// Every layer × head as a small map; the selected one framed. ←→ pick a head, ↑↓ a layer,
/// Enter opens it.
func renderOverview(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    canvas.grid.fill(area, with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    guard let result = state.result, result.attention.length == state.tokenCount else {
        note(&canvas, "computing attention…", layout)
        return
    }
    let maps = result.attention
    let label = canvas.color(canvas.theme.accents.label)
    let labelWidth = 4
    let tileWidth = max(3, (area.width - labelWidth) / maps.headCount)
    let tileHeight = max(2, (area.height - 1) / maps.layerCount)
    let inner = (width: tileWidth - 1, height: tileHeight - 1)
    for head in 0..<maps.headCount {
        // Grouped-query heads name the key/value head they read (h0 kv0 … h3 kv1 on SmolLM2).
        let attentionShape = state.explorer.model.description.attention
        let group = attentionShape.groupSize > 1 ? " kv\(attentionShape.keyValueHead(of: head))" : ""
        canvas.text("h\(head)" + group, x: labelWidth + head * tileWidth, y: area.y, fg: label, maxWidth: tileWidth - 1)
    }
    for layer in 0..<maps.layerCount {
        let y0 = area.y + 1 + layer * tileHeight
        guard y0 + inner.height <= area.y + area.height else { break }
        canvas.text("L\(layer)", x: 0, y: y0, fg: label)
        for head in 0..<maps.headCount {
            let x0 = labelWidth + head * tileWidth
            let selected = layer == state.layer && head == state.head
            // Each tile pixel averages the block of weights it covers; colors use ▀ for two
            // pixel rows per line.
            let pixelRows = canvas.usesColor ? inner.height * 2 : inner.height
            func pixel(_ px: Int, _ py: Int) -> Float {
                let q0 = py * maps.length / pixelRows, q1 = max(q0 + 1, (py + 1) * maps.length / pixelRows)
                let k0 = px * maps.length / inner.width, k1 = max(k0 + 1, (px + 1) * maps.length / inner.width)
                var sum: Float = 0, n: Float = 0
                for q in q0..<min(q1, maps.length) {
                    for k in k0..<min(k1, maps.length) { sum += maps.weight(layer: layer, head: head, query: q, key: k); n += 1 }
                }
                return n > 0 ? sum / n : 0
            }
            for line in 0..<inner.height {
                for px in 0..<inner.width {
                    if canvas.usesColor {
                        let top = canvas.theme.color(forWeight: Double(pixel(px, line * 2))).cellColor
                        let bottom = canvas.theme.color(forWeight: Double(pixel(px, line * 2 + 1))).cellColor
                        canvas.text("▀", x: x0 + px, y: y0 + line, fg: top, bg: bottom)
                    } else {
                        canvas.text(canvas.theme.glyph(forWeight: Double(pixel(px, line))), x: x0 + px, y: y0 + line,
                                    attributes: selected ? .bold : [])
                    }
                }
            }
            if selected {
                let accent = canvas.color(canvas.theme.accents.selection)
                canvas.text("▕", x: x0 - 1 >= labelWidth - 1 ? x0 - 1 : x0, y: y0, fg: accent)
                canvas.text("◀", x: x0 + inner.width, y: y0, fg: accent, attributes: .bold)
            }
        }
    }
    let name = state.explorer.model.info.headName(layer: state.layer, head: state.head)
    canvas.text("selected: layer \(state.layer) head \(state.head) \(name) — ←→ head, ↑↓ layer, Enter opens, o closes",
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
    for (position, cosine) in effect.tokenCosines.enumerated().prefix(visible) {
        let token = DisplayWidth.fit("\(position) \(state.tokens[position])", toWidth: 16)
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
        canvas.text("put [MASK] in the text (e) to see the model's predictions there before and after", x: 1, y: area.y + area.height - 1,
                    fg: canvas.color(canvas.theme.accents.dim), maxWidth: area.width - 2)
    } else {
        for prediction in effect.maskPredictions.prefix(max(0, area.y + area.height - y - 1)) {
            let before = prediction.before.map { "\($0.token) \(String(format: "%.2f", Double($0.probability)))" }.joined(separator: ", ")
            let after = prediction.after.map { "\($0.token) \(String(format: "%.2f", Double($0.probability)))" }.joined(separator: ", ")
            y += 1
            canvas.text("\(effect.tokens[prediction.position]) at \(prediction.position): before \(before)", x: 1, y: y, maxWidth: area.width - 2)
            y += 1
            canvas.text("                 after  \(after)", x: 1, y: y, maxWidth: area.width - 2)
        }
    }
}

/// A decoder's output effect: the next-token top-5 after the last token with nothing masked
/// (the model's causal mask only) and with the mask, side by side, and KL(before ‖ after).
/// Everything shown was computed in the background (`Comparison.nextToken`).
private func renderNextTokenEffect(_ canvas: inout Canvas, area: CellRect, effect: NextTokenEffect?) {
    let state = canvas.state
    let label = canvas.color(canvas.theme.accents.label)
    guard let effect else {
        canvas.text("computing the next-token predictions…", x: 1, y: area.y, fg: label, maxWidth: area.width - 2)
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
}
