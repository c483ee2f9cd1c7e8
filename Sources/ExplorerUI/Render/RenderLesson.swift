/// The lesson's caption: a box across the bottom of the screen, just above the key hint, titled
/// "step i of n — title" with the lesson keys on its lower edge. It covers the legend and the
/// last query rows; `C` hides it (a short tag on the hint line then says how to get it back).
func renderLessonCaption(_ canvas: inout Canvas, layout: Layout) {
    guard let player = canvas.state.lesson else { return }
    let state = canvas.state
    let position = "step \(player.stepIndex + 1) of \(player.stepCount)"
    guard player.captionVisible else {
        let tag = " \(position) · C caption "
        let x = max(0, state.width - DisplayWidth.of(tag))
        canvas.text(tag, x: x, y: layout.hintRow, fg: canvas.color(canvas.theme.accents.label), attributes: [.bold, .reverse])
        return
    }
    let lines = lessonCaptionLines(player.step.caption, width: state.width - 4, maxLines: max(1, state.height * 2 / 5 - 2))
    let height = lines.count + 2
    let rect = CellRect(x: 0, y: max(0, layout.hintRow - height), width: state.width, height: height)
    let inner = drawBox(&canvas, rect, title: "\(position) — \(player.lesson.title)")
    for (index, line) in lines.enumerated() {
        canvas.text(line, x: inner.x, y: inner.y + index, maxWidth: inner.width)
    }
    let keys = " \(LessonKeys.hint) "
    let keysX = rect.x + rect.width - 2 - DisplayWidth.of(keys)
    if keysX > rect.x + 1 {
        canvas.text(keys, x: keysX, y: rect.y + rect.height - 1, fg: canvas.color(canvas.theme.accents.dim))
    }
}

/// The caption word-wrapped to `width`, its own line breaks kept, at most `maxLines` lines (the
/// last one ending in "…" when the caption is cut).
func lessonCaptionLines(_ caption: String, width: Int, maxLines: Int) -> [String] {
    guard width > 0, maxLines > 0 else { return [] }
    var lines: [String] = []
    for paragraph in caption.trimmingTrailingNewlines.split(separator: "\n", omittingEmptySubsequences: false) {
        let words = paragraph.split(separator: " ").joined(separator: " ")
        lines += words.isEmpty ? [""] : wrap(words, width: width)
    }
    guard lines.count > maxLines else { return lines }
    var kept = Array(lines.prefix(maxLines))
    let last = kept[maxLines - 1]
    kept[maxLines - 1] = DisplayWidth.of(last) < width ? last + "…" : DisplayWidth.truncate(last + "…", toWidth: width)
    return kept
}

private extension String {
    var trimmingTrailingNewlines: Substring {
        var text = Substring(self)
        while let last = text.last, last.isNewline { text.removeLast() }
        return text
    }
}
