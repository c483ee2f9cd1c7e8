import Foundation
import Testing
@testable import AttentionCore

/// GGUF files the Llama family must refuse with a message naming what is wrong, before any
/// weight is dequantized.
@Suite("Llama GGUF bad input")
struct LlamaGGUFBadInputTests {
    func refusal(_ builder: GGUFBuilder) throws -> String {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.url.appendingPathComponent("model.gguf")
        try Data(builder.bytes()).write(to: url)
        do {
            _ = try ModelFamilyRegistry.standard.load(ModelLocation(choice: .gguf(url.path), folder: nil, name: "model.gguf", reason: "test", file: url))
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    func llama(_ extra: [(key: String, value: GGUFBuilder.Value)]) -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.metadata += [
            ("llama.embedding_length", .uint32(64)), ("llama.block_count", .uint32(1)),
            ("llama.feed_forward_length", .uint32(128)), ("llama.attention.head_count", .uint32(4)),
        ] + extra
        builder.tensors = [GGUFBuilder.f32Tensor("token_embd.weight", rows: 10, columns: 64)]
        return builder
    }

    @Test func unsupportedArchitectureIsNamed() throws {
        var builder = GGUFBuilder()
        builder.metadata = [("general.architecture", .string("gptneox"))]
        #expect(try refusal(builder).contains("model.gguf: architecture gptneox (GGUF v3) is not supported (supported: bert, builtin, llama"))
    }

    @Test func ropeScalingAndBadHeadsAreNamed() throws {
        #expect(try refusal(llama([("llama.rope.scaling.type", .string("yarn"))]))
            .contains("llama.rope.scaling.type = yarn is not supported: rotary scaling is not implemented"))
        #expect(try refusal(llama([("llama.attention.head_count_kv", .uint32(3))]))
            .contains("key/value head count is 3, which does not divide the 4 query heads"))
        #expect(try refusal(llama([("llama.rope.dimension_count", .uint32(8))])).contains("partial rotary"))
        #expect(try refusal(llama([])).contains("missing tensor 'output_norm.weight'"))
    }
}
