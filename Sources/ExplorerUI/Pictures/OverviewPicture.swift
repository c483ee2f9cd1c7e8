import AttentionCore
import Foundation

/// Every layer × head as a small map, on one scale (0 … the largest weight of all of them),
/// closed cells hatched as in the big map, the selected head framed and named.
struct OverviewPicture {
    /// Tiles show at most this many tokens per axis; past it the caption says so.
    static let maximumTokens = 64

    let state: AppState

    var document: String {
        guard let result = state.result, result.attention.length == state.tokenCount else {
            return notePicture(state, heading: "Overview", note: "no attention computed")
        }
        let palette = PicturePalette(theme: state.theme)
        let maps = result.attention
        let count = state.tokenCount
        let shown = 0..<min(count, Self.maximumTokens)
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        var caption = "every layer × head of this text under this mask; one scale for all maps; the framed one is selected"
        if shown.count < count { caption += " · tokens 0…\(shown.upperBound - 1) of \(count)" }
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Overview", caption: caption, x: margin, y: margin)
        let marks = MaskMarks(state.explorer)
        let heads = (0..<maps.layerCount).map { layer in (0..<maps.headCount).map { maps.headWeights(layer: layer, head: $0) } }
        let maximum = heads.flatMap { $0 }.map { largest($0, rows: shown, columns: shown) }.max() ?? 0
        let cell = max(2, min(10, 150 / Double(max(1, shown.count))))
        let tile = cell * Double(shown.count)
        let gap = 22.0
        let left = margin + 80
        let top = title.bottom + 40
        let tokens = state.tokens
        for head in 0..<maps.headCount {
            svg.text("head \(head)", x: left + Double(head) * (tile + gap) + tile / 2, y: top - 10, size: 14,
                     fill: palette.label, anchor: "middle", bold: head == state.head, className: "head-label")
        }
        for layer in 0..<maps.layerCount {
            let y0 = top + Double(layer) * (tile + gap)
            svg.text("layer \(layer)", x: left - 12, y: y0 + tile / 2, size: 14, fill: palette.label, anchor: "end",
                     bold: layer == state.layer, middle: true, className: "layer-label")
            for head in 0..<maps.headCount {
                let x0 = left + Double(head) * (tile + gap)
                let map = MapPicture(values: heads[layer][head], rows: shown, columns: shown, x: x0, y: y0, cell: cell, marks: marks,
                                     tag: [("layer", String(layer)), ("head", String(head))],
                                     fill: { w, _ in palette.weightFill(maximum > 0 ? Double(w / maximum) : 0) },
                                     tooltip: { q, k, w, s in
                                         "layer \(layer) head \(head): \(q) \(tokens[q]) → \(k) \(tokens[k]): "
                                             + (s == .masked ? "masked" : weightText(w))
                                     })
                map.draw(&svg)
                if layer == state.layer, head == state.head, !state.meanOfHeads {
                    svg.rect(x: x0 - 5, y: y0 - 5, width: tile + 10, height: tile + 10, fill: "none", stroke: palette.selection,
                             strokeWidth: 4, className: "selected-tile")
                }
            }
        }
        let gridBottom = top + Double(maps.layerCount) * (tile + gap)
        let info = state.explorer.model.info
        let name = info.headNames != nil ? " (\(info.headName(layer: state.layer, head: state.head)))" : ""
        svg.text("selected: layer \(state.layer), head \(state.head)" + name, x: margin, y: gridBottom + 10,
                 size: 16, fill: palette.selection, bold: true, className: "selected-name")
        let legend = PictureLegend.draw(&svg, palette: palette,
                                        scale: .weights(maximum: maximum, note: "one scale for every map, fitted to the largest weight, \(weightText(maximum))"),
                                        x: margin, y: gridBottom + 36, causal: marks.modelLimit != nil)
        let right = max(title.right, legend.right, left + Double(maps.headCount) * (tile + gap))
        let heading = "Maskscope overview: \(state.explorer.model.info.name), \(maps.layerCount) layers × \(maps.headCount) heads"
        return svg.document(width: right + margin, height: legend.bottom + margin, background: palette.background, title: heading)
    }
}
