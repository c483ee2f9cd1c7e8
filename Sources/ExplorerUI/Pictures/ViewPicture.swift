import AttentionCore

/// The view a state shows as a standalone SVG picture, for slides and papers: `maskscope
/// render --format svg` and the explorer's `w` write it.
///
/// Drawn from the state (tokens, mask, semantics, weights), not from terminal cells: each
/// weight is its own square with a tooltip, closed cells are hatched and partly kept ones
/// dotted (never a color of the weight scale), labels sit on both axes and a legend gives the
/// scale's numbers and the marks in words. The comparison views need `state.comparison`.
public func svgDocument(for state: AppState) -> String {
    switch state.view {
    case .heatmap: return HeatmapPicture(state: state).document
    case .compare: return ComparePicture(state: state).document
    case .diff: return DiffPicture(state: state).document
    case .overview: return OverviewPicture(state: state).document
    case .math: return MathPicture(state: state).document
    case .effect: return EffectPicture(state: state).document
    }
}

/// Past this many tokens per axis squares get too small to read; the rest is left out and the
/// title says which positions are shown.
let pictureMaximumTokens = 160

/// The positions a picture shows from `offset`: at most `pictureMaximumTokens`.
func pictureRange(offset: Int, count: Int) -> Range<Int> {
    let start = min(max(0, offset), max(0, count - 1))
    return start..<min(count, start + pictureMaximumTokens)
}

/// A picture that cannot be drawn yet (no attention computed): a titled note, still valid SVG.
func notePicture(_ state: AppState, heading: String, note: String) -> String {
    let palette = PicturePalette(theme: state.theme)
    var svg = SVGBuilder()
    let title = PictureTitle.draw(&svg, palette: palette, state: state, heading: heading, caption: note, x: 40, y: 40)
    return svg.document(width: title.right + 40, height: title.bottom + 40, background: palette.background, title: heading)
}
