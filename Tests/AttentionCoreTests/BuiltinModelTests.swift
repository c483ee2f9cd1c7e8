import Testing
@testable import AttentionCore

@Suite struct BuiltinModelTests {
    let model = BuiltinModel.make()

    @Test func tokenizerKeepsWordsAndPunctuationBetweenSpecialTokens() throws {
        let encoding = try model.encode("The quick brown fox jumps over the lazy dog.")
        #expect(encoding.tokens == ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".", "[SEP]"])
        #expect(encoding.ids[0] == 101 && encoding.ids[11] == 102)
        #expect(encoding.ids[1] == encoding.ids[7])
        let pair = try model.encode("a b", pair: "c [MASK]")
        #expect(pair.tokens == ["[CLS]", "a", "b", "[SEP]", "c", "[MASK]", "[SEP]"])
        #expect(pair.typeIDs == [0, 0, 0, 0, 1, 1, 1])
        #expect(pair.isSpecial[5])
        #expect(throws: BuiltinTokenizerError.self) { try model.encode("  \u{200B} ") }
    }

    /// The weight each designed head puts where its design says, averaged over queries that
    /// have such a target.
    func targetShare(_ maps: AttentionMaps, layer: Int, head: Int, tokens: [String],
                     target: (Int) -> [Int]) -> Float {
        var total: Float = 0, rows = 0
        for query in 0..<maps.length {
            let keys = target(query).filter { $0 >= 0 && $0 < maps.length }
            guard !keys.isEmpty else { continue }
            total += keys.reduce(0) { $0 + maps.weight(layer: layer, head: head, query: query, key: $1) }
            rows += 1
        }
        return total / Float(rows)
    }

    @Test(arguments: [
        "The quick brown fox jumps over the lazy dog.",
        String(repeating: "one two three four five six seven eight nine ten, ", count: 10),
    ])
    func eachHeadShowsItsDesignedPattern(text: String) throws {
        let explorer = try Explorer(model: model, text: text)
        let maps = try #require(explorer.recompute()).attention
        let tokens = explorer.tokens
        let n = tokens.count
        #expect(targetShare(maps, layer: 0, head: 0, tokens: tokens) { [$0 - 1] } > 0.9)
        #expect(targetShare(maps, layer: 0, head: 1, tokens: tokens) { [$0 + 1] } > 0.9)
        #expect(targetShare(maps, layer: 0, head: 2, tokens: tokens) { [$0] } > 0.9)
        #expect(targetShare(maps, layer: 0, head: 3, tokens: tokens) { _ in [0, n - 1] } > 0.9)
        #expect(targetShare(maps, layer: 0, head: 4, tokens: tokens) { q in (0..<n).filter { tokens[$0] == tokens[q] } } > 0.9)
        let broad = maps.queryRow(layer: 0, head: 5, query: 3)
        #expect(broad.allSatisfy { abs($0 - 1 / Float(n)) < 1e-5 })
        #expect(targetShare(maps, layer: 1, head: 0, tokens: tokens) { [$0 - 2] } > 0.9)
        #expect(targetShare(maps, layer: 1, head: 1, tokens: tokens) { [$0 + 2] } > 0.9)
        #expect(targetShare(maps, layer: 1, head: 4, tokens: tokens) { _ in [0] } > 0.9)
    }

    @Test func everyHeadIsNamedAndDescribed() {
        #expect(model.info.headNames?.flatMap { $0 }.count == model.info.layerCount * model.info.headCount)
        #expect(model.info.headName(layer: 0, head: 0) == "previous token")
        #expect(model.info.headDesigns?.flatMap { $0 }.allSatisfy { !$0.isEmpty } == true)
    }

    @Test func refusesTextLongerThanItsPositions() throws {
        let long = String(repeating: "word ", count: 600)
        #expect(throws: ModelInputError.self) { try Explorer(model: model, text: long) }
    }
}
