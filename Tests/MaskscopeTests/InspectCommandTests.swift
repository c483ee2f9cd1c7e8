import Foundation
import Testing

/// `maskscope inspect` run as a user would: GGUF files, Ollama names, safetensors folders,
/// both output forms, and broken files.
@Suite("maskscope inspect")
struct InspectCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let tinyGGUF = fixtures.appendingPathComponent("gguf/tiny-random.gguf").path

    @Test func ggufTable() throws {
        let run = try MaskscopeBinary.run(["inspect", Self.tinyGGUF])
        #expect(run.status == 0, "\(run.standardError)")
        let output = run.output
        #expect(output.contains("format         GGUF v3, alignment 32"))
        #expect(output.contains("architecture   llama — tiny random llama"))
        #expect(output.contains("tokenizer      byte-level BPE (gpt2), 33 tokens, 2 merges"))
        #expect(output.contains("maskscope      not yet runnable: the llama family is not implemented (supported: bert, builtin)"))
        #expect(output.contains("llama.attention.head_count_kv"))
        #expect(output.contains("types.q6_k") && output.contains("2 × 3328") && output.contains("Q6_K"))
        #expect(output.contains("tensors: 15"))
    }

    @Test func ggufJSONWithCheck() throws {
        let run = try MaskscopeBinary.run(["inspect", Self.tinyGGUF, "--format", "json", "--check"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["architecture"] as? String == "llama")
        #expect(json["runnable"] as? Bool == false)
        let hyper = try #require(json["hyperparameters"] as? [String: Any])
        #expect(hyper["llama.block_count"] as? Int == 2)
        let tokenizer = try #require(json["tokenizer"] as? [String: Any])
        #expect(tokenizer["vocabulary_size"] as? Int == 33 && tokenizer["kind"] as? String == "byte-level BPE (gpt2)")
        let tensors = try #require(json["tensors"] as? [[String: Any]])
        #expect(tensors.count == 15)
        let q4k = try #require(tensors.first { $0["name"] as? String == "types.q4_k" })
        #expect(q4k["shape"] as? [Int] == [2, 3328] && q4k["type"] as? String == "Q4_K" && q4k["byte_count"] as? Int == 3744)
        let check = try #require(json["check"] as? [String: Any])
        #expect(check["tensors"] as? Int == 15)
        // The fixture's F32 and BF16 tensors hold NaN and infinity on purpose.
        let nonfinite = try #require(check["nonfinite"] as? [String: Int])
        #expect(nonfinite["types.f32"] != nil && nonfinite["types.q4_k"] == nil)
    }

    @Test func safetensorsFolder() throws {
        let run = try MaskscopeBinary.run(["inspect", Self.fixtures.appendingPathComponent("tiny-bert").path, "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["architecture"] as? String == "bert")
        #expect(json["runnable"] as? Bool == true)
        #expect((json["support"] as? String)?.hasPrefix("runs as a BERT encoder") == true)
        #expect((json["tokenizer"] as? [String: Any])?["kind"] as? String == "WordPiece")
        #expect(((json["tensors"] as? [[String: Any]])?.count ?? 0) > 10)
        #expect((json["hyperparameters"] as? [String: Any])?["num_attention_heads"] != nil)
    }

    @Test func ollamaNamesResolveAndMissingOnesListTheStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-ollama-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let digest = String(repeating: "c0ffee00", count: 8)
        let manifest = folder.appendingPathComponent("manifests/registry.ollama.ai/library/smollm2/latest")
        try FileManager.default.createDirectory(at: manifest.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("blobs"), withIntermediateDirectories: true)
        try Data(#"{"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:\#(digest)"}]}"#.utf8).write(to: manifest)
        try FileManager.default.copyItem(atPath: Self.tinyGGUF, toPath: folder.appendingPathComponent("blobs/sha256-\(digest)").path)

        let found = try MaskscopeBinary.run(["inspect", "ollama:smollm2"], environment: ["OLLAMA_MODELS": folder.path])
        #expect(found.status == 0, "\(found.standardError)")
        #expect(found.output.contains("model: ollama:smollm2:latest"))
        let missing = try MaskscopeBinary.run(["inspect", "ollama:llama3:8b"], environment: ["OLLAMA_MODELS": folder.path])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("'llama3:8b' is not in") && missing.standardError.contains("smollm2:latest"))
        let attention = try MaskscopeBinary.run(["tokens", "--model", "ollama:smollm2", "hello"], environment: ["OLLAMA_MODELS": folder.path])
        #expect(attention.status == 1)
        #expect(attention.standardError.contains("architecture llama (GGUF v3) is not supported yet (supported: bert, builtin)"))
    }

    @Test func brokenGGUFExitsWithTheOffset() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-gguf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.tinyGGUF))
        let truncated = folder.appendingPathComponent("truncated.gguf")
        try bytes.prefix(5000).write(to: truncated)
        let run = try MaskscopeBinary.run(["inspect", truncated.path])
        #expect(run.status == 1 && run.output.isEmpty)
        #expect(run.standardError.contains("truncated.gguf: tensor 'types.q5_0' occupies bytes"))
        bytes[4] = 9
        let version = folder.appendingPathComponent("version.gguf")
        try bytes.write(to: version)
        let badVersion = try MaskscopeBinary.run(["inspect", version.path])
        #expect(badVersion.status == 1 && badVersion.standardError.contains("unknown GGUF version 9"))
        let missing = try MaskscopeBinary.run(["inspect", folder.appendingPathComponent("absent.gguf").path])
        #expect(missing.status == 1 && missing.standardError.contains("absent.gguf does not exist"))
    }
}

/// The GGUF bad-input matrix through the CLI: the committed fixture with one field broken.
/// Every case must exit 1 with `Error: <file>: …` naming what is wrong, never crash.
@Suite("maskscope inspect on broken GGUF files")
struct InspectBrokenGGUFTests {
    enum Damage: String, CaseIterable {
        case magic, version, tensorCount, metadataCount, keyLength, valueType, tensorType
        case dimensionOverflow, misalignedOffset, offsetOutOfRange, overlap, duplicateTensor, duplicateKey
    }

    /// Where `text` starts in `bytes` (keys and tensor names are stored as plain UTF-8).
    static func position(of text: String, in bytes: [UInt8]) throws -> Int {
        let needle = Array(text.utf8)
        let index = (0 ... bytes.count - needle.count).first { bytes[$0 ..< $0 + needle.count].elementsEqual(needle) }
        return try #require(index, "\(text) not in the fixture")
    }

    static func put<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset ..< offset + $0.count, with: $0) }
    }

    /// The fixture with `damage` done, and a phrase its message must contain.
    static func damaged(_ damage: Damage) throws -> (bytes: [UInt8], mentions: String) {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: InspectCommandTests.tinyGGUF)))
        // A tensor description: name, u32 dimension count, u64 × count dimensions, u32 type, u64 offset.
        let f32Info = try position(of: "types.f32", in: bytes) + 9
        let f16Info = try position(of: "types.f16", in: bytes) + 9
        switch damage {
        case .magic: bytes[0] = UInt8(ascii: "X"); return (bytes, "not a GGUF file")
        case .version: put(UInt32(7), at: 4, in: &bytes); return (bytes, "unknown GGUF version 7")
        case .tensorCount: put(UInt64(1) << 50, at: 8, in: &bytes); return (bytes, "tensor count at byte 8")
        case .metadataCount: put(UInt64.max, at: 16, in: &bytes); return (bytes, "metadata count at byte 16")
        case .keyLength: put(UInt64(1) << 40, at: 24, in: &bytes); return (bytes, "the length of the key of metadata entry 0 at byte 24")
        case .valueType: put(UInt32(42), at: 24 + 8 + 20, in: &bytes); return (bytes, "'general.architecture' has unknown value type 42 at byte 52")
        case .tensorType: put(UInt32(99), at: f32Info + 4 + 16, in: &bytes); return (bytes, "tensor 'types.f32'")
        case .dimensionOverflow:
            put(UInt64(1) << 40, at: f32Info + 4, in: &bytes); put(UInt64(1) << 40, at: f32Info + 12, in: &bytes)
            return (bytes, "overflows a 64-bit integer")
        case .misalignedOffset: put(UInt64(8), at: f16Info + 4 + 16 + 4, in: &bytes); return (bytes, "not a multiple of the alignment 32")
        case .offsetOutOfRange: put(UInt64(1) << 40, at: f16Info + 4 + 16 + 4, in: &bytes); return (bytes, "tensor 'types.f16' occupies bytes")
        case .overlap: put(UInt64(0), at: f16Info + 4 + 16 + 4, in: &bytes); return (bytes, "overlap")
        case .duplicateTensor:
            bytes.replaceSubrange(f16Info - 9 ..< f16Info, with: Array("types.f32".utf8))
            return (bytes, "tensor 'types.f32' is described twice")
        case .duplicateKey:
            let nested = try position(of: "test.nested", in: bytes)
            bytes.replaceSubrange(nested ..< nested + 11, with: Array("test.uint64".utf8))
            return (bytes, "metadata key 'test.uint64' appears twice")
        }
    }

    @Test(arguments: Damage.allCases)
    func exitsWithAMessage(damage: Damage) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-gguf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (bytes, mentions) = try Self.damaged(damage)
        let file = folder.appendingPathComponent("\(damage.rawValue).gguf")
        try Data(bytes).write(to: file)
        for arguments in [["inspect", file.path], ["tokens", "--model", file.path, "hello"]] {
            let run = try MaskscopeBinary.run(arguments)
            #expect(run.status == 1, "\(damage): \(arguments[0]) exited \(run.status)")
            #expect(run.standardError.hasPrefix("Error: \(damage.rawValue).gguf: "), "\(damage): \(run.standardError)")
            #expect(run.standardError.contains(mentions), "\(damage): \(run.standardError)")
        }
    }
}
