/// The two small products of attention, per head: `scores = Q·Kᵀ · scale + bias` and
/// `context = P·V`. Q, K and V are read in place from `[token][hidden]` activations, where
/// one head's vectors are `headSize` contiguous floats at a stride of `rowStride`.
enum AttentionKernels {
    /// `scores[q][k] = (Σ_i queries[q][i] · keys[k][i]) · scale + bias[q][k]`, `L × L` floats.
    static func scores(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, rowStride: Int,
                       headSize: Int, length: Int, scale: Float, bias: UnsafePointer<Float>,
                       into scores: UnsafeMutablePointer<Float>) {
        for q in 0..<length {
            let queryRow = queries + q * rowStride
            for k in 0..<length {
                let keyRow = keys + k * rowStride
                var dot: Float = 0
                for i in 0..<headSize { dot += queryRow[i] * keyRow[i] }
                scores[q * length + k] = dot * scale + bias[q * length + k]
            }
        }
    }

    /// `context[q][i] = Σ_k weights[q][k] · values[k][i]`, written at `rowStride`.
    static func context(weights: UnsafePointer<Float>, values: UnsafePointer<Float>, rowStride: Int,
                        headSize: Int, length: Int, into context: UnsafeMutablePointer<Float>) {
        for q in 0..<length {
            let out = context + q * rowStride
            for i in 0..<headSize { out[i] = 0 }
            for k in 0..<length {
                let w = weights[q * length + k]
                if w == 0 { continue }
                let valueRow = values + k * rowStride
                for i in 0..<headSize { out[i] += w * valueRow[i] }
            }
        }
    }
}
