/// The leading rows a causal pass takes from an earlier result of the same input instead of
/// computing them: queries `0..<count`, whose bias rows did not change. A token of a causal
/// model sees only itself and earlier tokens, so its hidden state, projections and attention
/// rows at every layer depend on those rows of the bias alone (see `EncoderModel.reusableRows`).
struct ReusedRows {
    let previous: ForwardResult
    /// Rows reused, `1...L`.
    let count: Int

    /// Copies rows `0..<count` of every head of `layer` from `previous` into `target`
    /// (`[head][L][L]` of the pass in flight).
    func copyWeights(layer: Int, into target: UnsafeMutablePointer<Float>, length: Int) {
        previous.attention.weights.withLayer(layer) { old in
            guard let old = old.baseAddress else { return }
            for head in 0..<previous.attention.headCount {
                let start = head * length * length                                   // [L][L] of this head
                (target + start).update(from: old + start, count: count * length)
            }
        }
    }

    /// Copies the kept projections of rows `0..<count` of `layer` (≥ 1) from `previous` into
    /// `target` (`[L][shape.rowWidth]` of the pass in flight).
    func copyProjections(layer: Int, into target: UnsafeMutablePointer<Float>, length: Int, shape: KeptShape) {
        withExtendedLifetime(previous.laterProjections) {
            let old = previous.laterProjections.base + (layer - 1) * length * shape.rowWidth   // [L][rowWidth]
            target.update(from: old, count: count * shape.rowWidth)
        }
    }
}
