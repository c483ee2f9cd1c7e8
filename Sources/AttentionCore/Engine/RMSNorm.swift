/// Root-mean-square normalisation over the feature dimension, Llama's `LlamaRMSNorm`:
/// `x / √(mean(x²) + ε) · γ`, no mean subtracted and no bias.
public struct RMSNorm: Sendable {
    public let gamma: [Float]
    public let epsilon: Float

    public init(gamma: [Float], epsilon: Float) {
        self.gamma = gamma
        self.epsilon = epsilon
    }

    /// `norm(x + residual)` (or `norm(x)` without a residual) for the rows in `rows`, in place
    /// in `x`; rows are `gamma.count` floats apart. Allocation-free.
    func addAndNormalize(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Range<Int>) {
        let width = gamma.count
        guard width > 0 else { return }
        gamma.withUnsafeBufferPointer { g in
            guard let g = g.baseAddress else { return }
            for r in rows {
                let row = x + r * width
                if let residual {
                    let added = residual + r * width
                    for i in 0..<width { row[i] += added[i] }
                }
                var squares: Float = 0
                for i in 0..<width { squares += row[i] * row[i] }
                let inverseRoot = 1 / (squares / Float(width) + epsilon).squareRoot()
                for i in 0..<width { row[i] = row[i] * inverseRoot * g[i] }
            }
        }
    }
}
