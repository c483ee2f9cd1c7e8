import AttentionCore
import Foundation

/// The selected query row's softmax, stage by stage, as bar charts side by side, one line per
/// key: the raw score q·k/√d (signed, about 0), the mask's bias, exp(x − max) and the weight,
/// each with its number. A key the mask closes shows the hatch where its exp and weight would be.
struct MathPicture {
    let state: AppState

    var document: String {
        let count = state.tokenCount
        let query = min(max(0, state.selectedQuery), count - 1)
        guard !state.meanOfHeads, let result = state.result, result.attention.length == count,
              let math = try? SoftmaxBreakdown(result: result, tokens: state.tokens, layer: state.layer, head: state.head, query: query) else {
            return notePicture(state, heading: "Softmax, step by step",
                               note: state.meanOfHeads ? "the math view follows one head, not the mean of heads" : "no attention computed")
        }
        let palette = PicturePalette(theme: state.theme)
        let tokens = state.tokens
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Softmax of row \(query) \(tokens[query])",
                                      caption: "weight = exp(score + bias − row max) / Σ exp · row max \(number(math.rowMax)) · Σ exp \(number(math.sum))",
                                      x: margin, y: margin)
        let marks = MaskMarks(state.explorer)
        let shown = 0..<min(count, pictureMaximumTokens)
        let line = 24.0, barHeight = 16.0, barWidth = 200.0, numberWidth = 90.0
        let labelWidth = (shown.map { SVGBuilder.textWidth("\($0) \(tokens[$0])  ×0.25", size: 14) }.max() ?? 80) + 16
        let columns = ["q·k/√d (raw score)", "+ mask bias", "exp(x − max)", "weight"]
        let columnX = (0..<4).map { margin + labelWidth + Double($0) * (barWidth + numberWidth + 30) }
        let top = title.bottom + 50
        for (index, name) in columns.enumerated() {
            svg.text(name, x: columnX[index], y: top - 16, size: 15, fill: palette.label, bold: true, className: "stage-title")
        }
        let scoreExtent = shown.map { abs(math.scores[$0]) }.filter(\.isFinite).max() ?? 1
        let maxWeight = shown.map { math.weights[$0] }.max() ?? 0
        let semantics = state.explorer.semantics
        let mask = state.explorer.mask
        // A decoder's row with every allowed key masked is spread over every position: its
        // future keys carry weight then, so they are not drawn as closed by the causal mask.
        let flaggedRow = state.explorer.model.description.isCausal
            && (state.result?.queriesWithEveryAllowedKeyMasked.contains(query) ?? false)
        for (row, key) in shown.enumerated() {
            let y = top + Double(row) * line
            let cellState = marks.state(query: query, key: key)
            let causal = cellState != .masked && !flaggedRow && marks.isModelClosed(query: query, key: key)
            let closed = cellState == .masked || causal
            let hatch = causal ? PicturePalette.causalFill : PicturePalette.maskedFill
            let hatchClass = causal ? "causal" : "masked"
            svg.text("\(key) \(tokens[key])", x: margin + labelWidth - 60, y: y + barHeight / 2, size: 14, fill: closed ? palette.masked : palette.label,
                     anchor: "end", bold: true, middle: true, className: "math-key")
            svg.text(maskMarker(mask[key], semantics), x: margin + labelWidth - 52, y: y + barHeight / 2, size: 13,
                     fill: semantics.keyState(for: mask[key]) == .kept ? palette.dim : palette.masked, middle: true, className: "mask-value")
            let data = [("q", String(query)), ("k", String(key))]
            // Raw score: a signed bar about the column's centre line.
            let centre = columnX[0] + barWidth / 2
            let score = math.scores[key]
            let length = scoreExtent > 0 ? Double(score / scoreExtent) * barWidth / 2 : 0
            svg.rect(x: min(centre, centre + length), y: y, width: max(1, abs(length)), height: barHeight,
                     fill: palette.deltaFill(scoreExtent > 0 ? Double(score / scoreExtent) : 0), stroke: palette.dim, strokeWidth: 0.5,
                     className: "score-bar", data: data)
            svg.text(number(score), x: columnX[0] + barWidth + 8, y: y + barHeight / 2, size: 13, fill: palette.foreground,
                     middle: true, className: "stage-value")
            // Bias: a number; a closed key's bias is a hatched swatch with its value.
            let bias = math.bias[key]
            if closed {
                svg.rect(x: columnX[1], y: y, width: 36, height: barHeight, fill: hatch, stroke: palette.dim,
                         strokeWidth: 0.5, className: hatchClass, data: data)
            }
            svg.text(bias == 0 ? "0" : formatBias(bias), x: columnX[1] + (closed ? 44 : 0), y: y + barHeight / 2, size: 13,
                     fill: closed ? palette.masked : palette.foreground, bold: closed, middle: true, className: "stage-value")
            // exp and weight: bars from 0, hatched where the mask closed the key.
            for (index, value, scale) in [(2, math.exp[key], Float(1)), (3, math.weights[key], maxWeight)] {
                let x = columnX[index]
                if closed {
                    svg.rect(x: x, y: y, width: 36, height: barHeight, fill: hatch, stroke: palette.dim,
                             strokeWidth: 0.5, className: hatchClass, data: data)
                    svg.text(causal ? "0 (causal)" : "0 (masked)", x: x + 44, y: y + barHeight / 2, size: 13, fill: palette.foreground, bold: true, middle: true,
                             className: "stage-value")
                    continue
                }
                let length = scale > 0 ? Double(value / scale) * barWidth : 0
                svg.rect(x: x, y: y, width: max(1, length), height: barHeight,
                         fill: palette.weightFill(scale > 0 ? Double(value / scale) : 0), stroke: palette.dim, strokeWidth: 0.5,
                         className: index == 3 ? "weight-bar" : "exp-bar", data: data)
                if cellState == .partial {
                    svg.rect(x: x, y: y, width: max(1, length), height: barHeight, fill: PicturePalette.partialFill,
                             className: "partial", data: data)
                }
                svg.text(String(format: "%.4f", Double(value)), x: x + max(1, length) + 6, y: y + barHeight / 2, size: 13,
                         fill: palette.foreground, middle: true, className: "stage-value")
            }
        }
        let bottom = top + Double(shown.count) * line
        let footer = math.hasNoKeys
            ? "every key has bias −∞: softmax is undefined, so the row is all zeros"
            : "score bars: left of centre below 0, right above, to ±\(number(scoreExtent)) · exp bars 0…1 · weight bars 0…\(weightText(maxWeight))"
        svg.text(footer, x: margin, y: bottom + 16, size: 14, fill: palette.dim, className: "caption")
        let legend = PictureLegend.draw(&svg, palette: palette,
                                        scale: .weights(maximum: maxWeight, note: "weight bars' colors, fitted to the row's largest weight"),
                                        x: margin, y: bottom + 40, causal: marks.modelLimit != nil)
        let right = max(title.right, legend.right, columnX[3] + barWidth + numberWidth)
        let heading = "Maskscope math: \(state.explorer.model.info.name), layer \(state.layer), head \(state.head), query \(query)"
        return svg.document(width: right + margin, height: legend.bottom + margin, background: palette.background, title: heading)
    }
}
