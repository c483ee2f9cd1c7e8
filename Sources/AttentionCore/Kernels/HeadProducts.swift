/// The two per-head matrix products of self-attention, on the same register-tiled kernel as
/// `Linear`: `scores = scale · Q·Kᵀ` and `context = P·V`.
///
/// Q, K and V of one head are usually column slices of `[token][hidden]` activations: head `h`
/// of a `[L][H]` buffer starts at `base + h * headSize` with row stride `H`. Every function
/// takes such (pointer, stride) pairs, so nothing is copied out first; the right-hand operand
/// (`Kᵀ` or `V`, at most `headSize × keys` floats) is packed into caller-provided `scratch`.
/// Allocation-free. To use several cores, give each thread its own heads and its own scratch.
public enum HeadProducts {
    /// Floats of `scratch` that `scores` and `context` need for up to `keys` keys.
    public static func scratchCount(keys: Int, headSize: Int, kernel: MatrixKernel = .best) -> Int {
        let width = kernel.tileColumns
        let roundUp = { (x: Int) in (x + width - 1) / width * width }
        return max(1, headSize * roundUp(keys), keys * roundUp(headSize))
    }

    /// `scores[i][j] = scale · Σ_c query[i][c] · key[j][c]`: one head's attention logits.
    ///
    /// - Parameters:
    ///   - query: `queries × headSize`, row `i` at `query + i * queryStride`.
    ///   - key: `keys × headSize`, row `j` at `key + j * keyStride`.
    ///   - scale: usually `1 / sqrt(headSize)`.
    ///   - scores: `queries × keys` output, row `i` at `scores + i * scoresStride`.
    ///   - scratch: `scratchCount(keys:headSize:kernel:)` floats, not overlapping anything else.
    public static func scores(
        query: UnsafePointer<Float>, queryStride: Int, queries: Int,
        key: UnsafePointer<Float>, keyStride: Int, keys: Int, headSize: Int, scale: Float,
        into scores: UnsafeMutablePointer<Float>, scoresStride: Int,
        scratch: UnsafeMutablePointer<Float>, kernel: MatrixKernel = .best
    ) {
        guard queries > 0, keys > 0 else { return }
        let layout = PanelLayout(depth: headSize, columns: keys, panelWidth: kernel.tileColumns)
        layout.pack(from: key, depthStride: 1, columnStride: keyStride, into: scratch)
        PanelMultiply(kernel: kernel, layout: layout, panels: scratch, bias: nil, scale: scale).run(
            a: query, aStride: queryStride, rows: queries, c: scores, cStride: scoresStride, workers: nil
        )
    }

    /// `context[i][c] = Σ_j probabilities[i][j] · value[j][c]`: one head's weighted values.
    ///
    /// - Parameters:
    ///   - probabilities: `queries × keys`, row `i` at `probabilities + i * probabilitiesStride`.
    ///   - value: `keys × headSize`, row `j` at `value + j * valueStride`.
    ///   - context: `queries × headSize` output, row `i` at `context + i * contextStride`
    ///     (e.g. head `h`'s columns of the `[L][H]` context).
    ///   - scratch: `scratchCount(keys:headSize:kernel:)` floats, not overlapping anything else.
    public static func context(
        probabilities: UnsafePointer<Float>, probabilitiesStride: Int, queries: Int,
        value: UnsafePointer<Float>, valueStride: Int, keys: Int, headSize: Int,
        into context: UnsafeMutablePointer<Float>, contextStride: Int,
        scratch: UnsafeMutablePointer<Float>, kernel: MatrixKernel = .best
    ) {
        guard queries > 0, headSize > 0 else { return }
        let layout = PanelLayout(depth: keys, columns: headSize, panelWidth: kernel.tileColumns)
        layout.pack(from: value, depthStride: valueStride, columnStride: 1, into: scratch)
        PanelMultiply(kernel: kernel, layout: layout, panels: scratch, bias: nil, scale: 1).run(
            a: probabilities, aStride: probabilitiesStride, rows: queries, c: context, cStride: contextStride, workers: nil
        )
    }
}
