import Foundation
@testable import Tokenizers

/// The transformers-generated fixtures under Tests/Fixtures/bpe (make_bpe_fixtures.py).
enum BPEFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("bpe")

    /// One transformers encoding; `special` is its special_tokens_mask (template and padding
    /// tokens only), `texts` its decode([id]) per token, `decoded` its decode(ids).
    struct Case {
        var text: String
        var pair: String?
        var padTo: Int?
        var ids: [Int]
        var tokens: [String]
        var typeIDs: [Int]
        var special: [Bool]
        var texts: [String]
        var decoded: String

        var label: String {
            var label = text.debugDescription
            if let pair { label += " + \(pair.debugDescription)" }
            if let padTo { label += " padded to \(padTo)" }
            return label
        }
    }

    static func json(_ relativePath: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(relativePath))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TokenizerFixtures.FixtureError(message: "\(relativePath): not a JSON object")
        }
        return root
    }

    static func cases(_ relativePath: String) throws -> [Case] {
        guard let list = try json(relativePath)["cases"] as? [[String: Any]] else {
            throw TokenizerFixtures.FixtureError(message: "\(relativePath): no cases array")
        }
        return try list.map { item in
            guard let text = item["text"] as? String, let ids = item["ids"] as? [Int],
                  let tokens = item["tokens"] as? [String], let typeIDs = item["type_ids"] as? [Int],
                  let special = item["special"] as? [Int], let texts = item["texts"] as? [String],
                  let decoded = item["decoded"] as? String else {
                throw TokenizerFixtures.FixtureError(message: "\(relativePath): malformed case \(item["text"] ?? "?")")
            }
            return Case(text: text, pair: item["pair"] as? String, padTo: item["pad_to"] as? Int, ids: ids, tokens: tokens,
                        typeIDs: typeIDs, special: special.map { $0 == 1 }, texts: texts, decoded: decoded)
        }
    }

    /// SmolLM2's tokenizer built from the GGUF arrays the script exported, through the same
    /// initializer the GGUF loader calls.
    static func smolLM2() throws -> ByteLevelBPETokenizer {
        let root = try json("smollm2-tokenizer.json")
        guard let tokens = root["tokens"] as? [String], let merges = root["merges"] as? [String],
              let types = root["token_types"] as? [Int] else {
            throw TokenizerFixtures.FixtureError(message: "smollm2-tokenizer.json: missing arrays")
        }
        return try ByteLevelBPETokenizer(
            ggufTokens: tokens, merges: merges, tokenTypes: types,
            bosID: root["bos_id"] as? Int, eosID: root["eos_id"] as? Int,
            unknownID: root["unk_id"] as? Int, paddingID: root["pad_id"] as? Int,
            addBOS: root["add_bos"] as? Bool ?? false, pre: root["pre"] as? String,
            source: "smollm2-tokenizer.json"
        )
    }

    /// Every difference between the tokenizer's encodings and transformers', one line each.
    static func mismatches(_ tokenizer: ByteLevelBPETokenizer, _ cases: [Case]) -> [String] {
        var mismatches: [String] = []
        let literalSpecials = Set(tokenizer.addedTokens.filter(\.special).map(\.id))
        for fixture in cases {
            var encoding: Encoding
            do {
                encoding = try tokenizer.encode(fixture.text, pair: fixture.pair)
            } catch {
                mismatches.append("\(fixture.label): threw \(error)")
                continue
            }
            let unpaddedCount = encoding.count
            if let padTo = fixture.padTo {
                encoding = encoding.padded(to: padTo, padToken: tokenizer.padToken.token, padID: tokenizer.padToken.id)
            }
            // transformers' special_tokens_mask leaves special tokens written in the text at 0;
            // Encoding marks them special too, so the explorer can style them.
            let expectedSpecial = zip(fixture.special, fixture.ids).map { $0 || literalSpecials.contains($1) }
            if encoding.ids != fixture.ids {
                mismatches.append("\(fixture.label): ids \(encoding.ids) != transformers \(fixture.ids)")
            } else if encoding.tokens != fixture.tokens {
                mismatches.append("\(fixture.label): tokens \(encoding.tokens) != transformers \(fixture.tokens)")
            } else if encoding.typeIDs != fixture.typeIDs {
                mismatches.append("\(fixture.label): type ids \(encoding.typeIDs) != transformers \(fixture.typeIDs)")
            } else if encoding.isSpecial != expectedSpecial {
                mismatches.append("\(fixture.label): isSpecial \(encoding.isSpecial) != \(expectedSpecial)")
            } else if encoding.texts != fixture.texts {
                mismatches.append("\(fixture.label): texts \(encoding.texts) != transformers \(fixture.texts)")
            } else if tokenizer.decode(encoding.ids) != fixture.decoded {
                mismatches.append("\(fixture.label): decode \(tokenizer.decode(encoding.ids).debugDescription) != transformers \(fixture.decoded.debugDescription)")
            } else if encoding.isPadding != fixture.ids.indices.map({ $0 >= unpaddedCount }) {
                mismatches.append("\(fixture.label): padding flags \(encoding.isPadding)")
            }
        }
        return mismatches
    }
}
