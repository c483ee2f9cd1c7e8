import Foundation
import Testing
@testable import Tokenizers

@Suite struct WordPieceTokenizerErrorTests {
    static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    func folder(_ files: [String: Data]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: url.appendingPathComponent(name)) }
        return url
    }

    func tiny() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabulary: Self.specials + ["hello", "world", "##s", "a", "b"])
    }

    @Test(arguments: ["", "   ", "\t\n\r", "\u{200B}\u{00AD}\u{FEFF}", "\u{0}\u{7}\u{FFFD}", "\u{3000}\u{00A0}"])
    func emptyTextThrows(text: String) throws {
        #expect(throws: TokenizerError.emptyText(which: "text")) { try tiny().encode(text, pair: nil) }
        #expect(throws: TokenizerError.emptyText(which: "pair")) { try tiny().encode("hello", pair: text) }
    }

    @Test func emptyTextMessageSaysEmpty() {
        #expect(TokenizerError.emptyText(which: "text").description.contains("empty"))
    }

    @Test func literalSpecialTokenAloneIsNotEmpty() throws {
        let encoding = try tiny().encode("[MASK]", pair: nil)
        #expect(encoding.tokens == ["[CLS]", "[MASK]", "[SEP]"])
        #expect(encoding.isSpecial == [true, true, true])
        #expect(encoding.wordIndices == [nil, nil, nil])
    }

    @Test func wordIndicesCountAcrossThePair() throws {
        let encoding = try tiny().encode("hellos a", pair: "b world")
        #expect(encoding.tokens == ["[CLS]", "hello", "##s", "a", "[SEP]", "b", "world", "[SEP]"])
        #expect(encoding.wordIndices == [nil, 0, 0, 1, nil, 2, 3, nil])
        #expect(encoding.typeIDs == [0, 0, 0, 0, 0, 1, 1, 1])
    }

    @Test func wordWithAMissingPieceIsOneUnknown() throws {
        let encoding = try tiny().encode("hellox worlds", pair: nil)
        #expect(encoding.tokens == ["[CLS]", "[UNK]", "world", "##s", "[SEP]"])
        #expect(encoding.isSpecial == [true, false, false, false, true])
    }

    @Test func missingSpecialTokenNamesTokenAndFile() throws {
        #expect(throws: TokenizerError.missingSpecialToken(token: "[SEP]", file: "mine.txt")) {
            try WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "a"], source: "mine.txt")
        }
        let dir = try folder(["vocab.txt": Data("[PAD]\n[CLS]\n[SEP]\nhello\n".utf8)])
        #expect(throws: TokenizerError.missingSpecialToken(token: "[UNK]", file: "vocab.txt")) {
            try WordPieceTokenizer.load(folder: dir)
        }
    }

    @Test func emptyVocabularyIsAnError() throws {
        #expect(throws: TokenizerError.emptyVocabulary(file: "vocabulary")) { try WordPieceTokenizer(vocabulary: []) }
        let dir = try folder(["vocab.txt": Data("\n\n".utf8)])
        #expect(throws: TokenizerError.emptyVocabulary(file: "vocab.txt")) { try WordPieceTokenizer.load(folder: dir) }
    }

    @Test func nonUTF8VocabularyNamesTheLine() throws {
        var bytes = Data("[PAD]\n[UNK]\n[CLS]\n".utf8)
        bytes.append(contentsOf: [0x61, 0xFF, 0x62, 0x0A])
        let dir = try folder(["vocab.txt": bytes])
        #expect(throws: TokenizerError.notUTF8(file: "vocab.txt", line: 4)) { try WordPieceTokenizer.load(folder: dir) }
        #expect(TokenizerError.notUTF8(file: "vocab.txt", line: 4).description == "vocab.txt: line 4 is not valid UTF-8")
    }

    @Test func duplicateVocabularyLineKeepsLastIDLikeTransformers() throws {
        let dir = try folder(["vocab.txt": Data((Self.specials + ["a", "b", "a"]).joined(separator: "\r\n").utf8)])
        let tokenizer = try WordPieceTokenizer.load(folder: dir)
        #expect(try tokenizer.encode("a b", pair: nil).ids == [2, 7, 6, 3])
        #expect(tokenizer.token(for: 5) == nil)
        #expect(tokenizer.token(for: 7) == "a")
    }

    @Test func missingFolderFilesAndUnreadableFiles() throws {
        let dir = try folder([:])
        #expect(throws: TokenizerError.noTokenizerFiles(folder: dir.path)) { try WordPieceTokenizer.load(folder: dir) }
        let missing = dir.appendingPathComponent("nope.txt")
        #expect(throws: TokenizerError.self) { try WordPieceTokenizer.load(vocabularyFile: missing) }
    }

    @Test func badTokenizerJSON() throws {
        let cases: [(String, String)] = [
            ("{not json", "is not valid JSON"),
            ("[1, 2]", "top level is not a JSON object"),
            (#"{"normalizer": null}"#, "no \"model\" object"),
            (#"{"model": {"type": "WordPiece"}}"#, "\"model.vocab\" is missing"),
            (#"{"model": {"type": "WordPiece", "vocab": {}}}"#, "no tokens"),
            (#"{"model": {"type": "BPE", "vocab": {"a": 0}}}"#, "only WordPiece"),
            (#"{"model": {"type": "WordPiece", "vocab": {"a": -3}}}"#, "'a' has id -3"),
            (#"{"model": {"type": "WordPiece", "vocab": {"a": "x"}}}"#, "'a' has id"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "[CLS]": 1}}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 1], "cls": ["[CLS]", 0]}}"#, "no '[SEP]' token"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "pre_tokenizer": {"type": "ByteLevel"}}"#, "pre_tokenizer 'ByteLevel' is not supported"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "pre_tokenizer": null}"#, "pre_tokenizer null (no word splitting) is not supported"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"#, "post_processor null (no special tokens added) is not supported"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": {"type": "RobertaProcessing"}}"#, "post_processor 'RobertaProcessing' is not supported"),
            (#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}]}}"#, "single template is not '[CLS] $A [SEP]'"),
            (#"{"normalizer": {"type": "NFKC"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}"#, "normalizer type 'NFKC'"),
        ]
        for (json, expected) in cases {
            let dir = try folder(["tokenizer.json": Data(json.utf8)])
            do {
                _ = try WordPieceTokenizer.load(folder: dir)
                Issue.record("\(json) loaded without error")
            } catch let error as TokenizerError {
                #expect(error.description.hasPrefix("tokenizer.json: "), "\(error)")
                #expect(error.description.contains(expected), "\(json): \(error)")
            }
        }
    }

    @Test func badTokenizerConfig() throws {
        let vocab = Data((Self.specials + ["a"]).joined(separator: "\n").utf8)
        let dir = try folder(["vocab.txt": vocab, "tokenizer_config.json": Data(#"{"do_lower_case": "yes"}"#.utf8)])
        #expect(throws: TokenizerError.badJSON(file: "tokenizer_config.json", reason: "\"do_lower_case\" should be true or false")) {
            try WordPieceTokenizer.load(folder: dir)
        }
    }

    @Test func folderPrefersTokenizerJSONAndConfigOverridesIt() throws {
        let json = #"""
        {"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "Ab": 4, "ab": 5}},
         "normalizer": {"type": "BertNormalizer", "lowercase": false, "strip_accents": null, "handle_chinese_chars": true, "clean_text": true},
         "added_tokens": [{"id": 6, "content": "<special>", "special": true}], "pre_tokenizer": {"type": "BertPreTokenizer"}, "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}}
        """#
        let dir = try folder(["tokenizer.json": Data(json.utf8), "vocab.txt": Data("nothing\n".utf8)])
        let fromJSON = try WordPieceTokenizer.load(folder: dir)
        #expect(try fromJSON.encode("Ab<special>", pair: nil).ids == [2, 4, 6, 3])
        try Data(#"{"do_lower_case": true}"#.utf8).write(to: dir.appendingPathComponent("tokenizer_config.json"))
        #expect(try WordPieceTokenizer.load(folder: dir).encode("Ab", pair: nil).ids == [2, 5, 3])
    }

    @Test func canonicallyEquivalentSpellingsAreDifferentTokens() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Self.specials + ["caf\u{E9}"], lowercase: false)
        #expect(try tokenizer.encode("caf\u{E9}", pair: nil).tokens == ["[CLS]", "caf\u{E9}", "[SEP]"])
        #expect(try tokenizer.encode("cafe\u{301}", pair: nil).tokens == ["[CLS]", "[UNK]", "[SEP]"])
    }

    @Test func paragraphOfMoreThan512TokensTokenizes() throws {
        let tokenizer = try WordPieceTokenizer.load(vocabularyFile: TokenizerFixtures.uncasedVocabulary)
        let sentence = "The quick brown fox jumps over the lazy dog, naïvely tokenizing 東京 and unaffable résumés. "
        let paragraph = String(repeating: sentence, count: 23)
        let encoding = try tokenizer.encode(paragraph, pair: nil)
        #expect(encoding.count > 500)
        let once = try tokenizer.encode(sentence, pair: nil)
        // Each repetition tokenizes the same way: the paragraph is the sentence's pieces 23 times.
        #expect(encoding.count == (once.count - 2) * 23 + 2)
    }
}
