import Foundation
import Testing
@testable import Tokenizers

/// The hand-written split matchers must cut text exactly as Python `regex` cuts it with the
/// same patterns (regex-splits.json): contractions, digits, spaces before newlines, trailing
/// spaces, scripts without spaces, emoji sequences.
@Suite struct SplitPatternTests {
    @Test(arguments: SplitPattern.allCases)
    func piecesMatchPythonRegex(_ pattern: SplitPattern) throws {
        guard let cases = try BPEFixtures.json("regex-splits.json")[pattern.rawValue] as? [[String: Any]] else {
            throw TokenizerFixtures.FixtureError(message: "regex-splits.json: no \(pattern.rawValue) cases")
        }
        #expect(cases.count >= 50)
        var mismatches: [String] = []
        for item in cases {
            guard let text = item["text"] as? String, let pieces = item["pieces"] as? [String] else { continue }
            let ours = pattern.split(text)
            if ours != pieces { mismatches.append("\(text.debugDescription): \(ours) != regex \(pieces)") }
        }
        #expect(mismatches.isEmpty, "\(pattern): \(mismatches.joined(separator: "\n"))")
    }

    @Test func gpt2KeepsASpaceWithTheNextWordAndTrailingSpacesTogether() {
        #expect(SplitPattern.gpt2.split("a   b  ") == ["a", "  ", " b", "  "])
        #expect(SplitPattern.gpt2.split("it's 2024\n x") == ["it", "'s", " 2024", "\n", " x"])
        #expect(SplitPattern.llama3.split("12345 IT'S\n\n") == ["123", "45", " IT", "'S", "\n\n"])
        #expect(SplitPattern.qwen2.split("123") == ["1", "2", "3"])
    }

    @Test func namesMapToPatterns() {
        #expect(SplitPattern(ggufPre: "smollm") == .gpt2)
        #expect(SplitPattern(ggufPre: "gpt2") == .gpt2)
        #expect(SplitPattern(ggufPre: "llama-bpe") == .llama3)
        #expect(SplitPattern(ggufPre: "qwen2") == .qwen2)
        #expect(SplitPattern(ggufPre: "starcoder") == nil)
        #expect(SplitPattern(regex: SplitPattern.llama3.regex) == .llama3)
        #expect(SplitPattern(regex: "\\w+") == nil)
    }
}
