import Foundation
import Testing
@testable import Tokenizers

/// Broken or unsupported byte-level BPE inputs end in a `TokenizerError` naming what is wrong.
@Suite struct ByteLevelBPEErrorTests {
    /// A four-character vocabulary in the byte alphabet with one merge.
    func gguf(tokens: [String] = ["a", "b", "ab", "Ġ"], merges: [String] = ["a b"], types: [Int]? = nil,
              pre: String? = "gpt2", bos: Int? = nil, eos: Int? = 2) throws -> ByteLevelBPETokenizer {
        try ByteLevelBPETokenizer(ggufTokens: tokens, merges: merges, tokenTypes: types, bosID: bos, eosID: eos,
                                  unknownID: nil, paddingID: nil, addBOS: bos != nil, pre: pre, source: "test.gguf")
    }

    func temporaryFolder(_ files: [String: Data]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test func smallVocabularyWorksAndAddsBOSWhenAsked() throws {
        #expect(try gguf().encode("ab ab", pair: nil).ids == [2, 3, 2], "Ġab is not in the vocabulary")
        let withBOS = try gguf(tokens: ["a", "b", "ab", "<s>"], types: [1, 1, 1, 3], bos: 3)
        #expect(try withBOS.encode("ab", pair: nil).tokens == ["<s>", "ab"])
        #expect(try withBOS.encode("ab", pair: "a").tokens == ["<s>", "ab", "<s>", "a"])
    }

    @Test func missingMergesAreRefused() {
        #expect(throws: TokenizerError.missingMerges(file: "test.gguf")) { try gguf(merges: []) }
        #expect(TokenizerError.missingMerges(file: "test.gguf").description.contains("no merges"))
    }

    @Test func aMergeNamingAnUnknownTokenIsRefused() {
        #expect(throws: TokenizerError.mergeNotInVocabulary(file: "test.gguf", line: 2, token: "zz")) {
            try gguf(merges: ["a b", "a zz"])
        }
        #expect(throws: TokenizerError.mergeNotInVocabulary(file: "test.gguf", line: 1, token: "ba")) {
            try gguf(merges: ["b a"])
        }
        #expect(throws: TokenizerError.badMerge(file: "test.gguf", line: 1, text: "ab")) { try gguf(merges: ["ab"]) }
    }

    @Test func anUnknownPreTokenizerIsRefusedByName() throws {
        do {
            _ = try gguf(pre: "starcoder")
            Issue.record("starcoder was accepted")
        } catch let error as TokenizerError {
            guard case .unsupportedComponent(_, let component, let name, _) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(component == "tokenizer.ggml.pre")
            #expect(name == "starcoder")
            #expect(error.description.contains("'starcoder' is not supported"))
        }
    }

    @Test func aSpecialIDOutsideTheVocabularyIsRefused() {
        #expect(throws: TokenizerError.badVocabularyID(file: "test.gguf", token: "tokenizer.ggml.eos_token_id", id: 9)) {
            try gguf(eos: 9)
        }
    }

    @Test func emptyTextIsRefused() throws {
        #expect(throws: TokenizerError.emptyText(which: "text")) { try gguf().encode("", pair: nil) }
        #expect(throws: TokenizerError.emptyText(which: "pair")) { try gguf().encode("a", pair: "") }
    }

    @Test func invalidUTF8InVocabJSONNamesTheLine() throws {
        var vocab = Data("{\"a\": 0,\n\"b\": 1,\n\"".utf8)
        vocab.append(contentsOf: [0xFF, 0xFE])
        vocab.append(contentsOf: Data("\": 2}\n".utf8))
        let folder = try temporaryFolder(["vocab.json": vocab, "merges.txt": Data("#version: 0.2\na b\n".utf8)])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TokenizerError.notUTF8(file: "vocab.json", line: 3)) { try ByteLevelBPETokenizer.load(folder: folder) }
    }

    @Test func mergesTxtWithAnUnknownTokenNamesTheLine() throws {
        let folder = try temporaryFolder([
            "vocab.json": Data(#"{"a": 0, "b": 1, "ab": 2, "<|endoftext|>": 3}"#.utf8),
            "merges.txt": Data("#version: 0.2\na b\nab c\n".utf8),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TokenizerError.mergeNotInVocabulary(file: "merges.txt", line: 3, token: "c")) {
            try ByteLevelBPETokenizer.load(folder: folder)
        }
    }

    /// tokenizer.json parts that are not byte-level BPE are refused with their names.
    @Test(arguments: [
        ("model", #""model": {"type": "WordPiece", "vocab": {"a": 0}}"#, "WordPiece"),
        ("pre_tokenizer", #""pre_tokenizer": {"type": "Metaspace"}"#, "Metaspace"),
        ("Split regex", #""pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "\\w+"}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "use_regex": false}]}"#, "\\w+"),
        ("normalizer", #""normalizer": {"type": "Lowercase"}"#, "Lowercase"),
        ("post_processor", #""post_processor": {"type": "BertProcessing"}"#, "BertProcessing"),
        ("decoder", #""decoder": {"type": "Metaspace"}"#, "Metaspace"),
        ("model option", #""model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}, "merges": []}"#, "byte_fallback"),
    ])
    func unsupportedTokenizerJSONPartsAreNamed(_ component: String, _ override: String, _ name: String) throws {
        var parts: [String: String] = [
            "model": #""model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}"#,
            "pre_tokenizer": #""pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#,
            "normalizer": #""normalizer": null"#,
            "post_processor": #""post_processor": null"#,
            "decoder": #""decoder": {"type": "ByteLevel"}"#,
        ]
        let key = component == "Split regex" ? "pre_tokenizer" : component == "model option" ? "model" : component
        parts[key] = override
        let json = "{" + parts.values.sorted().joined(separator: ", ") + "}"
        let folder = try temporaryFolder(["tokenizer.json": Data(json.utf8)])
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try ByteLevelBPETokenizer.load(folder: folder)
            Issue.record("\(component) \(name) was accepted")
        } catch let error as TokenizerError {
            guard case .unsupportedComponent(let file, let found, let foundName, _) = error else {
                Issue.record("\(component): wrong error \(error)"); return
            }
            #expect(file == "tokenizer.json")
            #expect(found == component)
            #expect(foundName == name)
        }
    }
}
