import Foundation
import Testing

@Suite("maskscope explain and --pattern")
struct ExplainCommandTests {
    static let blogMask = "quick=1,jumps=0.5,lazy..=0"

    func json(_ arguments: [String]) throws -> [String: Any] {
        let run = try MaskscopeBinary.run(arguments + [MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(run.json, "stdout is not a JSON object: \(run.output.prefix(300))")
    }

    /// null (−∞) read back as −∞ so arrays keep their length.
    func values(_ value: Any?) -> [Double]? {
        (value as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? -.infinity }
    }

    @Test("explain's weights equal attention's row to 1e-6 for masks, semantics and patterns", arguments: [
        ["--mask", blogMask],
        ["--mask", blogMask, "--pattern", "causal"],
        ["--semantics", "soft", "--mask", "jumps=0.5", "--pattern", "global:0+window:2"],
        ["--semantics", "bias", "--mask", "quick=-3", "--pattern", "prefix:4"],
        ["--pattern", "seed"],
    ])
    func consistentWithAttention(options: [String]) throws {
        let common = ["--model", "builtin", "--format", "json"] + options
        let attention = try json(["attention"] + common + ["--layer", "1", "--head", "3"])
        let maps = try #require(JSONArrays.attention(attention["attention"]))
        for query in [0, 4, 9] {
            let explain = try json(["explain"] + common + ["--layer", "1", "--head", "3", "--query", String(query)])
            #expect(explain["query"] as? Int == query)
            #expect(explain["tokens"] as? [String] == attention["tokens"] as? [String])
            let weights = try #require(values(explain["weights"]))
            let expected = maps[0][0][query]
            #expect(weights.count == expected.count)
            for (w, e) in zip(weights, expected) { #expect(abs(w - e) <= 1e-6, "\(options) query \(query)") }
            let scores = try #require(values(explain["scores"]))
            let bias = try #require(values(explain["bias"]))
            #expect(scores.count == weights.count && bias.count == weights.count)
            for key in weights.indices where bias[key] <= -1e30 && weights.contains(where: { $0 > 0 }) {
                #expect(weights[key] == 0)
            }
        }
    }

    @Test("bias −∞ is written as null; JSON has every documented key")
    func jsonShape() throws {
        let explain = try json(["explain", "--model", "builtin", "--format", "json", "--semantics", "soft",
                                "--mask", "lazy=0", "--layer", "0", "--head", "0", "--query", "2"])
        for key in ["model", "semantics", "pattern", "layer", "head", "query", "tokens", "mask", "scores", "bias",
                    "biased", "row_max", "exp", "sum", "weights"] {
            #expect(explain[key] != nil, "missing \(key)")
        }
        let bias = try #require(explain["bias"] as? [Any])
        #expect(bias[8] is NSNull)
        #expect((bias[2] as? NSNumber)?.doubleValue == 0)
    }

    @Test("the table walks the steps with numbers")
    func table() throws {
        let run = try MaskscopeBinary.run(["explain", "--model", "builtin", "--mask", Self.blogMask, "--layer", "0",
                                           "--head", "0", "--query", "4", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        for expected in ["q·k/√d", "biased = score + bias", "exp(biased − max)", "weight = exp / sum", "jumps", "−3.4e38",
                         "The weights sum to 1.000000"] {
            #expect(run.output.contains(expected), "missing '\(expected)' in:\n\(run.output)")
        }
    }

    @Test("attention --pattern causal: every key after the query gets exactly 0")
    func attentionPattern() throws {
        let attention = try json(["attention", "--model", "builtin", "--format", "json", "--pattern", "causal"])
        let maps = try #require(JSONArrays.attention(attention["attention"]))
        for layer in maps {
            for head in layer {
                for (query, row) in head.enumerated() {
                    for key in row.indices where key > query { #expect(row[key] == 0) }
                    #expect(abs(row.reduce(0, +) - 1) < 1e-4)
                }
            }
        }
    }

    @Test("usage errors exit 64 and say what is wrong", arguments: [
        (["--pattern", "diagonal"], "unknown name 'diagonal'"),
        (["--pattern", "padding:99"], "99 is more than"),
        (["--layer", "7"], "--layer 7 is out of range"),
        (["--query", "12"], "--query 12 is out of range"),
    ])
    func usageErrors(extra: [String], message: String) throws {
        var arguments = ["explain", "--model", "builtin", "--layer", "0", "--head", "0", "--query", "1"]
        for index in stride(from: 0, to: extra.count, by: 2) {
            if let existing = arguments.firstIndex(of: extra[index]) {
                arguments[existing + 1] = extra[index + 1]
            } else {
                arguments += [extra[index], extra[index + 1]]
            }
        }
        let run = try MaskscopeBinary.run(arguments + [MaskscopeBinary.sentence])
        #expect(run.status == 64)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        let attention = try MaskscopeBinary.run(["attention", "--model", "builtin", "--pattern", "seed", "the cat sat"])
        #expect(attention.status == 64)
        #expect(attention.standardError.contains("no 'quick'"), "\(attention.standardError)")
    }
}
