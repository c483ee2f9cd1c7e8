/// What several regions of one frame read, computed at most once per frame.
///
/// Each value costs a copy of the shown L×L map or more (the `s` marks compare two of them):
/// a heatmap frame with the `s` note used to build the same map eight times, 8 MB of copies at
/// 512 tokens. A reference type so that functions handed the canvas by value share it; it
/// lives for one `render` call, on the drawing thread only.
final class FrameMemo {
    let state: AppState

    init(state: AppState) { self.state = state }

    /// `shownWeights(state)`: the state's layer and head (or mean of heads), `[query][key]`.
    private(set) lazy var weights: [[Float]]? = shownWeights(state)

    /// `shownValues(state)`: the weights, or the diff view's masked − unmasked deltas.
    private(set) lazy var values: (values: [[Float]], diverging: Bool)? = shownValues(state, masked: weights)

    /// The colour scale of the shown weights, shared by the heatmap and its legend.
    private(set) lazy var weightFit = ScaleFit(state.scale, weights: weights ?? [])

    /// `semanticsChangeCells(state)`: the cells the `s` marks show, nil when none show.
    private(set) lazy var semanticsChanged: [(query: Int, key: Int, rose: Bool)]? = semanticsChangeCells(state, now: weights)
}
