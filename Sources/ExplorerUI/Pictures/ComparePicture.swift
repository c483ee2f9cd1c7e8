import AttentionCore
import Foundation

/// The same mask under hf, hf4 and soft: three maps side by side on one shared scale (so a
/// weight reads the same in all three), each with its own mask row, then the selected query
/// row as horizontal bars per key under each semantics, with numbers. That row answers the
/// blog post: under hf 0.5 keeps "jumps" fully, under hf4 it closes it, under soft it halves it.
struct ComparePicture {
    let state: AppState

    var document: String {
        guard let comparison = state.comparison, state.comparisonGeneration == state.generation,
              comparison.bySemantics.allSatisfy({ $0.result.attention.length == state.tokenCount }) else {
            return notePicture(state, heading: "Compare semantics", note: "the hf, hf4 and soft passes are not computed")
        }
        let palette = PicturePalette(theme: state.theme)
        let count = state.tokenCount
        let tokens = state.tokens
        let rows = pictureRange(offset: state.rowOffset, count: count)
        let columns = pictureRange(offset: state.columnOffset, count: count)
        let query = min(max(0, state.selectedQuery), count - 1)
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Compare semantics",
                                      caption: "the same mask values read three ways; one scale for all three maps; row \(query) \(tokens[query]) framed and drawn as bars below",
                                      x: margin, y: margin)
        let causal = state.explorer.model.description.isCausal
        let panels: [(semantics: MaskSemantics, weights: [[Float]], marks: MaskMarks, flagged: Set<Int>)] = comparison.bySemantics.compactMap { entry in
            weights(of: entry.result, state).map {
                (entry.semantics, $0, MaskMarks(state.explorer, semantics: entry.semantics),
                 causal ? Set(entry.result.queriesWithEveryAllowedKeyMasked) : [])
            }
        }
        // One scale for the three maps: 0…1 when the explorer's scale is absolute, else 0…their
        // largest weight in view.
        let maximum = state.scale == .absolute ? 1 : panels.map { largest($0.weights, rows: rows, columns: columns) }.max() ?? 0
        let cell = min(30, max(6, 360 / Double(max(1, rows.count, columns.count))))
        let font = min(14, max(8, cell * 0.6))
        let rowLabelWidth = rows.map { SVGBuilder.textWidth("\($0) \(tokens[$0])", size: font) }.max() ?? 0
        let keyLabelHeight = columns.map { SVGBuilder.textWidth(tokens[$0], size: font) }.max() ?? 0
        let left = margin + rowLabelWidth + 14
        let headingY = title.bottom + 24
        let labelBottom = headingY + 30 + keyLabelHeight
        let maskRowY = labelBottom + 6 + font / 2
        let top = maskRowY + font / 2 + 8
        let mapWidth = Double(columns.count) * cell
        let gap = max(40, cell * 2)
        var right = title.right
        for (index, panel) in panels.enumerated() {
            let x0 = left + Double(index) * (mapWidth + gap)
            let current = panel.semantics == state.explorer.semantics
            svg.text(panel.semantics.rawValue + (current ? " (current)" : ""), x: x0, y: headingY, size: 18,
                     fill: palette.foreground, bold: true, className: "panel-title")
            svg.text(panel.semantics.shortSummary, x: x0, y: headingY + 20, size: 13, fill: palette.dim, className: "panel-summary")
            let marks = panel.marks
            let map = MapPicture(values: panel.weights, rows: rows, columns: columns, x: x0, y: top, cell: cell, marks: marks,
                                 tag: [("semantics", panel.semantics.rawValue)], flaggedRows: panel.flagged, flagColor: palette.warning,
                                 fill: { w, _ in palette.weightFill(maximum > 0 ? Double(w / maximum) : 0) },
                                 tooltip: { q, k, w, s in
                                     "\(panel.semantics.rawValue): \(q) \(tokens[q]) → \(k) \(tokens[k]): "
                                         + (s == .kept ? weightText(w) : weightText(w) + ", " + marks.closure(query: q, key: k).explanation)
                                 })
            map.drawKeyLabels(&svg, tokens: tokens, bottom: labelBottom, size: font,
                              color: { marks.columnState($0) == .masked ? palette.masked : palette.label })
            let mask = state.explorer.mask
            for key in columns {
                let keyState = panel.semantics.keyState(for: mask[key])
                let marker = String(maskMarker(mask[key], panel.semantics).prefix(cell >= 16 ? 4 : 1))
                svg.text(keyState == .kept ? (cell >= 16 ? marker : "·") : marker, x: map.cellX(key) + cell / 2, y: maskRowY,
                         size: font, fill: keyState == .kept ? palette.dim : palette.foreground, anchor: "middle",
                         bold: keyState != .kept, middle: true, className: "mask-value")
            }
            if index == 0 {
                map.drawQueryLabels(&svg, labels: { "\($0) \(tokens[$0])" }, size: font,
                                    color: { $0 == query ? palette.selection : palette.label }, bold: { $0 == query })
            }
            map.draw(&svg)
            if rows.contains(query) {
                svg.rect(x: x0 - 1.5, y: map.cellY(query) - 1.5, width: mapWidth + 3, height: cell + 3, fill: "none",
                         stroke: palette.selection, strokeWidth: 3, className: "selected-row")
            }
            right = max(right, x0 + mapWidth)
        }
        let mapBottom = top + Double(rows.count) * cell
        let bars = RowBars.draw(&svg, palette: palette, state: state, query: query,
                                rows: panels.map { ($0.semantics, $0.weights[query], $0.marks) }, x: margin, y: mapBottom + 40,
                                flaggedRows: panels.map(\.flagged))
        right = max(right, bars.right)
        let legend = PictureLegend.draw(&svg, palette: palette,
                                        scale: .weights(maximum: maximum, note: "one scale for the three maps, fitted to their largest weight, \(weightText(maximum))"),
                                        x: margin, y: bars.bottom + 36, causal: causal,
                                        flagged: panels.contains { !$0.flagged.isEmpty })
        right = max(right, legend.right)
        let heading = "Maskscope compare: \(state.explorer.model.info.name), layer \(state.layer), head \(state.head)"
        return svg.document(width: right + margin, height: legend.bottom + margin, background: palette.background, title: heading)
    }
}

/// One query row under several semantics as horizontal bars: a group per key, one bar per
/// semantics with its weight printed beside it; a closed key is a hatched slot marked
/// "masked · 0", a partly kept one dotted. Bars share one length scale, fitted to the row.
enum RowBars {
    static func draw(_ svg: inout SVGBuilder, palette: PicturePalette, state: AppState, query: Int,
                     rows: [(semantics: MaskSemantics, weights: [Float], marks: MaskMarks)],
                     x: Double, y: Double, flaggedRows: [Set<Int>] = []) -> (bottom: Double, right: Double) {
        let tokens = state.tokens
        svg.text("Row \(query) \(tokens[query]): its weight on each key under \(rows.map(\.semantics.rawValue).joined(separator: ", "))",
                 x: x, y: y, size: 18, fill: palette.foreground, bold: true, className: "bars-title")
        let keyWidth = (tokens.map { SVGBuilder.textWidth("\($0) mask 0.00", size: 14) }.max() ?? 80) + 40
        let tagWidth = 44.0, barMax = 360.0, barHeight = 15.0, group = Double(rows.count) * (barHeight + 3) + 10
        let maximum = rows.flatMap(\.weights).filter(\.isFinite).max() ?? 0
        let fills = rows.indices.map { palette.weightFill([0.95, 0.7, 0.45][$0 % 3]) }
        var top = y + 18
        let mask = state.explorer.mask
        for key in 0..<tokens.count {
            let state0 = rows.first?.semantics.keyState(for: mask[key]) ?? .kept
            svg.text("\(key) \(tokens[key])", x: x + keyWidth - 16, y: top + group / 2 - 6, size: 14, fill: palette.label,
                     anchor: "end", bold: true, middle: true, className: "bar-key")
            svg.text("mask " + MaskValueFormat.short(mask[key]), x: x + keyWidth - 16, y: top + group / 2 + 9, size: 12,
                     fill: mask[key] == 1 && state0 == .kept ? palette.dim : palette.masked, anchor: "end", middle: true, className: "bar-mask")
            for (index, row) in rows.enumerated() {
                let by = top + Double(index) * (barHeight + 3)
                let barX = x + keyWidth + tagWidth
                svg.text(row.semantics.rawValue, x: x + keyWidth + tagWidth - 6, y: by + barHeight / 2, size: 12,
                         fill: palette.dim, anchor: "end", middle: true, className: "bar-tag")
                let data = [("q", String(query)), ("k", String(key)), ("semantics", row.semantics.rawValue)]
                let weight = row.weights[key]
                // A decoder's later keys: closed by the model itself, unless the row has no key left
                // (then transformers spreads it over every position and the weight is real).
                if row.marks.state(query: query, key: key) != .masked, !(flaggedRows.indices.contains(index) && flaggedRows[index].contains(query)),
                   row.marks.isModelClosed(query: query, key: key) {
                    svg.rect(x: barX, y: by, width: 36, height: barHeight, fill: PicturePalette.causalFill, stroke: palette.dim,
                             strokeWidth: 0.5, className: "bar-causal", data: data)
                    svg.text("causal · 0", x: barX + 44, y: by + barHeight / 2, size: 12, fill: palette.dim,
                             middle: true, className: "bar-value")
                    continue
                }
                switch row.marks.state(query: query, key: key) {
                case .masked:
                    svg.rect(x: barX, y: by, width: 36, height: barHeight, fill: PicturePalette.maskedFill, stroke: palette.dim,
                             strokeWidth: 0.5, className: "bar-masked", data: data)
                    svg.text("masked · 0", x: barX + 44, y: by + barHeight / 2, size: 12, fill: palette.foreground, bold: true,
                             middle: true, className: "bar-value")
                case let stateKind:
                    let length = maximum > 0 ? Double(weight / maximum) * barMax : 0
                    svg.rect(x: barX, y: by, width: max(1, length), height: barHeight, fill: fills[index], className: "bar",
                             data: data, title: "\(row.semantics.rawValue): \(query) \(tokens[query]) → \(key) \(tokens[key]): \(weightText(weight))")
                    if stateKind == .partial {
                        svg.rect(x: barX, y: by, width: max(1, length), height: barHeight, fill: PicturePalette.partialFill,
                                 className: "bar-partial", data: data)
                    }
                    svg.text(weightText(weight) + (stateKind == .partial ? " (kept partly)" : ""), x: barX + max(1, length) + 6,
                             y: by + barHeight / 2, size: 12, fill: palette.foreground, middle: true, className: "bar-value")
                }
            }
            svg.line(x1: x, y1: top + group - 4, x2: x + keyWidth + tagWidth + barMax + 120, y2: top + group - 4,
                     stroke: palette.dim, width: 0.5, dash: "2 3")
            top += group
        }
        return (top, x + keyWidth + tagWidth + barMax + 140)
    }
}
