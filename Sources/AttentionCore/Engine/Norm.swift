/// The norm a `TransformerDescription` names, with its weights.
public enum Norm: Sendable {
    case layer(LayerNorm)
    case rms(RMSNorm)

    /// Features per row.
    public var width: Int {
        switch self {
        case .layer(let norm): norm.gamma.count
        case .rms(let norm): norm.gamma.count
        }
    }

    /// `norm(x + residual)` (or `norm(x)`) on the rows in `rows`, in place in `x`; rows are
    /// `width` floats apart. Allocation-free; different row ranges may run on different threads.
    func addAndNormalize(_ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, rows: Range<Int>) {
        switch self {
        case .layer(let norm): norm.addAndNormalize(x, residual: residual, rows: rows)
        case .rms(let norm): norm.addAndNormalize(x, residual: residual, rows: rows)
        }
    }

    /// Normalises every row of `x` (`[token][width]`) in place.
    func apply(_ x: inout Matrix) {
        precondition(x.columns == width, "Norm: \(x.columns) features, expected \(width)")
        let rows = x.rows
        x.values.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            addAndNormalize(base, residual: nil, rows: 0..<rows)
        }
    }
}
