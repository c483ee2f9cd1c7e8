import AttentionCore
import Foundation

/// The compare view's geometry at the current size: three maps (hf, hf4, soft) at the left,
/// the selected query row's bars at the right, both as wide as the screen allows.
struct CompareLayout {
    /// Columns between two maps: 2, or 1 on a narrow screen so an 80-column one fits 12 keys.
    let gap: Int
    /// Narrowest bar, and the columns a bar column adds beside its bar (" 0.31 ").
    static let minimumBar = 2
    /// Bars this long (in columns) are worth narrower map cells.
    static let wantedBar = 8
    static let numberWidth = 4

    let labelWidth: Int
    /// Columns per key cell in the maps.
    let cellWidth: Int
    let columns: Range<Int>
    let rows: Range<Int>
    let mapWidth: Int
    /// Where the bars panel starts, its key-label width and each bar's width.
    let barsX: Int
    let barKeyWidth: Int
    let barWidth: Int
    let top: Int
    let labelHeight: Int
    var maskRow: Int { top + 2 + labelHeight }
    var gridTop: Int { maskRow + 1 }

    func mapX(_ panel: Int) -> Int { labelWidth + panel * (mapWidth + gap) }
    func cellX(_ panel: Int, key: Int) -> Int { mapX(panel) + (key - columns.lowerBound) * cellWidth }

    init(state: AppState, layout: Layout, panels: Int) {
        let count = state.tokenCount
        let area = mainArea(layout)
        labelWidth = layout.rowLabelWidth
        gap = layout.width >= 100 ? 2 : 1
        barKeyWidth = min(layout.rowLabelWidth, 10)
        let barsMinimum = barKeyWidth + panels * (Self.minimumBar + Self.numberWidth + 1)
        let barsWanted = barKeyWidth + panels * (Self.wantedBar + Self.numberWidth + 1)
        let room = max(panels, layout.width - labelWidth - barsMinimum - 1 - gap * panels)
        let roomBesideLongBars = layout.width - labelWidth - barsWanted - 1 - gap * panels
        // The widest cells (up to 4 columns) that fit every key beside bars of `wantedBar`;
        // else beside the narrowest bars; else 1 column, and the maps scroll.
        var width = 1
        for candidate in stride(from: 4, through: 1, by: -1) where panels * candidate * count <= roomBesideLongBars {
            width = candidate
            break
        }
        cellWidth = width
        let visible = max(1, min(count, room / (panels * width)))
        let first = Layout.scrolled(offset: state.columnOffset, toShow: state.selectedKey, visible: visible, count: count)
        columns = first..<(first + visible)
        mapWidth = visible * width
        barsX = labelWidth + panels * (mapWidth + gap)
        let barRoom = layout.width - barsX - barKeyWidth
        barWidth = max(1, min(16, barRoom / max(1, panels) - Self.numberWidth - 1))
        top = area.y
        let longest = state.tokens.map { DisplayWidth.of($0) }.max() ?? 1
        let rowsWanted = min(count, max(1, area.height - 6))
        labelHeight = max(1, min(min(longest, 8), area.height - 3 - rowsWanted))
        let rowRoom = max(1, area.y + area.height - (top + 3 + labelHeight))
        let rowFirst = Layout.scrolled(offset: state.rowOffset, toShow: state.selectedQuery, visible: rowRoom, count: count)
        rows = rowFirst..<min(count, rowFirst + rowRoom)
    }
}

/// hf, hf4 and soft side by side for the current layer and head, on one shared scale, with
/// key labels and each semantics' own mask row; then the selected query row as bars per key
/// under each semantics, with numbers: the picture that answers "what does 0.5 mean?".
func renderCompare(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let area = mainArea(layout)
    canvas.grid.fill(area, with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    guard state.comparisonGeneration == state.generation, let comparison = state.comparison else {
        note(&canvas, "computing the unmasked run and hf, hf4, soft…", layout)
        return
    }
    let panels: [(semantics: MaskSemantics, weights: [[Float]], marks: MaskMarks)] = comparison.bySemantics.compactMap { entry in
        weights(of: entry.result, state).map { (entry.semantics, $0, MaskMarks(state.explorer, semantics: entry.semantics)) }
    }
    guard !panels.isEmpty else { return }
    let geometry = CompareLayout(state: state, layout: layout, panels: panels.count)
    let maximum = compareScaleMaximum(panels.map(\.weights), rows: geometry.rows, columns: geometry.columns)
    let label = canvas.color(canvas.theme.accents.label)
    let dim = canvas.color(canvas.theme.accents.dim)
    let maskedColor = canvas.color(canvas.theme.accents.masked)
    let selection = canvas.color(canvas.theme.accents.selection)
    let digits = String(max(0, state.tokenCount - 1)).count

    // Query labels, left of the first map.
    for query in geometry.rows {
        let y = geometry.gridTop + query - geometry.rows.lowerBound
        let number = String(repeating: " ", count: max(0, digits - String(query).count)) + String(query)
        let selected = query == state.selectedQuery
        canvas.text(DisplayWidth.fit("\(number) \(state.tokens[query])", toWidth: geometry.labelWidth - 1), x: 0, y: y,
                    fg: selected ? selection : label, attributes: canvas.theme.labelAttributes.union(selected ? .reverse : []))
    }
    canvas.text("mask", x: max(0, geometry.labelWidth - 6), y: geometry.maskRow, fg: dim)
    if geometry.columns.lowerBound > 0 { canvas.text("◀", x: geometry.labelWidth - 1, y: geometry.maskRow, fg: selection) }
    // More keys than fit: each map says so at its right edge (the selection scrolls them).
    if geometry.columns.upperBound < state.tokenCount {
        for index in panels.indices { canvas.text("▶", x: geometry.mapX(index) + geometry.mapWidth, y: geometry.maskRow, fg: selection) }
    }

    for (index, panel) in panels.enumerated() {
        let x0 = geometry.mapX(index)
        let current = panel.semantics == state.explorer.semantics
        canvas.text(panel.semantics.rawValue + (current ? " (now)" : ""), x: x0, y: geometry.top, fg: current ? selection : label,
                    attributes: current ? [.bold, .underline] : .bold, maxWidth: geometry.mapWidth + 1)
        canvas.text(DisplayWidth.truncate(compareCaption(panel.semantics), toWidth: geometry.mapWidth), x: x0, y: geometry.top + 1,
                    fg: dim, maxWidth: geometry.mapWidth)
        for key in geometry.columns {
            let x = geometry.cellX(index, key: key)
            let column = panel.marks.columnState(key)
            // Closed or weakened here: masked color, bold. Edited (a value other than 1, or
            // a cell edit in the column) but open under this semantics: underlined, "○".
            let changed = column != .kept
            let edited = changed || state.explorer.mask[key] != panel.semantics.neutralValue
                || state.explorer.cellOverrides.keys.contains { $0 % state.tokenCount == key }
            let selected = key == state.selectedKey
            var attributes = canvas.theme.labelAttributes
            if selected { attributes.insert(.reverse) }
            if changed { attributes.insert(.bold) }
            if edited { attributes.insert(.underline) }
            let fg = changed ? maskedColor : (selected ? selection : label)
            for (line, glyph) in verticalLabel(state.tokens[key], height: geometry.labelHeight).enumerated() {
                canvas.text(glyph, x: x + max(0, (geometry.cellWidth - DisplayWidth.of(glyph)) / 2), y: geometry.top + 2 + line,
                            fg: fg, attributes: attributes)
            }
            let marker: String
            switch column {
            case .masked: marker = "×"
            // Closed for some queries only (a pattern, cell edits): the hatch; weakened: "~".
            case .partial: marker = panel.marks.closures.column(key).closedQueries > 0 ? MaskMarking.hatch : "~"
            case .boosted: marker = "+"
            case .kept: marker = edited ? "○" : "·"
            }
            canvas.text(DisplayWidth.fit(marker, toWidth: geometry.cellWidth, alignment: .center), x: x, y: geometry.maskRow,
                        fg: column == .kept ? dim : maskedColor, attributes: column == .kept ? (selected ? .reverse : []) : [.bold])
        }
        for query in geometry.rows {
            let y = geometry.gridTop + query - geometry.rows.lowerBound
            for key in geometry.columns {
                drawCompareCell(&canvas, x: geometry.cellX(index, key: key), y: y, width: geometry.cellWidth,
                                weight: panel.weights[query][key], maximum: maximum,
                                state: panel.marks.state(query: query, key: key),
                                selected: query == state.selectedQuery && key == state.selectedKey)
            }
        }
    }
    renderRowBars(&canvas, geometry: geometry, panels: panels, area: area)
}

/// A weight cell of a compare map: its color (or shade) on the shared scale; a closed cell
/// the heatmap's hatch on the masked ground; a partly kept one the partial mark over its color.
private func drawCompareCell(_ canvas: inout Canvas, x: Int, y: Int, width: Int, weight: Float, maximum: Float,
                             state: KeyMaskState, selected: Bool) {
    let fraction = Double(maximum > 0 ? weight / maximum : 0)
    let partialCellGlyph = MaskMarking.partialGlyph(canvas.theme)
    if state == .masked {
        drawHatch(&canvas, x: x, y: y, width: width, attributes: selected ? [.bold, .reverse] : [])
        return
    }
    if canvas.usesColor {
        let rgb = canvas.theme.color(forWeight: fraction)
        var glyphs = Array(repeating: " ", count: width)
        if state == .partial { glyphs[width / 2] = partialCellGlyph }
        if selected { glyphs[width / 2] = "◆" }
        for (i, glyph) in glyphs.enumerated() {
            canvas.text(glyph, x: x + i, y: y, fg: canvas.contrasting(on: rgb), bg: rgb.cellColor, attributes: selected ? .bold : [])
        }
    } else {
        let shade = canvas.theme.glyph(forWeight: fraction)
        var glyphs = Array(repeating: shade, count: width)
        if state == .partial { glyphs[width / 2] = partialCellGlyph }
        for (i, glyph) in glyphs.enumerated() { canvas.text(glyph, x: x + i, y: y, attributes: selected ? [.bold, .underline] : []) }
    }
}

/// `width` cells of the closed-cell hatch, styled as the heatmap styles a closed cell.
func drawHatch(_ canvas: inout Canvas, x: Int, y: Int, width: Int, attributes: CellAttributes = []) {
    let glyph = MaskMarking.hatchGlyph(canvas.theme)
    let fg = canvas.color(canvas.theme.accents.masked)
    let bg = canvas.color(canvas.theme.maskedGround)
    for i in 0..<max(0, width) { canvas.text(glyph, x: x + i, y: y, fg: fg, bg: bg, attributes: attributes) }
}

/// The selected query row under each semantics: one line per key, one bar column per
/// semantics with the weight beside it; a closed key shows the hatch and "×0".
private func renderRowBars(_ canvas: inout Canvas, geometry: CompareLayout,
                           panels: [(semantics: MaskSemantics, weights: [[Float]], marks: MaskMarks)], area: CellRect) {
    let state = canvas.state
    let x0 = geometry.barsX
    guard x0 + geometry.barKeyWidth + 4 < canvas.grid.width else { return }
    let query = state.selectedQuery
    guard (0..<state.tokenCount).contains(query) else { return }
    let label = canvas.color(canvas.theme.accents.label)
    let maskedColor = canvas.color(canvas.theme.accents.masked)
    let selection = canvas.color(canvas.theme.accents.selection)
    canvas.text("row \(query) \(state.tokens[query]) →", x: x0, y: geometry.top, fg: selection, attributes: .bold,
                maxWidth: canvas.grid.width - x0)
    let columnWidth = geometry.barWidth + CompareLayout.numberWidth + 1
    for (index, panel) in panels.enumerated() {
        canvas.text(panel.semantics.rawValue, x: x0 + geometry.barKeyWidth + index * columnWidth, y: geometry.top + 1, fg: label,
                    attributes: panel.semantics == state.explorer.semantics ? [.bold, .underline] : .bold)
    }
    let rowMaximum = panels.flatMap { $0.weights[query] }.filter(\.isFinite).max() ?? 0
    let lines = max(0, area.y + area.height - (geometry.top + 2))
    let count = state.tokenCount
    let first = Layout.scrolled(offset: max(0, state.selectedKey - lines / 2), toShow: state.selectedKey, visible: lines, count: count)
    for (line, key) in (first..<min(count, first + lines)).enumerated() {
        let y = geometry.top + 2 + line
        let selected = key == state.selectedKey
        let keyEdited = panels.contains { $0.marks.columnState(key) != .kept }
        canvas.text(DisplayWidth.fit("\(key) \(state.tokens[key])", toWidth: geometry.barKeyWidth - 1), x: x0, y: y,
                    fg: keyEdited ? maskedColor : label, attributes: selected ? [.reverse] : (keyEdited ? .bold : []))
        for (index, panel) in panels.enumerated() {
            let x = x0 + geometry.barKeyWidth + index * columnWidth
            let weight = panel.weights[query][key]
            switch panel.marks.state(query: query, key: key) {
            case .masked:
                drawHatch(&canvas, x: x, y: y, width: geometry.barWidth)
                canvas.text(DisplayWidth.pad("×0", toWidth: CompareLayout.numberWidth, alignment: .right),
                            x: x + geometry.barWidth, y: y, fg: maskedColor, attributes: .bold)
            case let cellState:
                let bar = barGlyphs(weight, maximum: rowMaximum, width: geometry.barWidth)
                canvas.text(bar, x: x, y: y, fg: canvas.usesColor ? label : .default)
                let text = (cellState == .partial ? "~" : "") + barNumber(weight)
                canvas.text(DisplayWidth.pad(text, toWidth: CompareLayout.numberWidth, alignment: .right), x: x + geometry.barWidth, y: y,
                            fg: cellState == .partial ? maskedColor : nil, attributes: selected ? .bold : [])
            }
        }
    }
}

/// A bar of `width` columns for `value` out of `maximum`, in eighths of a column.
func barGlyphs(_ value: Float, maximum: Float, width: Int) -> String {
    guard width > 0 else { return "" }
    let eighths = maximum > 0 ? Int((Double(max(0, value) / maximum) * Double(width * 8)).rounded()) : 0
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    var bar = String(repeating: "█", count: min(width, eighths / 8))
    if eighths / 8 < width { bar += partial[eighths % 8] }
    if value > 0, bar.isEmpty { bar = "▏" }
    return DisplayWidth.pad(bar, toWidth: width)
}

/// A weight in three columns: ".31", "1.0", "0" for an exact zero (the bars' numbers).
func barNumber(_ value: Float) -> String {
    if value == 0 { return "0" }
    if value >= 0.995 { return "1.0" }
    return "." + String(format: "%02d", Int((Double(value) * 100).rounded()))
}

/// The shared top of the three maps' scale: their largest weight in view, never 0.
func compareScaleMaximum(_ maps: [[[Float]]], rows: Range<Int>, columns: Range<Int>) -> Float {
    let top = maps.map { largest($0, rows: rows, columns: columns) }.max() ?? 0
    return top > 0 ? top : 1
}

/// Under each map's name: what a fractional value does there.
func compareCaption(_ semantics: MaskSemantics) -> String {
    switch semantics {
    case .hf: return "0.5 = 1"
    case .hf4: return "0.5 = 0"
    case .soft: return "0.5 = half"
    case .bias: return "+ logits"
    }
}

/// The compare view's legend: the shared scale with its numbers, then the marks in words.
func renderCompareLegend(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let y = layout.legendRow
    let dim = canvas.color(canvas.theme.accents.dim)
    guard let comparison = state.comparison, state.comparisonGeneration == state.generation else { return }
    let maps = comparison.bySemantics.compactMap { weights(of: $0.result, state) }
    guard !maps.isEmpty else { return }
    let geometry = CompareLayout(state: state, layout: layout, panels: maps.count)
    let maximum = compareScaleMaximum(maps, rows: geometry.rows, columns: geometry.columns)
    var x = canvas.text(" weight 0 ", x: 0, y: y, fg: dim)
    let rampWidth = layout.width >= 100 ? 16 : 8
    for i in 0..<rampWidth {
        let w = Double(i) / Double(rampWidth - 1)
        if canvas.usesColor {
            canvas.text(" ", x: x + i, y: y, bg: canvas.theme.color(forWeight: w).cellColor)
        } else {
            canvas.text(canvas.theme.glyph(forWeight: w), x: x + i, y: y)
        }
    }
    x += rampWidth
    x += canvas.text(" " + String(format: "%.2f", Double(maximum)) + (layout.width >= 120 ? " (one scale for the 3 maps)  " : "  "),
                     x: x, y: y, fg: dim, maxWidth: layout.width - x)
    drawHatch(&canvas, x: x, y: y, width: 2)
    x += 2
    x += canvas.text(" masked: weight forced to 0  ", x: x, y: y, fg: canvas.foreground, maxWidth: layout.width - x)
    canvas.text(MaskMarking.partialGlyph(canvas.theme) + " kept partly", x: x, y: y, fg: dim, maxWidth: layout.width - x)
}
