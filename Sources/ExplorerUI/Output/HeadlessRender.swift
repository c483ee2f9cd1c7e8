import AttentionCore

/// Who the drawing is for: someone at the keyboard, or a file (`maskscope render`).
public enum RenderChrome: Equatable, Sendable {
    /// The live explorer: selection, key hint, recompute timing and the selected cell's numbers.
    case interactive
    /// A still picture: no selection, hint or timing; the side panel says what the mask does.
    case document
}

/// Building the explorer's state for a still picture: the same layout code as the explorer,
/// at a size chosen so that the whole map shows.
public enum HeadlessRender {
    /// Tallest picture `fittingHeight` picks, in lines: past this a text this long scrolls off
    /// (the map shows the first rows) rather than printing thousands of lines.
    public static let maximumHeight = 300

    /// A settled state (attention computed on this thread) for drawing `explorer`'s text.
    ///
    /// - Parameters:
    ///   - width: columns; below `Layout.minimumWidth` the picture says "terminal too small".
    ///   - height: lines, or nil for `fittingHeight`.
    ///   - layer, head: 0-based, clamped to the model.
    ///   - view: which view to draw; the comparison views get their extra passes here too.
    ///   - query: the query row the math picture and the compare picture's row bars show
    ///     (clamped to the text).
    ///   - scale: what the color scale's top stands for.
    public static func state(explorer: Explorer, theme: Theme, colors: ColorCapability,
                             width: Int, height: Int? = nil, layer: Int = 0, head: Int = 0,
                             view: ExplorerView = .heatmap, query: Int? = nil, scale: WeightScale = .perHead,
                             zoom: Bool = false) -> AppState {
        var state = AppState(explorer: explorer, themes: [theme], themeIndex: 0, colors: colors,
                             width: width, height: Layout.minimumHeight, layer: layer, head: head)
        state.view = view
        state.scale = scale
        state.zoom = zoom
        if let query { state.selectedQuery = min(max(0, query), state.tokenCount - 1) }
        state.height = height ?? fittingHeight(for: state)
        return ExplorerLoop.settle(state, state.initialEffects)
    }

    /// The fewest lines at `state.width` that show every query row, the key labels at full
    /// height and (when the panel sits beside the map) the whole mask panel; at most `maximum`.
    public static func fittingHeight(for state: AppState, maximum: Int = maximumHeight) -> Int {
        let count = state.tokenCount
        let longest = state.tokens.map { DisplayWidth.of($0) }.max() ?? 1
        let fullLabelHeight = min(max(3, longest), 10)
        let upper = max(Layout.minimumHeight, maximum)
        for height in Layout.minimumHeight...upper {
            let layout = Layout(width: state.width, height: height, tokens: state.tokens, dense: false,
                                largeLegend: state.theme.largeLegend, zoom: state.zoom)
            guard !layout.isTooSmall else { return height }
            // Zoomed, labels take one line whatever their length.
            guard layout.visibleRows >= count, state.zoom || layout.columnLabelHeight >= fullLabelHeight else { continue }
            if layout.panelBeside, layout.panel.height < panelLineCount(state, width: layout.panel.width) { continue }
            return height
        }
        return upper
    }

    /// Lines the beside-the-map mask panel needs: its title, then each label and its wrapped value.
    static func panelLineCount(_ state: AppState, width: Int) -> Int {
        maskEffectLines(state).reduce(1) { $0 + 1 + max(1, wrap($1.value, width: width - 2).count) }
    }
}

extension AppState {
    /// This state with no token, cell or span selected, for a picture nobody is interacting
    /// with. Only for drawing: the reducer expects valid selections.
    var withoutSelection: AppState {
        var state = self
        state.selectedKey = -1
        // The compare view draws the selected query row as bars: it keeps its row.
        if view != .compare { state.selectedQuery = -1 }
        state.spanAnchor = nil
        state.overlay = .none
        state.message = nil
        return state
    }
}

/// What the mask does, for the document panel: each run of neighbouring tokens that share a
/// non-neutral value with that value's effect under the semantics, then the head's design.
func maskEffectLines(_ state: AppState) -> [(label: String, value: String)] {
    let tokens = state.tokens
    let mask = state.explorer.mask
    let semantics = state.explorer.semantics
    var lines: [(label: String, value: String)] = []
    var start = 0
    while start < mask.count {
        var end = start
        while end + 1 < mask.count, mask[end + 1] == mask[start] { end += 1 }
        if mask[start] != semantics.neutralValue {
            let label = start == end
                ? "\(start) \(tokens[start])"
                : "\(start)–\(end) \(tokens[start]) … \(tokens[end])"
            lines.append((label, semantics.effect(of: mask[start])))
        }
        start = end + 1
    }
    if lines.isEmpty {
        lines.append(("every token", semantics.effect(of: semantics.neutralValue)))
    }
    if let design = state.explorer.model.info.headDesigns, !state.meanOfHeads,
       state.layer < design.count, state.head < design[state.layer].count {
        lines.append(("head design", design[state.layer][state.head]))
    }
    return lines
}
