import AttentionCore
/// Draws a framed box and returns its inner rectangle.
func drawBox(_ canvas: inout Canvas, _ rect: CellRect, title: String) -> CellRect {
    let accent = canvas.color(canvas.theme.accents.selection)
    canvas.grid.fill(rect, with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
    for x in rect.x...right {
        canvas.text("─", x: x, y: rect.y, fg: accent)
        canvas.text("─", x: x, y: bottom, fg: accent)
    }
    for y in rect.y...bottom {
        canvas.text("│", x: rect.x, y: y, fg: accent)
        canvas.text("│", x: right, y: y, fg: accent)
    }
    canvas.text("┌", x: rect.x, y: rect.y, fg: accent)
    canvas.text("┐", x: right, y: rect.y, fg: accent)
    canvas.text("└", x: rect.x, y: bottom, fg: accent)
    canvas.text("┘", x: right, y: bottom, fg: accent)
    canvas.text(" \(title) ", x: rect.x + 2, y: rect.y, fg: accent, attributes: .bold, maxWidth: rect.width - 4)
    return CellRect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
}

/// The key table, generated from `KeyBindings`, in two columns when they fit.
func renderHelp(_ canvas: inout Canvas) {
    let state = canvas.state
    var entries: [(label: String, help: String, heading: Bool)] = []
    var group = ""
    for binding in KeyBindings.helpRows {
        if binding.group != group {
            group = binding.group
            entries.append((group, "", true))
        }
        entries.append((binding.label, binding.help, false))
    }
    entries.append(("mouse", "click selects, wheel scrolls", false))
    entries.append(("Semantics (s)", "", true))
    for semantics in MaskSemantics.allCases {
        entries.append((semantics.rawValue, semantics.shortSummary, false))
    }
    let boxWidth = min(state.width, 120)
    let boxHeight = state.height
    let rect = CellRect(x: (state.width - boxWidth) / 2, y: 0, width: boxWidth, height: boxHeight)
    let inner = drawBox(&canvas, rect, title: "Maskscope keys — Esc or ? closes")
    let columnCount = inner.height < entries.count && inner.width >= 60 ? 2 : 1
    let columnWidth = (inner.width - (columnCount - 1) * 2) / columnCount
    var perColumn = (entries.count + columnCount - 1) / columnCount
    if columnCount == 2 {
        // Fill the first column to the bottom, but never end it on a group heading.
        perColumn = max(perColumn, min(inner.height, entries.count))
        if perColumn < entries.count, entries[perColumn - 1].heading {
            entries.insert(("", "", false), at: perColumn - 1)
        } else if perColumn < entries.count, !entries[perColumn].heading,
                  let heading = entries[..<perColumn].last(where: { $0.heading }) {
            // A group split across the columns names itself again at the top of the second.
            entries.insert((heading.label + " (continued)", "", true), at: perColumn)
        }
    }
    let labelColor = canvas.color(canvas.theme.accents.label)
    for (index, entry) in entries.enumerated() {
        let column = index / perColumn, line = index % perColumn
        guard line < inner.height else { continue }
        let x = inner.x + column * (columnWidth + 2), y = inner.y + line
        if entry.heading {
            canvas.text(entry.label, x: x, y: y, fg: labelColor, attributes: .bold, maxWidth: columnWidth)
        } else {
            let used = canvas.text(DisplayWidth.pad(entry.label, toWidth: 8), x: x, y: y, attributes: .bold, maxWidth: columnWidth)
            canvas.text(entry.help, x: x + used + 1, y: y, maxWidth: columnWidth - used - 1)
        }
    }
}

func renderEditor(_ canvas: inout Canvas, editor: LineEditor, layout: Layout) {
    let state = canvas.state
    let preparing = state.preparingText != nil && state.preparingText == editor.text
    let height = editor.error == nil && !preparing ? 4 : 5
    let rect = CellRect(x: 0, y: layout.tokenRow, width: state.width, height: height)
    let inner = drawBox(&canvas, rect, title: "Edit the text — Enter applies (masks reset) · Esc cancels · Ctrl-U clears")
    // Scroll the line so the cursor stays in view: the line starts at the earliest character
    // from which the text up to the cursor still fits, found by walking back from the cursor.
    // (Measuring every candidate prefix again made each frame quadratic in the text: 0.4 s
    // per key on a 2,000-character text.)
    let characters = Array(editor.text)
    var start = min(editor.cursor, characters.count)
    var used = 0
    while start > 0 {
        let width = DisplayWidth.of(String(characters[start - 1]))
        guard used + width <= inner.width - 2 else { break }
        used += width
        start -= 1
    }
    var x = inner.x
    for (index, character) in characters.enumerated().dropFirst(start) {
        let glyph = String(character)
        guard x + DisplayWidth.of(glyph) <= inner.x + inner.width - 1 else { break }
        x += canvas.text(glyph, x: x, y: inner.y, attributes: index == editor.cursor ? .reverse : [])
    }
    if editor.cursor == characters.count { canvas.text(" ", x: x, y: inner.y, attributes: .reverse) }
    if let error = editor.error {
        canvas.text(error, x: inner.x, y: inner.y + 1, fg: canvas.color(canvas.theme.accents.warning), attributes: .bold, maxWidth: inner.width)
    } else if preparing {
        canvas.text("preparing the new text… (the map behind is still the old one; Esc keeps it)", x: inner.x, y: inner.y + 1,
                    fg: canvas.color(canvas.theme.accents.dim), maxWidth: inner.width)
    }
}

/// The pattern catalog with the highlighted entry, and the line that will be applied.
func renderPatternPicker(_ canvas: inout Canvas, picker: PatternPicker) {
    let state = canvas.state
    let catalog = MaskPattern.catalog(documentSeparator: state.explorer.documentSeparatorName)
    let height = min(state.height, catalog.count + 6 + (picker.editor.error == nil ? 0 : 1))
    let rect = CellRect(x: 0, y: max(0, (state.height - height) / 2), width: state.width, height: height)
    let inner = drawBox(&canvas, rect, title: "Pattern — ↑↓ choose · edit the arguments · Enter applies · Esc cancels")
    canvas.text("cell mask = pattern(query, key) × the key's mask value; then the semantics", x: inner.x, y: inner.y,
                fg: canvas.color(canvas.theme.accents.dim), maxWidth: inner.width)
    // The syntax column fits the longest syntax; a summary too long for its line ends in "…",
    // and the selected one is shown in full under the list.
    let syntaxWidth = min(catalog.map { DisplayWidth.of($0.syntax) }.max() ?? 22, max(8, inner.width / 3))
    var listEnd = inner.y + 1
    for (index, entry) in catalog.enumerated() {
        let y = inner.y + 1 + index
        guard y < inner.y + inner.height - 2 else { break }
        let selected = index == picker.selection
        let used = canvas.text(DisplayWidth.pad(DisplayWidth.truncate(entry.syntax, toWidth: syntaxWidth), toWidth: syntaxWidth),
                               x: inner.x, y: y, attributes: selected ? [.bold, .reverse] : .bold, maxWidth: inner.width)
        let room = inner.width - used - 1
        let summary = DisplayWidth.of(entry.summary) <= room ? entry.summary : DisplayWidth.truncate(entry.summary, toWidth: room)
        canvas.text(summary, x: inner.x + used + 1, y: y, attributes: selected ? .reverse : [], maxWidth: room)
        listEnd = y + 1
    }
    let lineY = inner.y + inner.height - (picker.editor.error == nil ? 1 : 2)
    if catalog.indices.contains(picker.selection) {
        let full = wrap(catalog[picker.selection].summary, width: inner.width)
        for (offset, piece) in full.prefix(max(0, lineY - listEnd)).enumerated() {
            canvas.text(piece, x: inner.x, y: listEnd + offset, fg: canvas.color(canvas.theme.accents.label), maxWidth: inner.width)
        }
    }
    let prompt = canvas.text("pattern: ", x: inner.x, y: lineY, fg: canvas.color(canvas.theme.accents.label), attributes: .bold)
    let characters = Array(picker.editor.text)
    var x = inner.x + prompt
    for (index, character) in characters.enumerated() {
        x += canvas.text(String(character), x: x, y: lineY, attributes: index == picker.editor.cursor ? .reverse : [])
    }
    if picker.editor.cursor == characters.count { canvas.text(" ", x: x, y: lineY, attributes: .reverse) }
    if let error = picker.editor.error {
        canvas.text(error, x: inner.x, y: lineY + 1, fg: canvas.color(canvas.theme.accents.warning), attributes: .bold, maxWidth: inner.width)
    }
}
