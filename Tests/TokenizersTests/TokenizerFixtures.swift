import Foundation
@testable import Tokenizers

/// The transformers-generated fixtures under Tests/Fixtures/tokenizer.
enum TokenizerFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("tokenizer")

    static var uncasedVocabulary: URL { folder.appendingPathComponent("vocab-uncased.txt") }
    static var smallFolder: URL { folder.appendingPathComponent("small") }

    /// One transformers encoding: `wordIDs` restart at 0 for the pair, as transformers counts.
    struct Case {
        var text: String
        var pair: String?
        var tokens: [String]
        var ids: [Int]
        var typeIDs: [Int]
        var wordIDs: [Int?]
        var special: [Bool]
    }

    static func cases(_ relativePath: String) throws -> [Case] {
        let data = try Data(contentsOf: folder.appendingPathComponent(relativePath))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["cases"] as? [[String: Any]] else {
            throw FixtureError(message: "\(relativePath): no cases array")
        }
        return try list.map { item in
            guard let text = item["text"] as? String,
                  let tokens = item["tokens"] as? [String],
                  let ids = item["ids"] as? [Int],
                  let typeIDs = item["type_ids"] as? [Int],
                  let wordIDs = item["word_ids"] as? [Any],
                  let special = item["special"] as? [Int] else {
                throw FixtureError(message: "\(relativePath): malformed case \(item["text"] ?? "?")")
            }
            return Case(text: text, pair: item["pair"] as? String, tokens: tokens, ids: ids, typeIDs: typeIDs,
                        wordIDs: wordIDs.map { $0 as? Int }, special: special.map { $0 == 1 })
        }
    }

    /// transformers' word ids renumbered the way `Encoding.wordIndices` counts: across both
    /// texts, skipping special tokens.
    static func expectedWordIndices(_ fixture: Case) -> [Int?] {
        var next = 0
        var seen: [String: Int] = [:]
        var sequence = 0
        var result: [Int?] = []
        for (position, word) in fixture.wordIDs.enumerated() {
            if fixture.tokens[position] == "[SEP]" && word == nil { sequence += 1 }
            guard let word, !fixture.special[position] else { result.append(nil); continue }
            let key = "\(sequence):\(word)"
            if let index = seen[key] {
                result.append(index)
            } else {
                seen[key] = next
                result.append(next)
                next += 1
            }
        }
        return result
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
