import Foundation
import AttentionCore

/// Draws the explorer: a pure function of the state, one `render…` function per region.
/// `.document` draws the same picture for a file (`maskscope render`): no selection, key hint
/// or timing, and the side panel explains the mask instead of a selected cell.
public func render(_ state: AppState, chrome: RenderChrome = .interactive) -> CellGrid {
    let state = chrome == .document ? state.withoutSelection : state
    var canvas = Canvas(state: state, chrome: chrome)
    let layout = Layout(state: state)
    canvas.grid.fill(CellRect(x: 0, y: 0, width: state.width, height: state.height),
                     with: Cell(glyph: " ", foreground: canvas.foreground, background: canvas.background))
    if layout.isTooSmall {
        renderTooSmall(&canvas, layout: layout)
        return canvas.grid
    }
    renderStatus(&canvas, layout: layout)
    renderTokenStrip(&canvas, layout: layout)
    switch state.view {
    case .heatmap:
        renderHeatmap(&canvas, layout: layout)
        renderSemanticsChange(&canvas, layout: layout)
        renderDetail(&canvas, layout: layout)
        renderLegend(&canvas, layout: layout)
        renderSemanticsChangeNote(&canvas, layout: layout)
    case .diff:
        renderHeatmap(&canvas, layout: layout)
        renderSemanticsChange(&canvas, layout: layout)
        renderDetail(&canvas, layout: layout)
        renderDiffPanel(&canvas, layout: layout)
        renderDiffLegend(&canvas, layout: layout)
        renderSemanticsChangeNote(&canvas, layout: layout)
    case .compare:
        renderCompare(&canvas, layout: layout)
        renderCompareLegend(&canvas, layout: layout)
    case .math:
        renderMath(&canvas, layout: layout)
    case .overview:
        renderOverview(&canvas, layout: layout)
        renderLegend(&canvas, layout: layout)
    case .effect:
        renderEffect(&canvas, layout: layout)
    }
    guard chrome == .interactive else { return canvas.grid }
    renderHint(&canvas, layout: layout)
    renderLessonCaption(&canvas, layout: layout)
    switch state.overlay {
    case .help: renderHelp(&canvas)
    case .editing(let editor): renderEditor(&canvas, editor: editor, layout: layout)
    case .patternPicker(let picker): renderPatternPicker(&canvas, picker: picker)
    case .none: break
    }
    return canvas.grid
}

/// The grid being drawn plus the theme's colors resolved for this terminal: themes paint
/// backgrounds only where the terminal shows smooth colors; elsewhere the terminal's own
/// colors and attributes carry the meaning.
struct Canvas {
    let state: AppState
    let chrome: RenderChrome
    var grid: CellGrid
    let usesColor: Bool
    let foreground: CellColor
    let background: CellColor
    /// The diff view's scale end: ±this is the full diverging range (see `diffExtent`).
    let deltaExtent: Float
    /// The shown map and what follows from it, computed once for this frame.
    let memo: FrameMemo

    init(state: AppState, chrome: RenderChrome = .interactive) {
        self.state = state
        self.chrome = chrome
        memo = FrameMemo(state: state)
        deltaExtent = state.view == .diff ? diffExtent(state, values: memo.values) : 1
        grid = CellGrid(width: state.width, height: state.height)
        usesColor = state.colors.hasSmoothColors && !state.theme.isMonochrome
        foreground = usesColor ? state.theme.foreground.cellColor : .default
        background = usesColor ? state.theme.background.cellColor : .default
    }

    var theme: Theme { state.theme }

    func color(_ rgb: RGB) -> CellColor { usesColor ? rgb.cellColor : .default }

    /// Writes text in the theme's colors unless told otherwise; returns the columns used.
    @discardableResult
    mutating func text(_ text: String, x: Int, y: Int, fg: CellColor? = nil, bg: CellColor? = nil,
                       attributes: CellAttributes = [], maxWidth: Int? = nil) -> Int {
        grid.put(text, x: x, y: y, fg: fg ?? foreground, bg: bg ?? background, attributes: attributes, maxWidth: maxWidth)
    }

    /// A readable glyph color on top of a heatmap color.
    func contrasting(on rgb: RGB) -> CellColor {
        let luminance = 0.2126 * Double(rgb.red) + 0.7152 * Double(rgb.green) + 0.0722 * Double(rgb.blue)
        return luminance > 140 ? .rgb(0, 0, 0) : .rgb(255, 255, 255)
    }
}

func renderTooSmall(_ canvas: inout Canvas, layout: Layout) {
    let message = "terminal too small — need at least \(Layout.minimumWidth)×\(Layout.minimumHeight)"
    let lines = wrap(message, width: layout.width).map { ($0, CellAttributes.bold) }
        + wrap("now \(layout.width)×\(layout.height); enlarge it or press q to quit", width: layout.width).map { ($0, CellAttributes()) }
    let top = max(0, (layout.height - lines.count) / 2)
    for (i, (line, attributes)) in lines.enumerated() {
        let x = max(0, (layout.width - DisplayWidth.of(line)) / 2)
        canvas.text(line, x: x, y: top + i, attributes: attributes)
    }
}

func renderStatus(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let info = state.explorer.model.info
    // 0-based like the commands' --layer/--head, with the count beside it.
    let head = state.meanOfHeads
        ? "mean of \(info.headCount) heads"
        : "head \(state.head) of \(info.headCount)" + (info.headNames != nil ? " \(info.headName(layer: state.layer, head: state.head))" : "")
    let timing: String
    if canvas.chrome == .document {
        timing = ""
    } else if state.recomputePending {
        timing = "recomputing…"
    } else if let ms = state.lastRecomputeMilliseconds {
        timing = "recomputed in \(formatMilliseconds(ms))"
    } else {
        timing = ""
    }
    let bar = canvas.color(canvas.theme.accents.selection)
    // The product name always; at narrow widths layer and head take their short forms so
    // they never drop off.
    let narrow = layout.width < 100
    var x = canvas.text(narrow ? " Maskscope" : " Maskscope ", x: 0, y: layout.statusRow,
                        fg: canvas.usesColor ? canvas.contrasting(on: canvas.theme.accents.selection) : nil,
                        bg: bar, attributes: canvas.usesColor ? .bold : [.bold, .reverse])
    let layerText = narrow ? "layer \(state.layer)/\(info.layerCount)" : "layer \(state.layer) of \(info.layerCount)"
    let headText = narrow && !state.meanOfHeads ? "head \(state.head)/\(info.headCount)" : head
    // Layer and head first: parts that do not fit are dropped from the end.
    var parts = [layerText, headText]
    let description = state.explorer.model.description
    if description.isCausal {
        // The model's own mask, named as the model's; grouped-query heads say their key/value head.
        if description.attention.groupSize > 1, !state.meanOfHeads {
            parts[1] += " · kv \(description.attention.keyValueHead(of: state.head))"
        }
        parts.append("decoder · causal")
    }
    if state.cellMode { parts.append("cell mode") }
    if state.view != .heatmap { parts.append(state.view.rawValue + " view") }
    parts.append("\(state.tokenCount) tokens")
    // Drop trailing parts that do not fit rather than cutting one in half; the model name
    // goes first, layer and head last.
    let room = layout.width - x - DisplayWidth.of(timing) - 2
    var shown = [info.name] + parts
    while shown.count > 3, DisplayWidth.of(" " + shown.joined(separator: " │ ")) > room { shown.removeLast() }
    if DisplayWidth.of(" " + shown.joined(separator: " │ ")) > room {
        let others = DisplayWidth.of(" " + shown.dropFirst().joined(separator: " │ ") + " │ ")
        let nameRoom = room - others
        if nameRoom >= 4 { shown[0] = DisplayWidth.truncate(info.name, toWidth: nameRoom) } else { shown.removeFirst() }
    }
    x += canvas.text(DisplayWidth.truncate(" " + shown.joined(separator: " │ "), toWidth: room), x: x, y: layout.statusRow,
                     attributes: canvas.theme.labelAttributes, maxWidth: room)
    if !timing.isEmpty {
        canvas.text(timing, x: layout.width - DisplayWidth.of(timing) - 1, y: layout.statusRow,
                    fg: state.recomputePending ? canvas.color(canvas.theme.accents.warning) : canvas.color(canvas.theme.accents.dim),
                    attributes: state.recomputePending ? .bold : [])
    }
    let semantics = state.explorer.semantics
    let name = " \(semantics.rawValue) "
    x = canvas.text(name, x: 0, y: layout.semanticsRow, fg: canvas.usesColor ? canvas.contrasting(on: canvas.theme.accents.label) : nil,
                    bg: canvas.color(canvas.theme.accents.label), attributes: canvas.usesColor ? .bold : [.bold, .reverse])
    // A notice shares this line until the next key, so the key hints below always stay.
    if let message = state.message, canvas.chrome == .interactive {
        canvas.text(" " + message.text, x: x, y: layout.semanticsRow,
                    fg: message.kind == .warning ? canvas.color(canvas.theme.accents.warning) : canvas.color(canvas.theme.accents.label),
                    attributes: .bold, maxWidth: layout.width - x)
        return
    }
    let pattern = state.explorer.pattern == .none ? "" : "pattern \(state.explorer.pattern.description) │ "
    canvas.text(" " + pattern + semanticsLine(state), x: x, y: layout.semanticsRow, maxWidth: layout.width - x)
}

/// What the current semantics does with the values on screen, or its summary when every
/// value is neutral.
func semanticsLine(_ state: AppState) -> String {
    let semantics = state.explorer.semantics
    var seen: [Float] = []
    for value in state.explorer.mask where value != semantics.neutralValue && !seen.contains(value) { seen.append(value) }
    let description = state.explorer.model.description
    var flagged = ""
    if description.isCausal, let rows = state.result?.queriesWithEveryAllowedKeyMasked, !rows.isEmpty {
        flagged = " · ⚠ rows \(rows.map(String.init).joined(separator: ",")) fully masked: uniform over all positions"
    }
    if let warning = state.explorer.causalWarning { flagged += " · ⚠ " + warning.replacingOccurrences(of: "warning: ", with: "") }
    guard !seen.isEmpty else { return semantics.summary(for: description) + flagged }
    let effects = seen.sorted(by: >).map { semantics.effect(of: $0, for: description) }
    let lead: String
    switch semantics {
    case .hf: lead = "transformers 5 (bool cast):"
    case .hf4 where description.hf4MaskIsBoolean: lead = "transformers 4 on this decoder (causal + m==0):"
    case .hf4: lead = "transformers 4 ((1-m)·lowest):"
    case .soft: lead = "soft (ln m):"
    case .bias: lead = "bias (added to logits):"
    }
    return lead + " " + effects.joined(separator: " · ") + flagged
}

func formatMilliseconds(_ ms: Double) -> String {
    ms < 10 ? String(format: "%.1f ms", ms) : String(format: "%.0f ms", ms)
}

func renderHint(_ canvas: inout Canvas, layout: Layout) {
    let state = canvas.state
    let hint: String
    if state.spanAnchor != nil {
        hint = "span \(state.maskTargets.lowerBound)…\(state.maskTargets.upperBound): ←→ extend  0 5 1 x + - set it  Esc cancel"
    } else if state.view == .overview {
        hint = "←→ head  ↑↓ layer  Enter open the map  o or Esc back  f scale  ? help  q quit"
    } else {
        hint = KeyBindings.hint(width: layout.width - 1, quit: state.lesson == nil ? "q quit" : "q q quit")
    }
    canvas.text(" " + hint, x: 0, y: layout.hintRow, fg: canvas.color(canvas.theme.accents.dim), maxWidth: layout.width)
}
