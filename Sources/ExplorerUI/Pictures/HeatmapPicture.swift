import AttentionCore
import Foundation

/// The attention map of one layer and head (or their mean) as an SVG: one square per query ×
/// key, rows "5 jumps", rotated key labels with the mask value under each ("×0" masked, "~0.5"
/// partial, "+2" boosted), a scale fitted to the map's largest weight, and what the mask does.
struct HeatmapPicture {
    let state: AppState

    var document: String {
        let palette = PicturePalette(theme: state.theme)
        let count = state.tokenCount
        let rows = pictureRange(offset: state.rowOffset, count: count)
        let columns = pictureRange(offset: state.columnOffset, count: count)
        guard let weights = shownWeights(state) else {
            return notePicture(state, heading: "Attention", note: "no attention computed")
        }
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        var caption = "each row: where that query token's attention goes; each row sums to 1"
        if rows.count < count || columns.count < count {
            caption += " · tokens \(rows.lowerBound)…\(rows.upperBound - 1) of \(count)"
        }
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Attention", caption: caption, x: margin, y: margin)
        let cell = min(44, max(10, 720 / Double(max(1, rows.count, columns.count))))
        let font = min(16, max(9, cell / 2))
        let rowLabelWidth = rows.map { SVGBuilder.textWidth("\($0) \(state.tokens[$0])", size: font) }.max() ?? 0
        let keyLabelHeight = columns.map { SVGBuilder.textWidth(state.tokens[$0], size: font) }.max() ?? 0
        let left = margin + max(rowLabelWidth, SVGBuilder.textWidth("query ↓  key →", size: 14)) + 14
        let labelBottom = title.bottom + 12 + keyLabelHeight
        let maskRowY = labelBottom + 8 + font / 2
        let top = maskRowY + font / 2 + 8
        let marks = MaskMarks(state.explorer)
        // The explorer's scale (`f`): 0…the map's largest weight, 0…1, or per row.
        let fit = ScaleFit(state.scale, weights: weights)
        let maximum = state.scale == .perRow ? nil : fit.top
        let tokens = state.tokens
        let flagged = state.explorer.model.description.isCausal ? Set(state.result?.queriesWithEveryAllowedKeyMasked ?? []) : []
        let map = MapPicture(values: weights, rows: rows, columns: columns, x: left, y: top, cell: cell, marks: marks,
                             flaggedRows: flagged, flagColor: palette.warning,
                             fill: { w, q in palette.weightFill(fit.position(w, query: q)) },
                             tooltip: { q, k, w, s in
                                 "\(q) \(tokens[q]) → \(k) \(tokens[k]): " + weightText(w)
                                     + (s == .kept ? "" : ", " + marks.closure(query: q, key: k).explanation)
                             })
        let semantics = state.explorer.semantics
        let mask = state.explorer.mask
        svg.text("query ↓  key →", x: left - 10, y: labelBottom - font, size: 14, fill: palette.dim, anchor: "end")
        svg.text("mask", x: left - 10, y: maskRowY, size: font, fill: palette.dim, anchor: "end", middle: true)
        map.drawKeyLabels(&svg, tokens: tokens, bottom: labelBottom - SVGBuilder.textWidth("", size: font), size: font,
                          color: { marks.columnState($0) == .masked ? palette.masked : palette.label },
                          bold: state.theme.boldLabels)
        for key in columns {
            let keyState = semantics.keyState(for: mask[key])
            svg.text(maskMarker(mask[key], semantics), x: map.cellX(key) + cell / 2, y: maskRowY, size: font,
                     fill: keyState == .kept ? palette.dim : palette.foreground, anchor: "middle", bold: keyState != .kept,
                     middle: true, className: "mask-value")
        }
        let noKeys = Set(state.result?.queriesWithNoKeys ?? [])
        map.drawQueryLabels(&svg, labels: { "\($0) \(tokens[$0])" + (noKeys.contains($0) ? " ∅" : flagged.contains($0) ? " !" : "") }, size: font,
                            color: { flagged.contains($0) ? palette.warning : palette.label }, bold: { _ in state.theme.boldLabels })
        map.draw(&svg)
        let legend = PictureLegend.draw(&svg, palette: palette,
                                        scale: .weights(maximum: maximum, note: heatmapScaleNote(state.scale, top: fit.top)),
                                        x: margin, y: top + map.height + 30, causal: marks.modelLimit != nil, flagged: !flagged.isEmpty)
        var y = legend.bottom + 36
        svg.text("Mask", x: margin, y: y, size: 15, fill: palette.label, bold: true, className: "mask-heading")
        var right = max(title.right, legend.right, left + map.width)
        for line in maskEffectLines(state) {
            y += 21
            let content = "\(line.label): \(line.value)"
            svg.text(content, x: margin + 12, y: y, size: 14, fill: palette.foreground, className: "mask-effect")
            right = max(right, margin + 12 + SVGBuilder.textWidth(content, size: 14))
        }
        let heading = "Maskscope heatmap: \(state.explorer.model.info.name), layer \(state.layer), head \(state.head), \(semantics.rawValue)"
        return svg.document(width: right + margin, height: y + margin, background: palette.background, title: heading)
    }
}

/// The legend's words for the heatmap picture's scale.
func heatmapScaleNote(_ scale: WeightScale, top: Float) -> String {
    switch scale {
    case .perHead: return "0 = key ignored · scale 0…this map's largest weight, \(weightText(top))"
    case .absolute: return "0 = key ignored · 1 = the query's whole attention (scale 0…1)"
    case .perRow: return "0 = key ignored · each row on its own scale, 0…its largest weight"
    }
}
