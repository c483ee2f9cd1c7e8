import Foundation
import Testing
@testable import Tokenizers

/// Byte-level BPE must reproduce transformers 5.24 exactly: ids, vocabulary tokens, type ids,
/// per-token texts and the decoded text, on SmolLM2 (from its GGUF arrays) and on tiny GPT-2,
/// RoBERTa and Llama 3 style tokenizers trained by make_bpe_fixtures.py.
@Suite struct ByteLevelBPEFixtureTests {
    static let smolLM2 = Result { try BPEFixtures.smolLM2() }

    func expectMatches(_ tokenizer: ByteLevelBPETokenizer, _ file: String, minimumCases: Int) throws {
        let cases = try BPEFixtures.cases(file)
        #expect(cases.count >= minimumCases, "\(file) has only \(cases.count) cases")
        let mismatches = BPEFixtures.mismatches(tokenizer, cases)
        #expect(mismatches.isEmpty, "\(file): \(mismatches.count) of \(cases.count) cases differ:\n\(mismatches.joined(separator: "\n"))")
    }

    @Test func smolLM2FromGGUFArraysMatchesTransformers() throws {
        let tokenizer = try Self.smolLM2.get()
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.mergeCount == 48900)
        #expect(tokenizer.splitPattern == .gpt2)
        #expect(tokenizer.template == .plain, "SmolLM2 adds no BOS")
        try expectMatches(tokenizer, "smollm2-cases.json", minimumCases: 60)
    }

    @Test func smolLM2SpecialTokenRoles() throws {
        let roles = try Self.smolLM2.get().specialTokenRoles
        #expect(roles[.bos] == SpecialToken(token: "<|im_start|>", id: 1))
        #expect(roles[.eos] == SpecialToken(token: "<|im_end|>", id: 2))
        #expect(roles[.unk] == SpecialToken(token: "<|endoftext|>", id: 0))
        #expect(roles[.pad] == SpecialToken(token: "<|im_end|>", id: 2))
    }

    @Test func gpt2FromVocabAndMergesMatchesTransformers() throws {
        let folder = BPEFixtures.folder.appendingPathComponent("gpt2-tiny")
        let tokenizer = try ByteLevelBPETokenizer.load(
            vocabularyFile: folder.appendingPathComponent("vocab.json"),
            mergesFile: folder.appendingPathComponent("merges.txt"))
        #expect(tokenizer.mergeCount > 200)
        try expectMatches(tokenizer, "gpt2-tiny/cases.json", minimumCases: 15)
    }

    @Test func gpt2FromTokenizerJSONMatchesTransformers() throws {
        let tokenizer = try ByteLevelBPETokenizer.load(tokenizerJSON: BPEFixtures.folder.appendingPathComponent("gpt2-tiny/tokenizer.json"))
        try expectMatches(tokenizer, "gpt2-tiny/cases.json", minimumCases: 15)
    }

    @Test func robertaMatchesTransformersWithPairsAndPadding() throws {
        let tokenizer = try ByteLevelBPETokenizer.load(folder: BPEFixtures.folder.appendingPathComponent("roberta-tiny"))
        #expect(tokenizer.specialTokenRoles[.cls]?.token == "<s>")
        #expect(tokenizer.specialTokenRoles[.sep]?.token == "</s>")
        #expect(tokenizer.specialTokenRoles[.mask]?.token == "<mask>")
        #expect(tokenizer.padToken.token == "<pad>")
        let pair = try tokenizer.encode("Hello world", pair: "again")
        #expect(pair.tokens.first == "<s>")
        #expect(pair.tokens.filter { $0 == "</s>" }.count == 3, "RoBERTa pairs are <s> a </s></s> b </s>")
        try expectMatches(tokenizer, "roberta-tiny/cases.json", minimumCases: 15)
    }

    @Test func llama3StyleSplitAndBOSTemplateMatchTransformers() throws {
        let tokenizer = try ByteLevelBPETokenizer.load(tokenizerJSON: BPEFixtures.folder.appendingPathComponent("llama3-tiny/tokenizer.json"))
        #expect(tokenizer.splitPattern == .llama3)
        #expect(tokenizer.specialTokenRoles[.bos]?.token == "<|begin_of_text|>")
        try expectMatches(tokenizer, "llama3-tiny/cases.json", minimumCases: 15)
    }

    @Test func qwen2StyleNFCAndSingleDigitsMatchTransformers() throws {
        let tokenizer = try ByteLevelBPETokenizer.load(tokenizerJSON: BPEFixtures.folder.appendingPathComponent("qwen2-tiny/tokenizer.json"))
        #expect(tokenizer.splitPattern == .qwen2)
        #expect(tokenizer.normalizesNFC)
        #expect(tokenizer.template == .plain)
        try expectMatches(tokenizer, "qwen2-tiny/cases.json", minimumCases: 15)
    }

    @Test func displayFormMakesBytesReadable() throws {
        let tokenizer = try Self.smolLM2.get()
        #expect(tokenizer.displayForm(of: "Ġjumps") == "␣jumps")
        #expect(tokenizer.displayForm(of: "ĊĊĠ") == "⏎⏎␣")
        #expect(tokenizer.displayForm(of: "ĉ") == "⇥")
        #expect(tokenizer.displayForm(of: "čĊ") == "␍⏎")
        #expect(tokenizer.displayForm(of: "æ") == "<0xE6>", "0xE6 alone starts a 3-byte sequence")
        #expect(tokenizer.displayForm(of: ByteLevelAlphabet.spell(Array("你".utf8))) == "你")
        #expect(tokenizer.displayForm(of: ByteLevelAlphabet.spell([0xE4, 0xBD])) == "<0xE4><0xBD>")
        #expect(tokenizer.displayForm(of: "<|im_start|>") == "<|im_start|>")
        #expect(tokenizer.displayForm(of: "Ā") == "<0x00>")
        #expect(tokenizer.displayForm(of: "ć") == "<0x07>", "a bell is a control byte")
        #expect(tokenizer.displayForm(of: "ġ") == "<0x7F>")
        let encoding = try tokenizer.encode("The quick fox\n", pair: nil)
        #expect(encoding.tokens == ["The", "Ġquick", "Ġfox", "Ċ"])
        #expect(encoding.texts == ["The", " quick", " fox", "\n"])
        #expect(encoding.tokens.map(tokenizer.displayForm(of:)) == ["The", "␣quick", "␣fox", "⏎"])
    }

    @Test func wordIndicesFollowPreTokenizerPieces() throws {
        let tokenizer = try Self.smolLM2.get()
        let encoding = try tokenizer.encode("<|im_start|>Pneumonoultramicroscopic is", pair: nil)
        #expect(encoding.wordIndices.first == .some(nil), "a control token belongs to no word")
        let longWord = encoding.wordIndices.dropFirst().dropLast()
        #expect(Set(longWord.map { $0 ?? -1 }) == [0], "pieces of one word share its index: \(encoding.wordIndices)")
        #expect(encoding.wordIndices.last == .some(1))
    }

    @Test func encodingALongTextUsesTheWordCacheConsistently() throws {
        let tokenizer = try Self.smolLM2.get()
        let sentence = "The quick brown fox jumps over the lazy dog; 東京 café 👍🏽 $19.99\n"
        let text = String(repeating: sentence, count: 35)
        let once = try tokenizer.encode(sentence, pair: nil)
        let many = try tokenizer.encode(text, pair: nil)
        #expect(text.count > 2000)
        #expect(many.ids == Array([[Int]](repeating: once.ids, count: 35).joined()))
        #expect(tokenizer.decode(many.ids) == text)
    }
}
