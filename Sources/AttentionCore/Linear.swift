/// A dense layer `y = x · Wᵀ + b`, PyTorch's `nn.Linear`.
///
/// The weight arrives as `[out][in]` from a checkpoint and is re-laid-out once, at load,
/// into the layout the matrix-multiply kernel wants; the recompute path never copies it again.
public struct Linear: Sendable {
    public let inputSize: Int
    public let outputSize: Int
    /// Weight transposed to `[in][out]`, so one input feature scales a contiguous output row.
    let weightByInput: [Float]
    let bias: [Float]

    /// - Parameters:
    ///   - weight: `[out][in]`, as stored in a Hugging Face checkpoint.
    ///   - bias: `[out]`.
    public init(weight: Matrix, bias: [Float]) {
        precondition(bias.count == weight.rows, "Linear: bias has \(bias.count) values for \(weight.rows) outputs")
        inputSize = weight.columns
        outputSize = weight.rows
        var transposed = [Float](repeating: 0, count: weight.values.count)
        for o in 0..<weight.rows {
            for i in 0..<weight.columns {
                transposed[i * weight.rows + o] = weight.values[o * weight.columns + i]
            }
        }
        weightByInput = transposed
        self.bias = bias
    }

    /// `x` is `[token][in]`; the result is `[token][out]`.
    public func apply(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputSize, "Linear: input has \(x.columns) features, expected \(inputSize)")
        var y = Matrix(zeros: x.rows, outputSize)
        let n = outputSize
        x.values.withUnsafeBufferPointer { xp in
            weightByInput.withUnsafeBufferPointer { wp in
                y.values.withUnsafeMutableBufferPointer { yp in
                    for r in 0..<x.rows {
                        let out = yp.baseAddress! + r * n
                        for o in 0..<n { out[o] = bias[o] }
                        for i in 0..<inputSize {
                            let a = xp[r * inputSize + i]
                            let w = wp.baseAddress! + i * n
                            for o in 0..<n { out[o] += a * w[o] }
                        }
                    }
                }
            }
        }
        return y
    }
}
