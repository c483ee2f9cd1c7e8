/// Layer normalisation over the feature dimension, PyTorch's `nn.LayerNorm`:
/// `(x − mean) / √(var + eps) · γ + β`, with the biased variance.
public struct LayerNorm: Sendable {
    public let gamma: [Float]
    public let beta: [Float]
    public let epsilon: Float

    public init(gamma: [Float], beta: [Float], epsilon: Float) {
        precondition(gamma.count == beta.count, "LayerNorm: γ and β differ in size")
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    /// Normalises each of `rows` rows of `gamma.count` features in place.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int) {
        let width = gamma.count
        gamma.withUnsafeBufferPointer { g in
            beta.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = x + r * width
                    var sum: Double = 0
                    for i in 0..<width { sum += Double(row[i]) }
                    let mean = sum / Double(width)
                    var squares: Double = 0
                    for i in 0..<width {
                        let d = Double(row[i]) - mean
                        squares += d * d
                    }
                    let inverseDeviation = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
                    let m = Float(mean), s = Float(inverseDeviation)
                    for i in 0..<width { row[i] = (row[i] - m) * s * g[i] + b[i] }
                }
            }
        }
    }

    public func apply(_ x: inout Matrix) {
        precondition(x.columns == gamma.count, "LayerNorm: \(x.columns) features, expected \(gamma.count)")
        let rows = x.rows
        x.values.withUnsafeMutableBufferPointer { apply($0.baseAddress!, rows: rows) }
    }
}
