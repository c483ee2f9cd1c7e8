import Foundation
import Testing
@testable import AttentionCore

/// Weights kept quantized in the mapped GGUF and dequantized tile by tile inside the multiply
/// (`QuantizedMatrix`, `QuantizedMultiply.swift`): the products must be bit-identical to
/// dequantizing the whole weight first, for every quantized type Maskscope reads.
@Suite("Quantized weights")
struct QuantizedWeightsTests {
    static let types: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    /// Random valid blocks: random codes and sub-scales, small finite f16 scales (sign random).
    static func randomBlocks(_ type: GGMLType, count: Int, generator: inout SplitMix64) -> [UInt8] {
        let scaleFields: [Int] = switch type {
        case .q4_1, .q5_1, .q4_K, .q5_K: [0, 2]
        case .q2_K: [80, 82]
        case .q3_K: [108]
        case .q6_K: [208]
        default: [0]
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * type.blockByteCount)
        for _ in 0..<count {
            var block = (0..<type.blockByteCount).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for field in scaleFields {
                // 2^-12 … 2^-11 with a random mantissa and sign: finite, far from overflow.
                let bits = UInt16(0x0C00) | UInt16(truncatingIfNeeded: generator.next() & 0x3FF) | (generator.next() & 1 == 0 ? 0 : 0x8000)
                block[field] = UInt8(bits & 0xFF)
                block[field + 1] = UInt8(bits >> 8)
            }
            bytes += block
        }
        return bytes
    }

    static func randomFloats(_ count: Int, generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in Float(Int(generator.next() % 2001) - 1000) / 1000 }
    }

    /// A `rows × columns` weight of `type` as a one-tensor GGUF, the `QuantizedMatrix` of it and
    /// the same weight dequantized whole.
    static func weight(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) throws -> (GGUFFile, QuantizedMatrix, Matrix) {
        var generator = SplitMix64(seed: seed)
        var builder = GGUFBuilder()
        builder.tensors = [GGUFBuilder.Tensor(
            name: "w", dimensions: [UInt64(columns), UInt64(rows)], type: type.rawValue, offset: nil,
            data: randomBlocks(type, count: rows * columns / type.blockSize, generator: &generator))]
        let file = try GGUFFile(bytes: builder.bytes())
        let rowsOfFile = try #require(try file.quantizedMatrix("w"))
        return (file, rowsOfFile, Matrix(rows: rows, columns: columns, values: try file.floats("w")))
    }

    /// Depths: 288 splits into two depth blocks of 144, which do not end on 32-element block
    /// boundaries (the covering-blocks path); 512 and 768 are whole K-quant super-blocks.
    @Test(arguments: types)
    func linearMatchesTheDequantizedWeight(type: GGMLType) throws {
        let columns = type.blockSize == 256 ? 768 : 288
        let rows = 45 // a partial last panel for every tile width
        let (_, quantized, dequantized) = try Self.weight(type, rows: rows, columns: columns, seed: 7 + UInt64(type.rawValue))
        #expect(dequantized.values.allSatisfy { $0.isFinite })
        var generator = SplitMix64(seed: 99)
        let bias = Self.randomFloats(rows, generator: &generator)
        let pool = WorkerPool(threads: 2)
        for kernel in MatrixKernel.allCases {
            let reference = Linear(weight: dequantized, bias: bias, kernel: kernel)
            let tiled = Linear(quantized: quantized, bias: bias, kernel: kernel)
            #expect(tiled.isQuantized && !reference.isQuantized)
            for tokens in [1, 9, 33] {
                let x = Matrix(rows: tokens, columns: columns, values: Self.randomFloats(tokens * columns, generator: &generator))
                let expected = reference.apply(x, workers: pool)
                #expect(tiled.apply(x, workers: nil).values == expected.values, "\(type.name) \(kernel) \(tokens) tokens, one thread")
                #expect(tiled.apply(x, workers: pool).values == expected.values, "\(type.name) \(kernel) \(tokens) tokens, two threads")
            }
        }
    }

    @Test func rowOrderMatchesRotaryUnpermutation() throws {
        let (_, quantized, dequantized) = try Self.weight(.q4_K, rows: 128, columns: 256, seed: 3)
        let order = RotaryRowOrder.rotateHalfOrder(rows: 128, heads: 2)
        let reference = Linear(weight: RotaryRowOrder.rotateHalf(dequantized, heads: 2), bias: [Float](repeating: 0, count: 128))
        let tiled = Linear(quantized: quantized.reordered(order), bias: [Float](repeating: 0, count: 128))
        var generator = SplitMix64(seed: 5)
        let x = Matrix(rows: 10, columns: 256, values: Self.randomFloats(2560, generator: &generator))
        #expect(tiled.apply(x).values == reference.apply(x).values)
    }

    @Test func floatTensorsAreNotQuantizedMatrix() throws {
        var builder = GGUFBuilder()
        builder.tensors = [GGUFBuilder.f32Tensor("f", rows: 2, columns: 32)]
        let file = try GGUFFile(bytes: builder.bytes())
        #expect(try file.quantizedMatrix("f") == nil)
        #expect(throws: GGUFError.self) { _ = try file.quantizedMatrix("absent") }
    }

    // MARK: A tiny Llama whose every matrix is quantized, one type of each kind

    /// hidden 256, 2 layers, 4 heads of 64, 2 KV heads, FFN 512, a 32-token byte-level BPE
    /// vocabulary, Q8_0 embeddings tied to the output; each of the 14 matrices in one of the 10
    /// quantized types.
    static func tinyQuantizedLlama() throws -> [UInt8] {
        var generator = SplitMix64(seed: 2026)
        let hidden = 256, inner = 512, kv = 128
        let letters = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        let tokens = ["<unk>", "<s>", "</s>", "Ġ"] + letters + ["ab", "Ġab"]
        var builder = GGUFBuilder()
        builder.metadata += [
            ("llama.embedding_length", .uint32(UInt32(hidden))), ("llama.block_count", .uint32(2)),
            ("llama.feed_forward_length", .uint32(UInt32(inner))), ("llama.attention.head_count", .uint32(4)),
            ("llama.attention.head_count_kv", .uint32(2)), ("llama.context_length", .uint32(64)),
            ("llama.rope.freq_base", .float32(500000)), ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
            ("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string("llama-bpe")),
            ("tokenizer.ggml.tokens", .strings(tokens)), ("tokenizer.ggml.merges", .strings(["a b", "Ġ ab"])),
            ("tokenizer.ggml.bos_token_id", .uint32(1)), ("tokenizer.ggml.eos_token_id", .uint32(2)),
            ("tokenizer.ggml.add_bos_token", .bool(1)),
        ]
        func quantized(_ name: String, _ type: GGMLType, rows: Int, columns: Int) -> GGUFBuilder.Tensor {
            GGUFBuilder.Tensor(name: name, dimensions: [UInt64(columns), UInt64(rows)], type: type.rawValue, offset: nil,
                               data: randomBlocks(type, count: rows * columns / type.blockSize, generator: &generator))
        }
        func norm(_ name: String) -> GGUFBuilder.Tensor {
            let values = (0..<hidden).map { _ in 1 + Float(Int(generator.next() % 201) - 100) / 1000 }
            return GGUFBuilder.Tensor(name: name, dimensions: [UInt64(hidden)], type: 0, offset: nil,
                                      data: values.flatMap { GGUFBuilder.le($0.bitPattern) })
        }
        let layerTypes: [[GGMLType]] = [[.q4_K, .q6_K, .q8_0, .q5_K, .q4_0, .q4_1, .q5_0],
                                        [.q5_1, .q2_K, .q3_K, .q6_K, .q4_K, .q8_0, .q6_K]]
        builder.tensors = [quantized("token_embd.weight", .q8_0, rows: tokens.count, columns: hidden), norm("output_norm.weight")]
        for (layer, types) in layerTypes.enumerated() {
            let p = "blk.\(layer)."
            builder.tensors += [
                norm(p + "attn_norm.weight"), norm(p + "ffn_norm.weight"),
                quantized(p + "attn_q.weight", types[0], rows: hidden, columns: hidden),
                quantized(p + "attn_k.weight", types[1], rows: kv, columns: hidden),
                quantized(p + "attn_v.weight", types[2], rows: kv, columns: hidden),
                quantized(p + "attn_output.weight", types[3], rows: hidden, columns: hidden),
                quantized(p + "ffn_gate.weight", types[4], rows: inner, columns: hidden),
                quantized(p + "ffn_up.weight", types[5], rows: inner, columns: hidden),
                quantized(p + "ffn_down.weight", types[6], rows: hidden, columns: inner),
            ]
        }
        return builder.bytes()
    }

    @Test func tinyLlamaRunsTheSameQuantizedAndInF32() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try folder.write(Data(Self.tinyQuantizedLlama()), to: "tiny-quantized.gguf")
        let f32 = try LlamaModel.load(gguf: GGUFFile(url: url), name: "tiny", storage: .f32)
        let quantized = try LlamaModel.load(gguf: GGUFFile(url: url), name: "tiny", storage: .quantized)
        #expect(quantized.layers.allSatisfy { $0.query.isQuantized && $0.key.isQuantized && $0.feedForward?.output.isQuantized == true })
        #expect(!f32.layers.contains { $0.query.isQuantized })
        let encoding = try quantized.encode("ab ab cab zab ba")
        #expect(encoding.ids.first == 1 && encoding.ids.contains(31))
        var mask = encoding.defaultMask
        mask[2] = 0
        for semantics in [MaskSemantics.hf, .soft] {
            let bias = AttentionBias(keyMask: mask, semantics: semantics)
            let expected = try #require(f32.forward(try f32.prepare(encoding), bias: bias))
            let result = try #require(quantized.forward(try quantized.prepare(encoding), bias: bias))
            #expect(result.attention == expected.attention)
            let hidden = try #require(result.hidden), expectedHidden = try #require(expected.hidden)
            #expect(hidden.values == expectedHidden.values && hidden.values.allSatisfy { $0.isFinite })
            let last = hidden.values[((hidden.rows - 1) * hidden.columns)...]
            let logits = try #require(quantized.causalLMHead).logits(last)
            let expectedLogits = try #require(f32.causalLMHead).logits(last)
            #expect(logits == expectedLogits)
        }
    }

    // MARK: Choosing the storage, and refusing what would not fit

    @Test func automaticKeepsOnlyLargeModelsQuantized() throws {
        let available = 20 << 30
        #expect(!WeightStorage.automatic.keepsQuantized(f32Bytes: 424_000_000, availableBytes: available))   // SmolLM2-135M
        #expect(WeightStorage.automatic.keepsQuantized(f32Bytes: 4_900_000_000, availableBytes: available))  // Llama-3.2-1B
        #expect(WeightStorage.automatic.keepsQuantized(f32Bytes: 424_000_000, availableBytes: 1 << 30))      // little memory left
        #expect(try WeightStorage.fromEnvironment([:]) == .automatic)
        #expect(try WeightStorage.fromEnvironment(["MASKSCOPE_WEIGHTS": "Quantized"]) == .quantized)
        #expect(throws: WeightStorageError.unknownSetting("q4")) { _ = try WeightStorage.fromEnvironment(["MASKSCOPE_WEIGHTS": "q4"]) }
    }

    /// A one-pass command asks for quantized matrices through its `ModelLocation`;
    /// `MASKSCOPE_WEIGHTS` still wins when set.
    @Test func aLocationsPreferredStorageReachesTheLlamaLoader() throws {
        #expect(try WeightStorage.fromEnvironment([:], fallback: .quantized) == .quantized)
        #expect(try WeightStorage.fromEnvironment(["MASKSCOPE_WEIGHTS": "f32"], fallback: .quantized) == .f32)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = try folder.write(Data(Self.tinyQuantizedLlama()), to: "tiny-quantized.gguf")
        var location = ModelLocation(choice: .gguf(url.path), folder: nil, name: "tiny", reason: "test", file: url)
        if ProcessInfo.processInfo.environment[WeightStorage.environmentKey] == nil {
            #expect(try !LlamaFamily().load(location).layers.contains { $0.query.isQuantized })
        }
        location.weightStorage = .quantized
        if ProcessInfo.processInfo.environment[WeightStorage.environmentKey] == nil {
            #expect(try LlamaFamily().load(location).layers.allSatisfy { $0.query.isQuantized })
        }
    }

    @Test func aModelThatWouldNotFitIsRefusedWithTheSizes() throws {
        let file = try GGUFFile(bytes: Self.tinyQuantizedLlama(), url: URL(fileURLWithPath: "/models/tiny-quantized.gguf"))
        let config = try LlamaConfig.gguf(file)
        do {
            _ = try LlamaWeightPlan(config: config, source: file, names: .gguf, storage: .f32, modelName: "tiny-quantized.gguf",
                                    availableBytes: 1_000_000)
            Issue.record("a 1 MB budget should refuse the F32 weights")
        } catch let error as WeightStorageError {
            let message = error.description
            #expect(message.hasPrefix("tiny-quantized.gguf: loading needs 6 MB of memory for its weights"), "\(message)")
            #expect(message.contains("but only 1 MB is available"), "\(message)")
            #expect(message.contains("MASKSCOPE_WEIGHTS=quantized"), "\(message)")
        }
        let quantized = try LlamaWeightPlan(config: config, source: file, names: .gguf, storage: .automatic,
                                            modelName: "tiny", availableBytes: 3_000_000)
        #expect(quantized.keepsQuantized)
    }
}
