import Foundation
import Testing
@testable import Tokenizers

@Suite("Special-token roles and decoding") struct SpecialTokenRoleTests {
    @Test func wordPieceNamesItsSpecialTokensByRole() throws {
        let tokenizer = try WordPieceTokenizer.load(folder: TokenizerFixtures.smallFolder)
        let roles = tokenizer.specialTokenRoles
        #expect(roles[.cls] == SpecialToken(token: "[CLS]", id: 2))
        #expect(roles[.sep] == SpecialToken(token: "[SEP]", id: 3))
        #expect(roles[.pad]?.token == "[PAD]")
        #expect(roles[.unk]?.token == "[UNK]")
        #expect(roles[.mask]?.token == "[MASK]")
        #expect(roles[.bos] == nil && roles[.eos] == nil)
        #expect(tokenizer.documentSeparator == roles[.sep])
        #expect(tokenizer.displayForm(of: "##able") == "##able")
    }

    @Test func rolesFollowTheCheckpointsSpelling() throws {
        let tokenizer = try WordPieceTokenizer(
            vocabulary: ["<pad>", "<unk>", "<cls>", "<end>", "word"], unknownToken: "<unk>", classToken: "<cls>",
            separatorToken: "<end>", paddingToken: "<pad>", maskToken: nil)
        #expect(tokenizer.specialTokenRoles[.sep] == SpecialToken(token: "<end>", id: 3))
        #expect(tokenizer.specialTokenRoles[.mask] == nil)
    }

    /// Expected strings from `tokenizers` 0.22 (transformers 5.24.0's): `Tokenizer.from_file(
    /// "Tests/Fixtures/tokenizer/small/tokenizer.json").decode(ids, skip_special_tokens=False)`.
    @Test func decodeMatchesTransformers() throws {
        let tokenizer = try WordPieceTokenizer.load(folder: TokenizerFixtures.smallFolder)
        let single = try tokenizer.encode("Hello, world! It's unaffable.", pair: nil)
        #expect(single.ids == [2, 159, 16, 161, 5, 71, 108, 11, 55, 146, 147, 148, 18, 3])
        #expect(tokenizer.decode(single.ids) == "[CLS] Hello, world! It ' s unaffable. [SEP]")
        let pair = try tokenizer.encode("the quick brown fox", pair: "jumps over?")
        #expect(tokenizer.decode(pair.ids) == "[CLS] the quick brown fox [SEP] jumps over? [SEP]")
        #expect(tokenizer.decode([]) == "")
    }

    @Test func loaderReadsTheClassAndSeparatorFromThePostProcessor() throws {
        let json = #"""
        {"model": {"type": "WordPiece", "vocab": {"<pad>": 0, "[UNK]": 1, "<cls>": 2, "<sep>": 3, "a": 4}},
         "normalizer": {"type": "BertNormalizer", "lowercase": true},
         "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "TemplateProcessing",
           "single": [{"SpecialToken": {"id": "<cls>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<sep>", "type_id": 0}}],
           "pair": [{"SpecialToken": {"id": "<cls>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<sep>", "type_id": 0}},
                    {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "<sep>", "type_id": 1}}],
           "special_tokens": {"<cls>": {"id": "<cls>", "ids": [2], "tokens": ["<cls>"]}, "<sep>": {"id": "<sep>", "ids": [3], "tokens": ["<sep>"]}}}}
        """#
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(json.utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        try Data(#"{"pad_token": "<pad>"}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let tokenizer = try WordPieceTokenizer.load(folder: folder)
        #expect(try tokenizer.encode("a", pair: "a").tokens == ["<cls>", "a", "<sep>", "a", "<sep>"])
        #expect(tokenizer.specialTokenRoles[.sep]?.token == "<sep>")
    }
}
