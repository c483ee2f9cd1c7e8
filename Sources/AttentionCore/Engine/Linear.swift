/// A dense layer `y = x · Wᵀ + b`, PyTorch's `nn.Linear`.
///
/// The weight arrives as `[out][in]` from a checkpoint and is packed once, at load, into the
/// panel layout of the fastest `MatrixKernel` for this CPU (see `PanelLayout`); the recompute
/// path never copies it again and, through `apply(input:inputStride:rows:output:outputStride:workers:)`,
/// allocates nothing.
public struct Linear: Sendable {
    public let inputSize: Int
    public let outputSize: Int
    let packed: PackedWeights

    /// - Parameters:
    ///   - weight: `[out][in]`, as stored in a Hugging Face checkpoint.
    ///   - bias: `[out]`.
    public init(weight: Matrix, bias: [Float]) {
        self.init(weight: weight, bias: bias, kernel: .best)
    }

    /// As `init(weight:bias:)` with a chosen kernel, e.g. to compare kernels on one CPU.
    /// Every kernel runs on every CPU this build runs on; only speed differs.
    public init(weight: Matrix, bias: [Float], kernel: MatrixKernel) {
        precondition(bias.count == weight.rows, "Linear: bias has \(bias.count) values for \(weight.rows) outputs")
        precondition(weight.values.count == weight.rows * weight.columns, "Linear: weight has \(weight.values.count) values for \(weight.rows)x\(weight.columns)")
        inputSize = weight.columns
        outputSize = weight.rows
        packed = weight.values.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                PackedWeights(
                    weight: w.baseAddress ?? UnsafePointer(bitPattern: 16)!, outputs: weight.rows,
                    inputs: weight.columns, bias: b.baseAddress, kernel: kernel
                )
            }
        }
    }

    /// As `init(weight:bias:)` for a weight `[outputs][inputs]` read in place (e.g. from a
    /// mapped checkpoint): packed without copying it into a `Matrix` first.
    public init(weight: UnsafePointer<Float>, outputs: Int, inputs: Int, bias: [Float], kernel: MatrixKernel = .best) {
        precondition(bias.count == outputs, "Linear: bias has \(bias.count) values for \(outputs) outputs")
        inputSize = inputs
        outputSize = outputs
        packed = bias.withUnsafeBufferPointer { b in
            PackedWeights(weight: weight, outputs: outputs, inputs: inputs, bias: b.baseAddress, kernel: kernel)
        }
    }

    /// A layer whose weight stays quantized in the mapped file (`QuantizedMatrix`) and is
    /// dequantized tile by tile inside the multiply; the products are bit-identical to
    /// `init(weight:bias:)` on the dequantized weight.
    ///
    /// - Parameters:
    ///   - weight: `[out][in]` as ggml blocks.
    ///   - bias: `[out]`.
    public init(quantized weight: QuantizedMatrix, bias: [Float], kernel: MatrixKernel = .best) {
        precondition(bias.count == weight.rows, "Linear: bias has \(bias.count) values for \(weight.rows) outputs")
        inputSize = weight.rowLength
        outputSize = weight.rows
        packed = bias.withUnsafeBufferPointer { b in
            PackedWeights(quantized: weight, bias: b.baseAddress, kernel: kernel)
        }
    }

    /// Whether the weight stays quantized (`init(quantized:bias:kernel:)`).
    public var isQuantized: Bool { packed.quantized != nil }

    /// The kernel this layer's weight was packed for.
    public var kernel: MatrixKernel { packed.kernel }

    /// `x` is `[token][in]`; the result is `[token][out]`.
    public func apply(_ x: Matrix) -> Matrix {
        apply(x, workers: nil)
    }

    /// `x` is `[token][in]`; the result is `[token][out]`, computed on `workers` when given.
    public func apply(_ x: Matrix, workers: WorkerPool?) -> Matrix {
        precondition(x.columns == inputSize, "Linear: input has \(x.columns) features, expected \(inputSize)")
        precondition(x.values.count == x.rows * x.columns, "Linear: input has \(x.values.count) values for \(x.rows)x\(x.columns)")
        var y = Matrix(zeros: x.rows, outputSize)
        guard x.rows > 0, outputSize > 0 else { return y }
        x.values.withUnsafeBufferPointer { xp in
            y.values.withUnsafeMutableBufferPointer { yp in
                apply(
                    input: xp.baseAddress ?? UnsafePointer(bitPattern: 16)!, rows: x.rows,
                    output: yp.baseAddress!, workers: workers
                )
            }
        }
        return y
    }

    /// The allocation-free form for the recompute path: `output = input · Wᵀ + b`.
    ///
    /// - Parameters:
    ///   - input: `rows × inputSize` floats, row `i` at `input + i * inputStride`.
    ///   - inputStride: floats between rows; `nil` means `inputSize`.
    ///   - output: `rows × outputSize` floats, row `i` at `output + i * outputStride`;
    ///     must not overlap `input`.
    ///   - outputStride: floats between rows; `nil` means `outputSize`. A stride lets the
    ///     layer write into a slice of a wider buffer (e.g. Q, K, V side by side).
    ///   - workers: splits the multiply across the pool's threads; `nil` runs it on the caller.
    public func apply(
        input: UnsafePointer<Float>, inputStride: Int? = nil, rows: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int? = nil, workers: WorkerPool?
    ) {
        PanelMultiply(
            kernel: packed.kernel, layout: packed.layout, panels: packed.panels,
            bias: packed.paddedBias, scale: 1, quantized: packed.quantized
        ).run(
            a: input, aStride: inputStride ?? inputSize, rows: rows,
            c: output, cStride: outputStride ?? outputSize, workers: workers
        )
    }
}
