import AttentionCore
import Foundation

func renderTokenStrip(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let strip = state.tokenStrip
    let semantics = state.explorer.semantics
    let dim = canvas.color(canvas.theme.accents.dim)
    if strip.hiddenBefore { canvas.text("…", x: 0, y: layout.tokenRow, fg: dim) }
    let closures = state.closureMap
    let patterned = state.explorer.pattern != .none || !state.explorer.cellOverrides.isEmpty
    for placement in strip.placements {
        let position = placement.position
        let value = state.explorer.mask[position]
        // A key the pattern closes for every query (padding:K, say) reads as masked here too.
        let column = patterned ? closures.column(position) : nil
        let closedForAll = column?.closedForAll ?? false
        let keyState = closedForAll ? KeyMaskState.masked : semantics.keyState(for: value)
        let selected = position == state.selectedKey
        let inSpan = state.spanAnchor != nil && state.maskTargets.contains(position)
        var attributes: CellAttributes = canvas.theme.labelAttributes
        if selected { attributes.insert(.reverse) }
        if inSpan { attributes.insert(.underline) }
        if keyState == .masked { attributes.insert(.dim) }
        let fg: CellColor = keyState == .kept || keyState == .boosted
            ? (selected ? canvas.color(canvas.theme.accents.selection) : canvas.foreground)
            : canvas.color(canvas.theme.accents.masked)
        canvas.text(DisplayWidth.pad(state.tokens[position], toWidth: placement.width), x: placement.x, y: layout.tokenRow,
                    fg: fg, attributes: attributes)
        var marker = maskMarker(value, semantics)
        if let column, column.closedForAll { marker = effectiveMaskMarker(column, value: value, semantics: semantics) }
        canvas.text(DisplayWidth.pad(marker, toWidth: placement.width), x: placement.x,
                    y: layout.tokenMaskRow, fg: keyState == .kept ? dim : canvas.color(canvas.theme.accents.masked),
                    attributes: keyState == .kept ? [] : .bold)
    }
    if strip.hiddenAfter(count: state.tokenCount) {
        canvas.text("…", x: layout.width - 1, y: layout.tokenRow, fg: dim)
    }
}

/// A mask value as the explorer labels it: `×` before a value that masks the key, `~` before
/// one that weakens it, `+` before one that boosts it, so the state reads without color.
func maskMarker(_ value: Float, _ semantics: MaskSemantics) -> String {
    let shown = MaskValueFormat.short(value)
    switch semantics.keyState(for: value) {
    case .masked: return "×" + shown
    case .partial: return "~" + shown
    case .boosted: return "+" + shown
    case .kept: return shown
    }
}

/// The numbers behind the selected cell: the query → key pair, its weight, raw score, mask
/// bias and the row's entropy, then the head's design and the selected token's mask effect.
/// `memo` is the frame's while drawing, so the shown map is not built again.
func detailLines(_ state: AppState, memo: FrameMemo? = nil) -> [(label: String, value: String)] {
    let tokens = state.tokens
    let q = state.selectedQuery, k = state.selectedKey
    let semantics = state.explorer.semantics
    // The cell's own value: the key's mask through the pattern and any cell-mode edit.
    let value = state.explorer.cellMaskValue(query: q, key: k)
    var lines: [(String, String)] = [("query → key", "\(q) \(tokens[q]) → \(k) \(tokens[k])")]
    let memo = memo ?? FrameMemo(state: state)
    guard let result = state.result, result.attention.length == tokens.count, let weights = memo.weights else {
        return lines + [("weight", "computing…")]
    }
    let row = weights[q]
    lines.append(("weight", String(format: "%.4f", Double(row[k]))))
    if state.view == .diff, let (deltas, _) = memo.values {
        let before = weights[q][k] - deltas[q][k]
        lines.append(("Δ vs unmasked", String(format: "%+.4f (%.4f → %.4f)", Double(deltas[q][k]), Double(before), Double(weights[q][k]))))
        lines.append(("mass moved in row \(q)", String(format: "%.3f of its attention", Double(massMoved(deltas[q])))))
    }
    let bias = result.bias.values[q * tokens.count + k]
    if state.meanOfHeads {
        lines.append(("raw score", "— (mean of heads)"))
    } else {
        let raw = result.rawScores(layer: min(state.layer, result.attention.layerCount - 1), head: state.head, query: q)[k]
        lines.append(("raw score q·k/√d", String(format: "%.3f", Double(raw))))
    }
    lines.append(("mask bias", formatBias(bias)))
    let closure = state.closureMap.closure(query: q, key: k)
    lines.append(("cell", closure.explanation))
    lines.append(("mask value", semantics.effect(of: value)))
    let entropy = row.reduce(0.0) { $0 - ($1 > 0 ? Double($1) * log2(Double($1)) : 0) }
    let open = row.filter { $0 > 0 }.count
    lines.append(("row entropy", String(format: "%.2f bits (max %.2f over %d keys)", entropy, log2(Double(max(1, open))), open)))
    if !result.queriesWithNoKeys.contains(q), closure.isClosed, state.closureMap.rowIsFullyClosed(query: q) {
        lines.append(("warning", "every key of this row is closed: the finite masking bias cancels out, so softmax spreads the row evenly (as transformers does)"))
    }
    if result.queriesWithNoKeys.contains(q) {
        lines.append(("warning", "every key of this row is masked: softmax is undefined, the row is all 0"))
    }
    if let design = state.explorer.model.info.headDesigns, !state.meanOfHeads,
       state.layer < design.count, state.head < design[state.layer].count {
        lines.append(("head design", design[state.layer][state.head]))
    }
    return lines
}

func formatBias(_ bias: Float) -> String {
    if bias == -.infinity { return "−∞" }
    if bias == 0 { return "0" }
    if abs(bias) >= 1e30 { return String(format: "%.3g (float32 lowest%@)", Double(bias), bias == -Float.greatestFiniteMagnitude ? "" : " × \(MaskValueFormat.short(bias / -Float.greatestFiniteMagnitude))") }
    return String(format: "%.3f", Double(bias))
}

func renderDetail(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let document = canvas.chrome == .document
    let lines = document ? maskEffectLines(state) : detailLines(state, memo: canvas.memo)
    let rect = layout.panel
    guard rect.width > 0, rect.height > 0 else { return }
    let labelColor = canvas.color(canvas.theme.accents.label)
    if layout.panelBeside {
        var y = rect.y
        canvas.text(document ? "Mask" : "Selected cell", x: rect.x, y: y, fg: labelColor, attributes: .bold)
        y += 1
        for (label, value) in lines {
            guard y < rect.y + rect.height else { break }
            canvas.text(label, x: rect.x, y: y, fg: labelColor, attributes: canvas.theme.labelAttributes)
            y += 1
            for piece in wrap(value, width: rect.width - 2) {
                guard y < rect.y + rect.height else { break }
                canvas.text(piece, x: rect.x + 2, y: y)
                y += 1
            }
        }
    } else if document {
        let effects = lines.map { "\($0.label) \($0.value)" }.joined(separator: " │ ")
        for (i, piece) in wrap(effects, width: rect.width - 1).prefix(rect.height).enumerated() {
            canvas.text(" " + piece, x: rect.x, y: rect.y + i, fg: labelColor, maxWidth: rect.width)
        }
    } else {
        // Two compact lines under the map: the numbers first, then what the mask value does.
        let short = ["query → key": "", "Δ vs unmasked": "Δ", "raw score q·k/√d": "score", "mask bias": "bias", "row entropy": "entropy", "mask value": "mask"]
        func item(_ line: (label: String, value: String)) -> String {
            let label = short[line.label] ?? line.label
            let value = line.label == "row entropy" || line.label == "Δ vs unmasked"
                ? String(line.value.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces) : line.value
            return label.isEmpty ? value : "\(label) \(value)"
        }
        let numbers = ["query → key", "weight", "Δ vs unmasked", "raw score q·k/√d", "raw score", "mask bias", "row entropy"]
        let first = lines.filter { numbers.contains($0.label) }.map(item).joined(separator: " │ ")
        let second = lines.filter { !numbers.contains($0.label) }.map(item).joined(separator: " │ ")
        canvas.text(" " + first, x: rect.x, y: rect.y, fg: labelColor, maxWidth: rect.width)
        if rect.height > 1 { canvas.text(" " + second, x: rect.x, y: rect.y + 1, maxWidth: rect.width) }
    }
}

/// Greedy word wrap by display width.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
        let candidate = current.isEmpty ? word : current + " " + word
        if DisplayWidth.of(candidate) <= width {
            current = candidate
        } else {
            if !current.isEmpty { lines.append(current) }
            current = DisplayWidth.of(word) <= width ? word : DisplayWidth.truncate(word, toWidth: width)
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

/// Columns of the legend's first line that stay whole whatever shares the line: the ramp, the
/// short scale caption and, on a one-line legend, the mask's swatch and words.
func legendEssentialWidth(_ canvas: Canvas, layout: Layout) -> Int {
    let large = canvas.theme.largeLegend
    let maskWords = large ? 0 : 1 + 3 + DisplayWidth.of(legendMaskWords)
    return 10 + legendRampWidth(large: large, width: layout.width) + DisplayWidth.of(legendCaptions(canvas).narrow) + 2 + maskWords
}

/// The legend's words for the ramp's right end, long and narrow: the shown map's scale, or in
/// the overview how its tiles are fitted (`OverviewPixels.means`).
private func legendCaptions(_ canvas: Canvas) -> (long: String, narrow: String) {
    let fit = canvas.memo.weightFit
    guard canvas.state.view == .overview else { return (fit.caption, fit.narrowCaption) }
    return OverviewPixels.captions(canvas.state.scale)
}

/// What the hatch swatch means, in the legend.
private let legendMaskWords = " masked: weight forced to 0"

/// Cells of the legend's color ramp: wider on a projector theme and on wide terminals.
private func legendRampWidth(large: Bool, width: Int) -> Int {
    large ? (width >= 100 ? 32 : 20) : (width >= 100 ? 20 : 10)
}

func renderLegend(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let y = layout.legendRow
    let dim = canvas.color(canvas.theme.accents.dim)
    let large = canvas.theme.largeLegend
    let captions = legendCaptions(canvas)
    // The `s` note takes the right end of the first line while it shows; the legend fits left of it.
    let noteRoom = semanticsChangeNote(canvas, layout: layout).map { DisplayWidth.of($0) + 1 } ?? 0
    let firstLineWidth = max(0, layout.width - noteRoom)
    let swatchLineWidth = large ? layout.width : firstLineWidth
    var x = canvas.text(" weight 0 ", x: 0, y: y, fg: dim)
    let rampWidth = legendRampWidth(large: large, width: layout.width)
    for i in 0..<rampWidth {
        let w = Double(i) / Double(rampWidth - 1)
        if canvas.usesColor {
            canvas.text(" ", x: x + i, y: y, bg: canvas.theme.color(forWeight: w).cellColor)
            if large { canvas.text(" ", x: x + i, y: y + 1, bg: canvas.theme.color(forWeight: w).cellColor) }
        } else {
            canvas.text(canvas.theme.glyph(forWeight: w), x: x + i, y: y)
        }
    }
    x += rampWidth
    // A still picture has no keys: its caption leaves out the "f: …" reminder.
    // The long caption where it leaves room for the mask's swatch and words on this line.
    let maskWords = large ? 0 : 32
    var caption = 10 + rampWidth + DisplayWidth.of(captions.long) + 2 + maskWords <= firstLineWidth ? captions.long : captions.narrow
    if canvas.chrome == .document, let keys = caption.range(of: " · f: ") {
        caption = String(caption[..<keys.lowerBound]) + ")"
    }
    x += canvas.text(" " + caption + " ",
                     x: x, y: y, fg: dim, attributes: large ? .bold : [])
    // The mask channel: its swatch and what it means, in words.
    let swatchY = large ? y + 1 : y
    var mx = large ? 10 + rampWidth + 1 : x
    if !large { mx += canvas.text(" ", x: mx, y: y) }
    let hatch = MaskMarking.hatchGlyph(canvas.theme)
    for i in 0..<3 {
        canvas.text(hatch, x: mx + i, y: swatchY, fg: canvas.color(canvas.theme.accents.masked), bg: canvas.color(canvas.theme.maskedGround))
    }
    mx += 3
    mx += canvas.text(legendMaskWords, x: mx, y: swatchY, fg: canvas.color(canvas.theme.accents.label),
                      attributes: large ? .bold : [], maxWidth: max(0, layout.width - mx))
    if state.explorer.model.description.isCausal {
        let causal = "  \(MaskMarking.modelHatch) model's causal mask"
        if mx + DisplayWidth.of(causal) <= swatchLineWidth {
            mx += canvas.text("  ", x: mx, y: swatchY)
            mx += canvas.text(MaskMarking.modelHatch, x: mx, y: swatchY, fg: canvas.color(canvas.theme.accents.masked),
                              bg: canvas.color(canvas.theme.maskedGround))
            mx += canvas.text(" model's causal mask", x: mx, y: swatchY, fg: dim)
        }
    }
    let partial = "  \(MaskMarking.partialGlyph(canvas.theme)) kept partly"
    if mx + DisplayWidth.of(partial) <= swatchLineWidth {
        mx += canvas.text(partial, x: mx, y: swatchY, fg: dim)
    }
    if mx + 15 <= swatchLineWidth {
        canvas.text("  rows sum to 1", x: mx, y: swatchY, fg: dim)
    }
}
