import Foundation

/// How a Llama-family checkpoint's weight matrices are held, decided from the tensor
/// descriptors before anything is dequantized: which matrices stay quantized in the mapped GGUF
/// (`WeightStorage`), and whether the rest fits in the memory available.
struct LlamaWeightPlan {
    let source: any TensorSource
    /// Set when the source is a GGUF file and its quantized matrices stay quantized.
    let quantizedFile: GGUFFile?
    /// Bytes the plan allocates for weights (F32 matrices, embeddings, transient load copies).
    let neededBytes: Int
    /// What the F32 form of the matrices that are quantized in the file takes.
    let quantizedAsF32Bytes: Int

    /// - Throws: `WeightStorageError.wouldNotFit` naming the model, the bytes needed and those
    ///   available when the weights would not fit; `LlamaLoadError.tensorMissing` for an absent
    ///   matrix.
    init(config: LlamaConfig, source: any TensorSource, names: LlamaTensorNames, storage: WeightStorage,
         modelName: String, availableBytes: Int = MemoryBudget.availableBytes()) throws {
        self.source = source
        let gguf = source as? GGUFFile
        var matrices: [String] = []
        for layer in 0..<config.layerCount {
            matrices += [LlamaTensorNames.Part.query, .key, .value, .attentionOutput, .gate, .up, .down].map { names.layer(layer, $0) }
        }
        // The embeddings and a separate output head are read as F32 (the token embedding table
        // is the embedder's business); the layers' matrices are what this plan keeps quantized.
        var dense = [names.embeddings]
        if !config.tiedEmbeddings && source.descriptor(names.output) != nil { dense.append(names.output) }
        var quantizable = 0, plain = 0, largestPlain = 0, largestQuantizable = 0
        for tensor in matrices + dense {
            guard let descriptor = source.descriptor(tensor) else {
                throw LlamaLoadError.tensorMissing(file: source.sourceURL, lookedFor: [tensor])
            }
            let (bytes, overflow) = descriptor.elementCount.multipliedReportingOverflow(by: MemoryLayout<Float>.size)
            let f32Bytes = overflow ? Int.max / 4 : bytes
            if !dense.contains(tensor) && gguf != nil && descriptor.isQuantized && descriptor.shape.count == 2 {
                quantizable += f32Bytes
                largestQuantizable = max(largestQuantizable, f32Bytes)
            } else {
                plain += f32Bytes
                largestPlain = max(largestPlain, f32Bytes)
            }
        }
        let keep = gguf != nil && storage.keepsQuantized(f32Bytes: quantizable, availableBytes: availableBytes)
        // A matrix is read (1×), packed (1×) and, for Q/K, un-permuted (1×) before the
        // previous copy is freed.
        let transient = 3 * max(largestPlain, keep ? 0 : largestQuantizable)
        quantizedFile = keep ? gguf : nil
        quantizedAsF32Bytes = quantizable
        neededBytes = plain + (keep ? 0 : quantizable) + transient
        guard neededBytes <= availableBytes else {
            let quantizedNeed = plain + 3 * largestPlain
            let advice: String
            if !keep && gguf != nil && quantizable > 0 && quantizedNeed <= availableBytes {
                advice = "run with \(WeightStorage.environmentKey)=quantized (or auto) to keep the quantized matrices in the file, "
                    + "which needs \(MemoryBudget.format(quantizedNeed))"
            } else {
                advice = "close other programs or choose a smaller model or a smaller quantization"
            }
            throw WeightStorageError.wouldNotFit(model: modelName, neededBytes: neededBytes, availableBytes: availableBytes,
                                                 fileBytes: source.tensorByteCount, advice: advice)
        }
    }

    /// Whether any matrix stays quantized.
    var keepsQuantized: Bool { quantizedFile != nil }

    /// The matrix `tensor` (`[rows][columns]`, checked) as a `Linear`: quantized in the file when
    /// the plan keeps it so, else dequantized to F32 and packed. With `rotaryHeads`, rows are
    /// un-permuted from llama.cpp's interleaved rotary order to rotate-half (the bias is the
    /// caller's, already in rotate-half order).
    func linear(_ tensor: String, rows: Int, columns: Int, bias: [Float], rotaryHeads: Int?) throws -> Linear {
        if let quantized = try quantizedMatrix(tensor, rows: rows, columns: columns) {
            let ordered = rotaryHeads.map { quantized.reordered(RotaryRowOrder.rotateHalfOrder(rows: rows, heads: $0)) } ?? quantized
            return Linear(quantized: ordered, bias: bias)
        }
        var weight = try matrix(tensor, rows: rows, columns: columns)        // [rows][columns]
        if let heads = rotaryHeads { weight = RotaryRowOrder.rotateHalf(weight, heads: heads) }
        return Linear(weight: weight, bias: bias)
    }

    /// The matrix kept quantized, or nil when the plan dequantizes it (or it is not quantized).
    func quantizedMatrix(_ tensor: String, rows: Int, columns: Int) throws -> QuantizedMatrix? {
        guard let quantizedFile else { return nil }
        try checkShape(tensor, rows: rows, columns: columns)
        return try quantizedFile.quantizedMatrix(tensor)
    }

    /// The matrix dequantized to F32, `[rows][columns]`.
    func matrix(_ tensor: String, rows: Int, columns: Int) throws -> Matrix {
        try checkShape(tensor, rows: rows, columns: columns)
        return Matrix(rows: rows, columns: columns, values: try source.floats(tensor))
    }

    private func checkShape(_ tensor: String, rows: Int, columns: Int) throws {
        guard let descriptor = source.descriptor(tensor) else {
            throw LlamaLoadError.tensorMissing(file: source.sourceURL, lookedFor: [tensor])
        }
        guard descriptor.shape == [rows, columns] else {
            throw LlamaLoadError.tensorShape(file: source.sourceURL, tensor: tensor, shape: descriptor.shape, expected: [rows, columns])
        }
    }
}

extension RotaryRowOrder {
    /// The stored row of each rotate-half row, for weights that stay in the file:
    /// rotate-half row `h·d + s·d/2 + i` is interleaved row `h·d + 2i + s` (as `rotateHalf`).
    static func rotateHalfOrder(rows: Int, heads: Int) -> [Int] {
        let d = rows / heads, half = d / 2
        var order = Array(0..<rows)
        for head in 0..<heads {
            for s in 0..<2 {
                for i in 0..<half { order[head * d + s * half + i] = head * d + 2 * i + s }
            }
        }
        return order
    }
}
