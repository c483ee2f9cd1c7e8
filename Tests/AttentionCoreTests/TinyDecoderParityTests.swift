import Foundation
import Testing
@testable import AttentionCore

/// Tiny random Llama, Qwen2 (Q/K/V biases, tied embeddings) and Mistral (sliding window 4)
/// checkpoints, each in F32 and in a 16-bit dtype (Llama and Mistral BF16, Qwen2 F16), against
/// transformers 5.24: fixtures and checkpoints from
/// `Tests/Fixtures/llama/make_tiny_decoders.py`.
@Suite("Tiny decoder parity")
struct TinyDecoderParityTests {
    struct Case: Decodable {
        let ids: [Int]
        let tokens: [String]
        let mask: [Float]
        let attention: [[[[Float]]]]
        let lastHidden: [Float]
        let top5Ids: [Int]
        enum CodingKeys: String, CodingKey {
            case ids, tokens, mask, attention
            case lastHidden = "last_hidden", top5Ids = "top5_ids"
        }
    }
    struct Reference: Decodable {
        let text: String
        let checkpoints: [String: [String: Case]]
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("llama/tiny-decoders.json")))
    }

    @Test(arguments: ["tiny-llama", "tiny-llama-bf16", "tiny-qwen2", "tiny-qwen2-f16", "tiny-mistral", "tiny-mistral-bf16"])
    func matchesTransformers(checkpoint: String) throws {
        let reference = try Self.reference()
        let cases = try #require(reference.checkpoints[checkpoint])
        let folder = Fixtures.url("llama/\(checkpoint)")
        let model = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: checkpoint, reason: "test"))
        #expect(model.description.isCausal && model.description.attention.keyValueHeadCount == 2)
        #expect(model.description.slidingWindow == (checkpoint.hasPrefix("tiny-mistral") ? 4 : nil))
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let encoding = try model.encode(reference.text)
            #expect(encoding.ids == c.ids, "\(checkpoint) \(name): ids")
            guard encoding.ids == c.ids else { continue }
            let input = try model.prepare(encoding)
            let result = try #require(model.forward(input, bias: AttentionBias(keyMask: c.mask, semantics: .hf)))
            var worst: Float = 0
            for (layer, heads) in c.attention.enumerated() {
                for (head, rows) in heads.enumerated() {
                    let map = result.attention.headWeights(layer: layer, head: head)
                    for (q, row) in rows.enumerated() {
                        for (k, expected) in row.enumerated() { worst = max(worst, abs(map[q][k] - expected)) }
                    }
                }
            }
            #expect(worst <= 1e-4, "\(checkpoint) \(name): attention differs by \(worst)")
            let hidden = try #require(result.hidden)
            let last = Array(hidden.values[((hidden.rows - 1) * hidden.columns)...])
            let largest = c.lastHidden.map(abs).max() ?? 1
            let difference = zip(last, c.lastHidden).map { abs($0 - $1) }.max() ?? .infinity
            #expect(difference <= 1e-3 * largest, "\(checkpoint) \(name): last hidden differs by \(difference)")
            let head = try #require(model.causalLMHead)
            let logits = head.logits(last[...])
            #expect(Array(logits.indices.sorted { logits[$0] > logits[$1] }.prefix(5)) == c.top5Ids, "\(checkpoint) \(name): top-5")
        }
    }
}
