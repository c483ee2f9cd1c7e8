import Foundation
import Testing

/// Bad Llama-family input through the CLI: each is refused with a message naming what is
/// wrong and a non-zero exit, before any weight is used. The library-level messages are in
/// ModelFamilyRegistryTests, LlamaGGUFBadInputTests and ByteLevelBPEErrorTests.
@Suite("Llama family bad input, via the CLI")
struct LlamaBadInputCommandTests {
    static let tinyLlama = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/llama/tiny-llama")

    /// A copy of the tiny Llama checkpoint with `change` applied to its config.json (as JSON)
    /// and `tokenizer` to its tokenizer.json.
    static func copy(config change: (inout [String: Any]) -> Void = { _ in },
                     tokenizer: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-llama-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["model.safetensors", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: tinyLlama.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        func rewrite(_ file: String, _ edit: (inout [String: Any]) -> Void) throws {
            var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tinyLlama.appendingPathComponent(file))) as? [String: Any])
            edit(&json)
            try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent(file))
        }
        try rewrite("config.json", change)
        try rewrite("tokenizer.json", tokenizer)
        return folder
    }

    static func expectRefused(_ model: String, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for command in ["tokens", "attention"] {
            let run = try MaskscopeBinary.run([command, "--model", model, "The quick brown fox"])
            #expect(run.status != 0, "\(command) exited 0", sourceLocation: sourceLocation)
            #expect(run.standardError.hasPrefix("Error: "), "\(run.standardError)", sourceLocation: sourceLocation)
            for text in mentions {
                #expect(run.standardError.contains(text), "'\(text)' not in: \(run.standardError)", sourceLocation: sourceLocation)
            }
            #expect(run.standardOutput.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func theUnchangedCopyLoads() throws {
        let folder = try Self.copy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try MaskscopeBinary.run(["tokens", "--model", folder.path, "The quick brown fox"])
        #expect(run.status == 0, "\(run.standardError)")
    }

    @Test(arguments: ["yarn", "dynamic", "longrope", "made-up"])
    func anUnknownRopeScalingTypeIsNamed(type: String) throws {
        let folder = try Self.copy(config: { $0["rope_scaling"] = ["rope_type": type, "factor": 4.0] })
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectRefused(folder.path, mentions: ["config.json: rope_scaling = \(type) is not supported"])
    }

    @Test func keyValueHeadsThatDoNotDivideTheQueryHeadsAreNamed() throws {
        let folder = try Self.copy(config: { $0["num_key_value_heads"] = 3 })
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectRefused(folder.path, mentions: ["key/value head count is 3, which does not divide the 4 query heads"])
    }

    @Test func aHiddenSizeTheHeadsDoNotDivideIsNamed() throws {
        let folder = try Self.copy(config: { $0["num_attention_heads"] = 5; $0["num_key_value_heads"] = 5; $0.removeValue(forKey: "head_dim") })
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectRefused(folder.path, mentions: ["config.json: hidden_size is 64, which the 5 attention heads do not divide"])
    }

    @Test func aTokenizerWithoutMergesIsNamed() throws {
        for merges in [nil, [Any]()] as [[Any]?] {
            let folder = try Self.copy(tokenizer: { json in
                var model = json["model"] as? [String: Any] ?? [:]
                model["merges"] = merges
                json["model"] = model
            })
            defer { try? FileManager.default.removeItem(at: folder) }
            try Self.expectRefused(folder.path, mentions: ["tokenizer.json: the BPE tokenizer has no merges"])
        }
    }

    /// A GGUF v3 file whose `general.architecture` is gptneox: named with the supported list.
    @Test func aGGUFOfAnUnsupportedArchitectureIsNamed() throws {
        var bytes = Data("GGUF".utf8)
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func string(_ text: String) { u64(UInt64(text.utf8.count)); bytes.append(contentsOf: Array(text.utf8)) }
        u32(3)          // version
        u64(0)          // tensors
        u64(1)          // metadata entries
        string("general.architecture"); u32(8); string("gptneox")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-llama-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("neox.gguf")
        try bytes.write(to: file)
        try Self.expectRefused(file.path, mentions: ["neox.gguf: architecture gptneox (GGUF v3) is not supported (supported: ", "llama"])
    }
}
