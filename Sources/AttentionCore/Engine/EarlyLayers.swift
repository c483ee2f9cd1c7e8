/// Asks `EncoderModel.forward` to hand over the attention of the first layers as soon as
/// they are computed, so a view showing layer `throughLayer` can update before the deeper
/// layers are done.
///
/// The early result has every layer: layers `0...throughLayer` from the pass in flight
/// (`completedLayers == throughLayer + 1`) and the rest copied from `previous`, so whatever
/// reads a deeper layer meanwhile sees the last finished map (and raw scores), never a
/// half-written one; its `bias` is this pass's and `hidden` is nil. It is published only when `previous` has the same shape (layers, heads, tokens) and
/// `throughLayer` is not the last layer (then the full result is just as early).
public struct EarlyLayers {
    /// The deepest layer the early result must hold, 0-based.
    public let throughLayer: Int
    /// The last complete result of the same text, source of the layers not computed yet.
    public let previous: ForwardResult?
    /// Called on the computing thread, at most once per pass, before the pass continues.
    public let publish: (ForwardResult) -> Void

    public init(throughLayer: Int, previous: ForwardResult?, publish: @escaping (ForwardResult) -> Void) {
        self.throughLayer = throughLayer
        self.previous = previous
        self.publish = publish
    }
}
