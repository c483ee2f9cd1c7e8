import Foundation
import Testing

/// Headless commands on the committed tiny random Llama checkpoint (no model package needed):
/// readable tokens in tables with raw and decoded strings in JSON, and `effect --query`.
@Suite("maskscope on a tiny Llama checkpoint")
struct TinyDecoderCommandTests {
    static let tinyLlama = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/llama/tiny-llama").path
    static let seed = "The quick brown fox jumps over the lazy dog."

    /// `explain`'s per-key table shows `␣qu` for byte-level BPE's `Ġqu`, as the tokens and
    /// attention tables do; its JSON keeps `Ġqu` in `tokens` and adds ` qu` in `text`.
    @Test func explainShowsReadableTokensAndJSONKeepsRawAndDecoded() throws {
        let table = try MaskscopeBinary.run(["explain", "--model", Self.tinyLlama, "--layer", "0", "--head", "0", "--query", "3", Self.seed])
        #expect(table.status == 0, "\(table.standardError)")
        #expect(table.output.contains("query 3 '␣br'"))
        #expect(table.output.contains("␣qu"))
        #expect(!table.output.contains("Ġ"), "raw byte-level markers leaked into the table:\n\(table.output)")
        let run = try MaskscopeBinary.run(["explain", "--model", Self.tinyLlama, "--layer", "0", "--head", "0", "--query", "3", "--format", "json", Self.seed])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect((json["tokens"] as? [String])?.prefix(4) == ["The", "Ġqu", "ick", "Ġbr"])
        #expect((json["text"] as? [String])?.prefix(4) == ["The", " qu", "ick", " br"])
        #expect(json["causal"] as? Bool == true && json["kv_heads"] as? Int == 2)
    }

    /// `effect --query Q` predicts after position Q, not after the last token.
    @Test func effectPredictsAfterTheChosenQuery() throws {
        let last = try MaskscopeBinary.run(["effect", "--model", Self.tinyLlama, "--mask", "1=0", "--format", "json", Self.seed])
        let third = try MaskscopeBinary.run(["effect", "--model", Self.tinyLlama, "--mask", "1=0", "--query", "3", "--format", "json", Self.seed])
        #expect(last.status == 0 && third.status == 0, "\(last.standardError)\(third.standardError)")
        let lastJSON = try #require(last.json), thirdJSON = try #require(third.json)
        #expect(lastJSON["position"] as? Int == 19)
        #expect(thirdJSON["position"] as? Int == 3)
        let probabilities = { (json: [String: Any]) in (json["before"] as? [[String: Any]])?.compactMap { $0["prob"] as? Double } ?? [] }
        #expect(probabilities(lastJSON).count == 5 && probabilities(lastJSON) != probabilities(thirdJSON))
        let table = try MaskscopeBinary.run(["effect", "--model", Self.tinyLlama, "--query", "3", Self.seed])
        #expect(table.output.contains("next token after position 3 (␣br)"))
        let outside = try MaskscopeBinary.run(["effect", "--model", Self.tinyLlama, "--query", "20", Self.seed])
        #expect(outside.status != 0 && outside.standardError.contains("--query 20 is out of range"))
    }

    /// RoBERTa's masked-LM table names tokens as the screen does (`␣fox`, never `Ġfox`), for
    /// the text's tokens and for the predictions at `<mask>`.
    @Test func robertaEffectShowsReadableTokens() throws {
        let roberta = URL(fileURLWithPath: Self.tinyLlama).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("encoders/tiny-roberta").path
        let run = try MaskscopeBinary.run(["effect", "--model", roberta, "--mask", "fox=0", "the quick <mask> fox"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.output.contains("<mask> at 5: before"), "\(run.output)")
        #expect(run.output.contains("␣fox") && !run.output.contains("Ġ"), "raw byte-level markers leaked:\n\(run.output)")
    }

    /// `prefix:3` widens a decoder's causal mask: allowed as a what-if, warned on standard error
    /// and carried in the JSON as `pattern_warning`; `block` and `window` narrow it silently.
    @Test func prefixWarnsInJSONAndOnStandardError() throws {
        let run = try MaskscopeBinary.run(["attention", "--model", Self.tinyLlama, "--pattern", "prefix:3", "--format", "json", Self.seed])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("prefix:3 widens this decoder's causal mask"))
        let json = try #require(run.json)
        #expect((json["pattern_warning"] as? String)?.contains("prefix:3 widens this decoder's causal mask") == true)
        for pattern in ["block", "window:2", "global:0+window:1"] {
            let narrowed = try MaskscopeBinary.run(["attention", "--model", Self.tinyLlama, "--pattern", pattern, "--format", "json", Self.seed])
            #expect(narrowed.status == 0 && !narrowed.standardError.contains("widens"), "\(pattern): \(narrowed.standardError)")
            #expect(try #require(narrowed.json)["pattern_warning"] == nil)
        }
    }

    /// `--model HuggingFaceTB/SmolLM2-135M` resolves from the Hugging Face cache (`HF_HOME`),
    /// here a fake one around the tiny Llama checkpoint, files linked as the cache links blobs.
    @Test func aHubIDResolvesFromTheHuggingFaceCache() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-hf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let repository = home.appendingPathComponent("hub/models--HuggingFaceTB--SmolLM2-135M")
        let snapshot = repository.appendingPathComponent("snapshots/feedbeef")
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repository.appendingPathComponent("refs"), withIntermediateDirectories: true)
        try "feedbeef".write(to: repository.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        for file in ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.createSymbolicLink(at: snapshot.appendingPathComponent(file),
                                                       withDestinationURL: URL(fileURLWithPath: Self.tinyLlama).appendingPathComponent(file))
        }
        let run = try MaskscopeBinary.run(["tokens", "--model", "HuggingFaceTB/SmolLM2-135M", "--format", "json", "The quick"],
                                          environment: ["HF_HOME": home.path])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["tokens"] as? [String] == ["The", "Ġqu", "ick"] && json["causal"] as? Bool == true)
        let table = try MaskscopeBinary.run(["tokens", "--model", "HuggingFaceTB/SmolLM2-135M", "The quick"], environment: ["HF_HOME": home.path])
        #expect(table.output.contains("HuggingFaceTB/SmolLM2-135M"), "\(table.output)")
    }
}
