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
        addAndNormalize(x, residual: nil, rows: 0..<rows)
    }

    /// BERT's `norm(x + residual)` for the rows in `rows`, in place in `x`: the residual add and
    /// both passes over a row run while the row is in L1. Rows are `gamma.count` floats apart
    /// in both buffers. Allocation-free; different row ranges may run on different threads.
    func addAndNormalize(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Range<Int>) {
        typealias V = SIMDMath.Vector
        let width = gamma.count
        guard width > 0 else { return }
        let whole = width & ~15
        let share = 1 / Float(width)
        gamma.withUnsafeBufferPointer { g in
            beta.withUnsafeBufferPointer { b in
                guard let g = g.baseAddress, let b = b.baseAddress else { return }
                for r in rows {
                    let row = x + r * width
                    if let residual {
                        let added = residual + r * width
                        var i = 0
                        while i < whole {
                            SIMDMath.store(SIMDMath.load(row + i) + SIMDMath.load(added + i), row + i)
                            i += 16
                        }
                        for i in whole..<width { row[i] += added[i] }
                    }
                    var sums = V(repeating: 0)
                    var i = 0
                    while i < whole { sums += SIMDMath.load(row + i); i += 16 }
                    var sum = sums.sum()
                    for i in whole..<width { sum += row[i] }
                    let mean = sum * share
                    var squares = V(repeating: 0)
                    i = 0
                    while i < whole {
                        let d = SIMDMath.load(row + i) - mean
                        squares += d * d
                        i += 16
                    }
                    var squareSum = squares.sum()
                    for i in whole..<width { squareSum += (row[i] - mean) * (row[i] - mean) }
                    let inverseDeviation = 1 / (squareSum * share + epsilon).squareRoot()
                    i = 0
                    while i < whole {
                        let normalized = (SIMDMath.load(row + i) - mean) * inverseDeviation
                        SIMDMath.store(normalized * SIMDMath.load(g + i) + SIMDMath.load(b + i), row + i)
                        i += 16
                    }
                    for i in whole..<width { row[i] = (row[i] - mean) * inverseDeviation * g[i] + b[i] }
                }
            }
        }
    }

    public func apply(_ x: inout Matrix) {
        precondition(x.columns == gamma.count, "LayerNorm: \(x.columns) features, expected \(gamma.count)")
        let rows = x.rows
        x.values.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            apply(base, rows: rows)
        }
    }
}
