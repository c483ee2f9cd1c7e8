/// Self-attention of one head, in place on `[token][hidden]` activations where the head's
/// query, key and value vectors are `headSize` contiguous floats at a row stride.
enum AttentionKernels {
    /// `weights = softmax(scale · Q·Kᵀ + bias)` row by row, then `context = weights · V`.
    ///
    /// The scale rides on the `Q·Kᵀ` kernel's store; the bias add, row maximum, exponentials
    /// and normalisation happen in one pass per query row while it is in L1
    /// (`maskedSoftmaxRow`). Allocation-free.
    ///
    /// - Parameters:
    ///   - query, key, value: the head's first element; rows `*Stride` floats apart, `length` rows.
    ///   - bias: `[query][key]`, `length × length`.
    ///   - weights: receives the probabilities, `length × length` row-major.
    ///   - context: receives `length × headSize`, rows `contextStride` apart.
    ///   - scratch: `HeadProducts.scratchCount(keys: length, headSize: headSize)` floats of
    ///     this thread's own.
    static func attend(
        query: UnsafePointer<Float>, queryStride: Int, key: UnsafePointer<Float>, keyStride: Int,
        value: UnsafePointer<Float>, valueStride: Int, length: Int, headSize: Int, scale: Float,
        bias: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
        context: UnsafeMutablePointer<Float>, contextStride: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        HeadProducts.scores(
            query: query, queryStride: queryStride, queries: length,
            key: key, keyStride: keyStride, keys: length, headSize: headSize, scale: scale,
            into: weights, scoresStride: length, scratch: scratch)
        for row in 0..<length {
            maskedSoftmaxRow(weights + row * length, bias: bias + row * length, count: length)
        }
        HeadProducts.context(
            probabilities: weights, probabilitiesStride: length, queries: length,
            value: value, valueStride: valueStride, keys: length, headSize: headSize,
            into: context, contextStride: contextStride, scratch: scratch)
    }
}
