/// A forward pass whose numbers cannot be shown.
public enum ModelOutputError: Error, CustomStringConvertible, Equatable {
    /// An attention weight came out NaN or ±∞: the activations overflowed float32 (weights
    /// far too large for this text). Reported with the first place it happened.
    case nonFinite(layer: Int, head: Int, query: Int, model: String)

    public var description: String {
        switch self {
        case let .nonFinite(layer, head, query, model):
            return "\(model)'s attention is not finite (NaN or ∞) from layer \(layer), head \(head), query \(query) on: its activations overflow float32 on this text, so the weights would be meaningless; the checkpoint's weights are probably damaged or far too large"
        }
    }

    /// Throws `nonFinite` for the first non-finite weight of `result`, if any.
    public static func check(_ result: ForwardResult?, model: String) throws {
        guard let result, let place = result.firstNonFiniteWeight else { return }
        throw nonFinite(layer: place.layer, head: place.head, query: place.query, model: model)
    }
}
