/// How fast this machine runs the dense-layer kernel, for `maskscope bench` to print beside
/// measured forward passes as "the machine's peak".
public enum MatrixMultiplyPeak {
    /// GFLOP/s (2 flops per multiply-add) of `Linear` on a 512×384 input and a 384→1536 weight,
    /// the shape of a MiniLM feed-forward layer at 512 tokens: the best of several timed
    /// rounds within about `seconds` of wall time, so a busy moment on a shared machine
    /// lowers it less.
    ///
    /// - Parameters:
    ///   - threads: threads sharing each multiply (1 = the calling thread only).
    ///   - kernel: the kernel to time; by default the one `Linear` uses here.
    public static func measure(threads: Int, seconds: Double = 0.2, kernel: MatrixKernel = .best) -> Double {
        let rows = 512, inputs = 384, outputs = 1536
        var state: UInt32 = 0x9E37_79B9
        let random = { () -> Float in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24) - 0.5
        }
        let weight = Matrix(rows: outputs, columns: inputs, values: (0..<(outputs * inputs)).map { _ in random() })
        let layer = Linear(weight: weight, bias: (0..<outputs).map { _ in random() }, kernel: kernel)
        let input = (0..<(rows * inputs)).map { _ in random() }
        var output = [Float](repeating: 0, count: rows * outputs)
        let pool = WorkerPool(threads: threads)
        let flopsPerCall = 2 * Double(rows * inputs * outputs)
        var best = 0.0
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                layer.apply(input: x, rows: rows, output: y, workers: pool)
                let end = seconds + MonotonicClock.seconds()
                repeat {
                    let start = MonotonicClock.seconds()
                    var calls = 0
                    repeat {
                        layer.apply(input: x, rows: rows, output: y, workers: pool)
                        calls += 1
                    } while MonotonicClock.seconds() - start < 0.02
                    best = max(best, flopsPerCall * Double(calls) / (MonotonicClock.seconds() - start) / 1e9)
                } while MonotonicClock.seconds() < end
            }
        }
        return best
    }
}
