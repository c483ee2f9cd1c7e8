import Foundation
import Testing

@Suite("maskscope tokens")
struct TokensCommandTests {
    static let seedTokens = ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".", "[SEP]"]

    @Test("JSON for the seed sentence: tokens, ids, type ids, model name")
    func seedSentenceJSON() throws {
        let run = try MaskscopeBinary.run(["tokens", "--model", "builtin", "--format", "json", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty, "an explicit --model should not be reported on stderr")
        let json = try #require(run.json)
        #expect(json["model"] as? String == "builtin")
        #expect(json["tokens"] as? [String] == Self.seedTokens)
        let ids = try #require(json["ids"] as? [Int])
        #expect(ids.count == Self.seedTokens.count)
        #expect(ids.first == 101 && ids.last == 102)
        #expect(ids[1] == ids[7], "both 'the' tokens share an id")
        #expect(Set(ids).count == Self.seedTokens.count - 1)
        #expect(json["type_ids"] as? [Int] == Array(repeating: 0, count: Self.seedTokens.count))
        #expect(JSONArrays.numbers(json["mask"]) == Array(repeating: 1, count: Self.seedTokens.count))
    }

    @Test("a pair gets type id 1 and padding gets mask 0")
    func pairAndPadding() throws {
        let run = try MaskscopeBinary.run(["tokens", "--model", "builtin", "--format", "json",
                                           "--pair", "It slept.", "--pad-to", "12", "A dog ran."])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["tokens"] as? [String] == ["[CLS]", "a", "dog", "ran", ".", "[SEP]", "it", "slept", ".", "[SEP]", "[PAD]", "[PAD]"])
        #expect(json["type_ids"] as? [Int] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0])
        #expect(JSONArrays.numbers(json["mask"]) == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
    }

    @Test("the table names the model first, then one row per position")
    func table() throws {
        let run = try MaskscopeBinary.run(["tokens", "--model", "builtin", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "model: builtin (--model builtin)")
        #expect(lines.dropFirst().first?.split(separator: " ") == ["pos", "token", "id", "type", "mask"])
        let rows = lines.dropFirst(2).filter { !$0.isEmpty }
        #expect(rows.count == Self.seedTokens.count)
        #expect(rows.first?.split(separator: " ") == ["0", "[CLS]", "101", "0", "1"])
        #expect(rows.last?.split(separator: " ") == ["11", "[SEP]", "102", "0", "1"])
    }

    @Test("TEXT '-' reads standard input and drops one trailing newline")
    func standardInput() throws {
        let fromArgument = try MaskscopeBinary.run(["tokens", "--model", "builtin", "--format", "json", "Naïve café, ok?"])
        let fromInput = try MaskscopeBinary.run(["tokens", "--model", "builtin", "--format", "json", "-"],
                                                input: Data("Naïve café, ok?\n".utf8))
        #expect(fromInput.status == 0, "\(fromInput.standardError)")
        #expect(fromInput.standardOutput == fromArgument.standardOutput)
        #expect(fromInput.output.contains("café"), "non-ASCII stays UTF-8 in JSON, not \\u escapes")
    }

    @Test("invalid UTF-8 on standard input is an error naming the byte offset")
    func invalidUTF8() throws {
        let run = try MaskscopeBinary.run(["tokens", "--model", "builtin", "-"], input: Data([0x61, 0x62, 0xC3, 0x28, 0x0A]))
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.hasPrefix("Error: "))
        #expect(run.standardError.contains("byte 2"), "\(run.standardError)")
    }

    @Test("empty text is a usage error")
    func emptyText() throws {
        for input in ["", "   \t "] {
            let run = try MaskscopeBinary.run(["tokens", "--model", "builtin", input])
            #expect(run.status == 64)
            #expect(run.standardError.hasPrefix("Error: "), "\(run.standardError)")
            #expect(run.standardError.contains("empty"))
        }
        let fromInput = try MaskscopeBinary.run(["tokens", "--model", "builtin", "-"], input: Data("\n".utf8))
        #expect(fromInput.status == 64)
    }

    @Test("a model folder that does not exist is an error saying where it looked")
    func missingModelFolder() throws {
        let path = "/nonexistent/maskscope-test-model"
        let run = try MaskscopeBinary.run(["tokens", "--model", path, MaskscopeBinary.sentence])
        #expect(run.status == 1)
        #expect(run.standardError.hasPrefix("Error: "))
        #expect(run.standardError.contains(path), "\(run.standardError)")
    }

    @Test("an unknown hub id lists the cache folders searched")
    func unknownHubID() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-empty-hub").path
        let run = try MaskscopeBinary.run(["tokens", "--model", "nobody/no-such-model", MaskscopeBinary.sentence],
                                          environment: ["HF_HUB_CACHE": cache])
        #expect(run.status == 1)
        #expect(run.standardError.contains("\(cache)/models--nobody--no-such-model"), "\(run.standardError)")
    }

    @Test("MASKSCOPE_MODEL picks the model and the table says so")
    func modelFromEnvironment() throws {
        let run = try MaskscopeBinary.run(["tokens", "a b"], environment: ["MASKSCOPE_MODEL": "builtin"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.output.hasPrefix("model: builtin (MASKSCOPE_MODEL=builtin)\n"))
    }
}
