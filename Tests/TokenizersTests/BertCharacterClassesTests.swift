import Foundation
import Testing
@testable import Tokenizers

/// Checks every Unicode code point against what `tokenizers` itself does with it
/// (Tests/Fixtures/tokenizer/unicode-classes.json, written by make_tokenizer_fixtures.py).
@Suite struct BertCharacterClassesTests {
    struct Classes {
        var removed: Set<UInt32>
        var whitespaceToSpace: Set<UInt32>
        var cjk: Set<UInt32>
        var punctuation: Set<UInt32>
        var whitespaceSplit: Set<UInt32>
        var strippedAway: Set<UInt32>
        var stripped: [UInt32: String]
        var lowered: [UInt32: String]
    }

    static let classes = Result { () throws -> Classes in
        let url = TokenizerFixtures.folder.appendingPathComponent("unicode-classes.json")
        guard let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw TokenizerFixtures.FixtureError(message: "unicode-classes.json: not an object")
        }
        func set(_ key: String) throws -> Set<UInt32> {
            guard let ranges = root[key] as? [[Int]] else {
                throw TokenizerFixtures.FixtureError(message: "unicode-classes.json: no \(key)")
            }
            var values = Set<UInt32>()
            for range in ranges where range.count == 2 { for value in range[0]...range[1] { values.insert(UInt32(value)) } }
            return values
        }
        func map(_ key: String) throws -> [UInt32: String] {
            guard let object = root[key] as? [String: String] else {
                throw TokenizerFixtures.FixtureError(message: "unicode-classes.json: no \(key)")
            }
            var result: [UInt32: String] = [:]
            for (code, value) in object { if let code = UInt32(code) { result[code] = value } }
            return result
        }
        return Classes(
            removed: try set("removed_by_clean_text"), whitespaceToSpace: try set("whitespace_to_space"),
            cjk: try set("cjk_padded"), punctuation: try set("punctuation_isolated"),
            whitespaceSplit: try set("whitespace_split"), strippedAway: try set("strip_accents_removed"),
            stripped: try map("strip_accents"), lowered: try map("lowercase")
        )
    }

    static var allScalars: [Unicode.Scalar] { (0...0x10FFFF).compactMap { Unicode.Scalar(UInt32($0)) } }

    func report(_ name: String, _ wrong: [UInt32]) -> Comment {
        "\(name): \(wrong.count) code points differ from tokenizers, e.g. \(wrong.prefix(12).map { "U+" + String($0, radix: 16, uppercase: true) })"
    }

    @Test func classificationMatchesTokenizersForEveryCodePoint() throws {
        let classes = try Self.classes.get()
        var removed: [UInt32] = [], space: [UInt32] = [], cjk: [UInt32] = [], punct: [UInt32] = [], split: [UInt32] = []
        for scalar in Self.allScalars {
            let value = scalar.value
            let isRemoved = BertCharacterClasses.isRemovedByCleanText(scalar)
            if isRemoved != classes.removed.contains(value) { removed.append(value) }
            if (!isRemoved && BertCharacterClasses.isWhitespace(scalar) && value != 0x20) != classes.whitespaceToSpace.contains(value) { space.append(value) }
            if BertCharacterClasses.isCJKIdeograph(scalar) != classes.cjk.contains(value) { cjk.append(value) }
            if BertCharacterClasses.isPunctuation(scalar) != classes.punctuation.contains(value) { punct.append(value) }
            if BertCharacterClasses.isWhitespace(scalar) != classes.whitespaceSplit.contains(value) { split.append(value) }
        }
        #expect(removed.isEmpty, report("clean_text removal", removed))
        #expect(space.isEmpty, report("whitespace", space))
        #expect(cjk.isEmpty, report("CJK", cjk))
        #expect(punct.isEmpty, report("punctuation", punct))
        #expect(split.isEmpty, report("whitespace split", split))
    }

    @Test func accentStrippingMatchesTokenizersForEveryCodePoint() throws {
        let classes = try Self.classes.get()
        let strip = BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false)
        var wrong: [UInt32] = []
        for scalar in Self.allScalars where scalar.value >= 0x80 && !(0xAC00...0xD7A3).contains(scalar.value) {
            let expected = classes.strippedAway.contains(scalar.value) ? "" : classes.stripped[scalar.value] ?? String(scalar)
            let got = strip.normalize(String(scalar)[...].unicodeScalars)
            if !got.elementsEqual(expected.unicodeScalars) { wrong.append(scalar.value) }
        }
        #expect(wrong.isEmpty, report("strip_accents", wrong))
    }

    @Test func lowercaseMatchesTokenizersForEveryCodePoint() throws {
        let classes = try Self.classes.get()
        let lower = BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true)
        var wrong: [UInt32] = []
        for scalar in Self.allScalars {
            let expected = classes.lowered[scalar.value] ?? String(scalar)
            let got = lower.normalize(String(scalar)[...].unicodeScalars)
            if !got.elementsEqual(expected.unicodeScalars) { wrong.append(scalar.value) }
        }
        #expect(wrong.isEmpty, report("lowercase", wrong))
    }

    @Test func hangulSyllablesDecomposeIntoJamo() {
        let strip = BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false)
        #expect(strip.normalize("한"[...].unicodeScalars).map(\.value) == [0x1112, 0x1161, 0x11AB])
    }
}
