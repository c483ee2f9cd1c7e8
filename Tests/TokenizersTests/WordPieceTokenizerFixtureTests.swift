import Foundation
import Testing
@testable import Tokenizers

/// Every case must reproduce transformers' tokens, ids, type ids, word grouping and special flags.
@Suite struct WordPieceTokenizerFixtureTests {
    static let uncased = Result { try WordPieceTokenizer.load(vocabularyFile: TokenizerFixtures.uncasedVocabulary) }

    func check(_ tokenizer: WordPieceTokenizer, against file: String, minimumCases: Int) throws {
        let cases = try TokenizerFixtures.cases(file)
        #expect(cases.count >= minimumCases, "\(file) has only \(cases.count) cases")
        var mismatches: [String] = []
        for fixture in cases {
            let label = fixture.pair.map { "\(fixture.text.debugDescription) + \($0.debugDescription)" } ?? fixture.text.debugDescription
            let encoding: Encoding
            do {
                encoding = try tokenizer.encode(fixture.text, pair: fixture.pair)
            } catch {
                mismatches.append("\(label): threw \(error)")
                continue
            }
            if encoding.tokens != fixture.tokens {
                mismatches.append("\(label): tokens \(encoding.tokens) != transformers \(fixture.tokens)")
            } else if encoding.ids != fixture.ids {
                mismatches.append("\(label): ids \(encoding.ids) != transformers \(fixture.ids)")
            } else if encoding.typeIDs != fixture.typeIDs {
                mismatches.append("\(label): type ids \(encoding.typeIDs) != transformers \(fixture.typeIDs)")
            } else if encoding.wordIndices != TokenizerFixtures.expectedWordIndices(fixture) {
                mismatches.append("\(label): word indices \(encoding.wordIndices) != \(TokenizerFixtures.expectedWordIndices(fixture))")
            } else if encoding.isSpecial != fixture.special {
                mismatches.append("\(label): isSpecial \(encoding.isSpecial) != \(fixture.special)")
            } else if encoding.isPadding.contains(true) {
                mismatches.append("\(label): unpadded encoding has padding positions")
            }
        }
        #expect(mismatches.isEmpty, "\(file): \(mismatches.count) of \(cases.count) cases differ:\n\(mismatches.joined(separator: "\n"))")
    }

    @Test func uncasedMiniLMMatchesTransformers() throws {
        try check(try Self.uncased.get(), against: "cases.json", minimumCases: 70)
    }

    @Test func casedMatchesTransformers() throws {
        let tokenizer = try WordPieceTokenizer.load(
            vocabularyFile: TokenizerFixtures.uncasedVocabulary,
            config: try temporaryConfig(#"{"do_lower_case": false}"#)
        )
        #expect(!tokenizer.lowercase && !tokenizer.stripAccents)
        try check(tokenizer, against: "cases-cased.json", minimumCases: 10)
    }

    @Test func lowercaseKeepingAccentsMatchesTransformers() throws {
        let tokenizer = try WordPieceTokenizer.load(
            vocabularyFile: TokenizerFixtures.uncasedVocabulary,
            config: try temporaryConfig(#"{"do_lower_case": true, "strip_accents": false}"#)
        )
        #expect(tokenizer.lowercase && !tokenizer.stripAccents)
        try check(tokenizer, against: "cases-keep-accents.json", minimumCases: 5)
    }

    @Test func smallTokenizerJSONMatchesTransformers() throws {
        let tokenizer = try WordPieceTokenizer.load(folder: TokenizerFixtures.smallFolder)
        #expect(!tokenizer.lowercase && tokenizer.stripAccents)
        try check(tokenizer, against: "small/cases.json", minimumCases: 15)
    }

    @Test func inMemoryVocabularyMatchesFileLoader() throws {
        let data = try Data(contentsOf: TokenizerFixtures.uncasedVocabulary)
        let lines = try WordPieceTokenizer.readVocabularyLines(data, file: "vocab-uncased.txt")
        let tokenizer = try WordPieceTokenizer(vocabulary: lines, lowercase: true, stripAccents: nil, tokenizeChineseChars: true)
        try check(tokenizer, against: "cases.json", minimumCases: 70)
    }

    @Test func paddingKeepsTransformersLayout() throws {
        let tokenizer = try Self.uncased.get()
        let encoding = try tokenizer.encode("The quick brown fox jumps over the lazy dog.", pair: nil)
        #expect(encoding.ids == [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102])
        let padded = encoding.padded(to: 16, padToken: tokenizer.padToken.token, padID: tokenizer.padToken.id)
        #expect(padded.ids.suffix(4) == [0, 0, 0, 0])
        #expect(padded.defaultMask == Array(repeating: 1, count: 12) + Array(repeating: 0, count: 4))
        // On the left, as `tokenizer(…, padding_side="left")`: the pads come first, every
        // other array keeps its order after them.
        let left = encoding.padded(to: 16, padToken: tokenizer.padToken.token, padID: tokenizer.padToken.id, side: .left)
        #expect(left.ids == [0, 0, 0, 0] + encoding.ids)
        #expect(left.tokens == Array(repeating: "[PAD]", count: 4) + encoding.tokens)
        #expect(left.defaultMask == Array(repeating: 0, count: 4) + Array(repeating: 1, count: 12))
        #expect(left.isSpecial.prefix(4).allSatisfy { $0 } && left.typeIDs == Array(repeating: 0, count: 16))
        #expect(left.wordIndices == Array(repeating: nil, count: 4) + encoding.wordIndices)
        #expect(encoding.padded(to: 12, padToken: "[PAD]", padID: 0, side: .left) == encoding)
    }

    func temporaryConfig(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tok-config-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url
    }
}
