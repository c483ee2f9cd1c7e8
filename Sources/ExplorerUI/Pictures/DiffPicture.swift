import AttentionCore
import Foundation

/// Masked minus unmasked weights as an SVG: a diverging map on a symmetric scale fitted to
/// the largest |Δ| among the open cells (closed cells are hatched: they lost all their
/// weight), with each row's mass moved (½ Σ|Δ|) beside it.
struct DiffPicture {
    let state: AppState

    var document: String {
        guard let comparison = state.comparison, state.comparisonGeneration == state.generation,
              let masked = shownWeights(state), let unmasked = weights(of: comparison.unmasked, state) else {
            return notePicture(state, heading: "Diff", note: "the unmasked pass is not computed")
        }
        let deltas = zip(masked, unmasked).map { zip($0, $1).map { $0 - $1 } }
        let palette = PicturePalette(theme: state.theme)
        let count = state.tokenCount
        let tokens = state.tokens
        let rows = pictureRange(offset: state.rowOffset, count: count)
        let columns = pictureRange(offset: state.columnOffset, count: count)
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Diff: masked − unmasked",
                                      caption: "how the mask moved each query's attention: + gained, − lost; mass moved = ½ Σ|Δ| of the row",
                                      x: margin, y: margin)
        let marks = MaskMarks(state.explorer)
        let extent = deltaExtent(deltas, marks: marks, rows: rows, columns: columns)
        let cell = min(44, max(10, 720 / Double(max(1, rows.count, columns.count))))
        let font = min(16, max(9, cell / 2))
        let rowLabelWidth = rows.map { SVGBuilder.textWidth("\($0) \(tokens[$0])", size: font) }.max() ?? 0
        let keyLabelHeight = columns.map { SVGBuilder.textWidth(tokens[$0], size: font) }.max() ?? 0
        let left = margin + rowLabelWidth + 14
        let labelBottom = title.bottom + 12 + keyLabelHeight
        let maskRowY = labelBottom + 8 + font / 2
        let top = maskRowY + font / 2 + 8
        let flagged = state.explorer.model.description.isCausal ? Set(state.result?.queriesWithEveryAllowedKeyMasked ?? []) : []
        let map = MapPicture(values: deltas, rows: rows, columns: columns, x: left, y: top, cell: cell, marks: marks,
                             flaggedRows: flagged, flagColor: palette.warning,
                             fill: { d, _ in palette.deltaFill(extent > 0 ? Double(d / extent) : 0) },
                             tooltip: { q, k, d, s in
                                 "\(q) \(tokens[q]) → \(k) \(tokens[k]): Δ \(String(format: "%+.4f", Double(d))) (\(weightText(unmasked[q][k])) → \(weightText(masked[q][k])))"
                                     + (s == .kept ? "" : ", " + marks.closure(query: q, key: k).explanation)
                             })
        map.drawKeyLabels(&svg, tokens: tokens, bottom: labelBottom, size: font,
                          color: { marks.columnState($0) == .masked ? palette.masked : palette.label },
                          bold: state.theme.boldLabels)
        let semantics = state.explorer.semantics
        let mask = state.explorer.mask
        svg.text("mask", x: left - 10, y: maskRowY, size: font, fill: palette.dim, anchor: "end", middle: true)
        for key in columns {
            let keyState = semantics.keyState(for: mask[key])
            svg.text(maskMarker(mask[key], semantics), x: map.cellX(key) + cell / 2, y: maskRowY, size: font,
                     fill: keyState == .kept ? palette.dim : palette.foreground, anchor: "middle", bold: keyState != .kept,
                     middle: true, className: "mask-value")
        }
        map.drawQueryLabels(&svg, labels: { "\($0) \(tokens[$0])" + (flagged.contains($0) ? " !" : "") }, size: font,
                            color: { flagged.contains($0) ? palette.warning : palette.label })
        map.draw(&svg)
        let movedX = left + map.width + 16
        svg.text("mass moved", x: movedX, y: maskRowY, size: font, fill: palette.label, bold: true, middle: true, className: "moved-heading")
        for query in rows {
            svg.text(String(format: "%.3f", Double(massMoved(deltas[query]))), x: movedX, y: map.cellY(query) + cell / 2, size: font,
                     fill: palette.foreground, middle: true, className: "mass-moved")
        }
        let legend = PictureLegend.draw(&svg, palette: palette,
                                        scale: .deltas(extent: extent, note: "symmetric, fitted to the largest |Δ| of the open cells, \(String(format: "%.4f", Double(extent)))"),
                                        x: margin, y: top + map.height + 30, causal: marks.modelLimit != nil, flagged: !flagged.isEmpty)
        let right = max(title.right, legend.right, movedX + SVGBuilder.textWidth("mass moved", size: font, bold: true))
        let heading = "Maskscope diff: \(state.explorer.model.info.name), layer \(state.layer), head \(state.head), \(semantics.rawValue)"
        return svg.document(width: right + margin, height: legend.bottom + margin, background: palette.background, title: heading)
    }
}

/// The diff scale's end: the largest |Δ| over `rows` × `columns` among cells the mask leaves
/// open (a closed cell's Δ is minus its old weight and is drawn as closed instead); the
/// largest of all cells when every cell is closed, and never 0.
func deltaExtent(_ deltas: [[Float]], marks: MaskMarks?, rows: Range<Int>, columns: Range<Int>) -> Float {
    var open: Float = 0, all: Float = 0
    for q in rows {
        for k in columns {
            let d = abs(deltas[q][k])
            guard d.isFinite else { continue }
            all = max(all, d)
            if marks?.isClosed(query: q, key: k) != true { open = max(open, d) }
        }
    }
    let extent = open > 0 ? open : all
    return extent > 1e-6 ? extent : 1e-6
}
