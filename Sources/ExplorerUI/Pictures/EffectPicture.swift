import AttentionCore
import Foundation

/// How the mask changes the model's output, against the unmasked run, as an SVG: the sentence
/// embedding's cosine, one bar per token's last hidden state (cosine to the unmasked run; a
/// token masked as a key is hatched behind its bar and named as masked), and the [MASK]
/// predictions before and after.
struct EffectPicture {
    let state: AppState

    var document: String {
        guard let result = state.result, let comparison = state.comparison, state.comparisonGeneration == state.generation,
              result.attention.length == state.tokenCount, result.hidden != nil, comparison.unmasked.hidden != nil else {
            return notePicture(state, heading: "Output effect", note: "the unmasked pass is not computed")
        }
        if state.explorer.model.causalLMHead != nil {
            return nextTokenDocument(comparison.nextToken)
        }
        let effect = OutputEffect(explorer: state.explorer, masked: result, unmasked: comparison.unmasked)
        let palette = PicturePalette(theme: state.theme)
        let tokens = state.tokens
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Output effect",
                                      caption: "this mask against no mask (all ones), same text; cosine 1 = unchanged",
                                      x: margin, y: margin)
        var y = title.bottom + 30
        svg.text(String(format: "sentence embedding (mean of last hidden states): cosine %.4f", Double(effect.sentenceCosine)),
                 x: margin, y: y, size: 16, fill: palette.foreground, bold: true, className: "sentence-cosine")
        y += 34
        svg.text("each token's last hidden state, cosine to the unmasked run", x: margin, y: y, size: 15, fill: palette.label,
                 className: "section")
        y += 14
        let marks = MaskMarks(state.explorer)
        let labelWidth = (tokens.enumerated().map { SVGBuilder.textWidth("\($0.offset) \($0.element)", size: 14) }.max() ?? 80) + 70
        let barWidth = 360.0, barHeight = 16.0, line = 22.0
        let semantics = state.explorer.semantics
        for (position, cosine) in effect.tokenCosines.enumerated().prefix(pictureMaximumTokens) {
            let top = y + Double(position) * line
            let columnState = marks.columnState(position)
            let closed = columnState == .masked
            svg.text("\(position) \(tokens[position])", x: margin + labelWidth - 66, y: top + barHeight / 2, size: 14,
                     fill: closed ? palette.masked : palette.label, anchor: "end", bold: true, middle: true, className: "effect-token")
            svg.text(maskMarker(state.explorer.mask[position], semantics), x: margin + labelWidth - 58, y: top + barHeight / 2, size: 13,
                     fill: columnState == .kept || columnState == .boosted ? palette.dim : palette.masked, middle: true, className: "mask-value")
            let x = margin + labelWidth
            let data = [("k", String(position))]
            if closed {
                svg.rect(x: x, y: top, width: barWidth, height: barHeight, fill: PicturePalette.maskedFill, className: "masked", data: data)
            } else if columnState == .partial {
                svg.rect(x: x, y: top, width: barWidth, height: barHeight, fill: PicturePalette.partialFill, className: "partial", data: data)
            }
            let fraction = Double(max(0, min(1, cosine)))
            svg.rect(x: x, y: top + 3, width: max(1, fraction * barWidth), height: barHeight - 6, fill: palette.weightFill(fraction),
                     stroke: palette.dim, strokeWidth: 0.5, className: "cosine-bar", data: data)
            svg.text(String(format: "%.4f", Double(cosine)) + (closed ? "  (masked as a key)" : ""), x: x + barWidth + 8,
                     y: top + barHeight / 2, size: 13, fill: palette.foreground, middle: true, className: "cosine-value")
        }
        y += Double(min(effect.tokenCosines.count, pictureMaximumTokens)) * line + 24
        var right = max(title.right, margin + labelWidth + barWidth + 200)
        let predictionLines: [String]
        if !effect.hasMaskedLMHead {
            predictionLines = ["(this checkpoint has no masked-LM head, so there are no [MASK] predictions to compare)"]
        } else if effect.maskPredictions.isEmpty {
            predictionLines = ["put \(effect.maskToken) in the text to see the model's predictions there before and after"]
        } else {
            predictionLines = effect.maskPredictions.flatMap { prediction -> [String] in
                let before = state.shownPredictions(prediction.before)
                let after = state.shownPredictions(prediction.after)
                return ["\(effect.maskToken) at \(prediction.position): before \(before)", "                after  \(after)"]
            }
        }
        for text in predictionLines {
            svg.text(text, x: margin, y: y, size: 14, fill: palette.foreground, className: "prediction")
            right = max(right, margin + SVGBuilder.textWidth(text, size: 14))
            y += 20
        }
        y += 10
        svg.rect(x: margin, y: y, width: 28, height: 18, fill: PicturePalette.maskedFill, stroke: palette.dim, className: "legend-masked")
        svg.text("masked: weight forced to 0 (no query attends to this token)", x: margin + 38, y: y + 9, size: 14,
                 fill: palette.foreground, middle: true, className: "legend-text")
        y += 26
        svg.rect(x: margin, y: y, width: 28, height: 18, fill: PicturePalette.partialFill, stroke: palette.dim, className: "legend-partial")
        svg.text("kept partly: attended to with a reduced weight, or closed for some queries only", x: margin + 38, y: y + 9, size: 14,
                 fill: palette.foreground, middle: true, className: "legend-text")
        let heading = "Maskscope effect: \(state.explorer.model.info.name), \(semantics.rawValue)"
        return svg.document(width: right + margin, height: y + 18 + margin, background: palette.background, title: heading)
    }

    /// A decoder's output effect, as the explorer's effect view shows it: the next-token top-5
    /// after the effect's query position with no mask (the model's causal mask only) and with
    /// this mask, side by side with probability bars, KL(before ‖ after), then the text as a
    /// strip of tokens, each hatched where the mask closes it for every query (dotted where for
    /// some only) and the predicting position framed.
    private func nextTokenDocument(_ next: NextTokenEffect?) -> String {
        guard let next, next.position == state.effectQuery, next.position < state.tokenCount else {
            return notePicture(state, heading: "Next-token effect", note: "the next-token predictions are not computed")
        }
        let palette = PicturePalette(theme: state.theme)
        let tokens = state.tokens
        let tokenizer = state.explorer.model.tokenizer
        var svg = SVGBuilder()
        palette.defineMarks(&svg)
        let margin = 40.0
        let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: "Next-token effect",
                                      caption: "the next token after position \(next.position) (\(tokens[next.position])): no mask against this mask",
                                      x: margin, y: margin)
        var y = title.bottom + 36
        let tokenWidth = 190.0, barWidth = 220.0, column = tokenWidth + barWidth + 110, line = 32.0
        for (side, heading) in ["before: no mask (causal mask only)", "after: this mask"].enumerated() {
            svg.text(heading, x: margin + Double(side) * column, y: y, size: 18, fill: palette.label, bold: true, className: "section")
        }
        y += 18
        for rank in 0..<max(next.before.count, next.after.count) {
            let top = y + Double(rank) * line
            for (side, list) in [next.before, next.after].enumerated() where rank < list.count {
                let candidate = list[rank]
                let x = margin + Double(side) * column
                let shown = DisplayWidth.truncate(tokenizer.displayForm(of: candidate.token), toWidth: 13)
                svg.text("\(rank + 1)", x: x, y: top + 12, size: 16, fill: palette.dim, middle: true, className: "rank")
                svg.text(shown, x: x + 24, y: top + 12, size: 18, fill: palette.foreground, bold: rank == 0, middle: true,
                         className: side == 0 ? "before-token" : "after-token")
                let fraction = max(0, min(1, candidate.probability))
                svg.rect(x: x + tokenWidth, y: top + 2, width: barWidth, height: 20, fill: palette.background, stroke: palette.dim,
                         strokeWidth: 0.5, className: "probability-frame")
                svg.rect(x: x + tokenWidth, y: top + 2, width: max(1, fraction * barWidth), height: 20, fill: palette.weightFill(fraction),
                         className: "probability-bar")
                svg.text(String(format: "%.3f", candidate.probability), x: x + tokenWidth + barWidth + 10, y: top + 12, size: 18,
                         fill: palette.foreground, middle: true, className: side == 0 ? "before-probability" : "after-probability")
            }
        }
        y += Double(max(next.before.count, next.after.count)) * line + 22
        svg.text(String(format: "KL(before ‖ after) = %.4f nats", next.klDivergence), x: margin, y: y, size: 20, fill: palette.foreground,
                 bold: true, className: "kl")
        y += 40
        svg.text("the text: hatched = masked as a key for every query · dotted = for some · framed = predicts the next token", x: margin, y: y,
                 size: 14, fill: palette.label, className: "section")
        y += 14
        // The tokens as boxes, wrapped to the width of the two columns.
        let marks = MaskMarks(state.explorer)
        let right = max(title.right, margin + 2 * column)
        var x = margin
        let boxHeight = 34.0
        for (position, token) in tokens.enumerated().prefix(pictureMaximumTokens) {
            let label = "\(position) \(token)"
            let width = SVGBuilder.textWidth(label, size: 14) + 22
            if x + width > right, x > margin {
                x = margin
                y += boxHeight + 8
            }
            let data = [("k", String(position))]
            switch marks.columnState(position) {
            case .masked:
                svg.rect(x: x, y: y, width: width, height: boxHeight, fill: PicturePalette.maskedFill, className: "masked", data: data)
            case .partial:
                svg.rect(x: x, y: y, width: width, height: boxHeight, fill: PicturePalette.partialFill, className: "partial", data: data)
            default:
                break
            }
            // A solid inner box keeps the label readable on the hatch, which stays as a frame.
            svg.rect(x: x + 5, y: y + 5, width: width - 10, height: boxHeight - 10, fill: palette.background, className: "token-ground")
            svg.rect(x: x, y: y, width: width, height: boxHeight, fill: "none",
                     stroke: position == next.position ? palette.selection : palette.dim,
                     strokeWidth: position == next.position ? 2.5 : 0.75, className: "effect-token", data: data)
            svg.text(label, x: x + 11, y: y + boxHeight / 2, size: 14, fill: palette.foreground, middle: true, className: "token-label")
            x += width + 6
        }
        y += boxHeight + 24
        let heading = "Maskscope next-token effect: \(state.explorer.model.info.name), \(state.explorer.semantics.rawValue)"
        return svg.document(width: right + margin, height: y + margin, background: palette.background, title: heading)
    }
}
