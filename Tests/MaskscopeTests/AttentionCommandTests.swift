import Foundation
import Testing

@Suite("maskscope attention")
struct AttentionCommandTests {
    static let blogMask = "quick=1,jumps=0.5,lazy..=0"

    func attentionJSON(_ extra: [String], text: String = MaskscopeBinary.sentence) throws -> [String: Any] {
        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--format", "json"] + extra + [text])
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(run.json, "stdout is not a JSON object: \(run.output.prefix(200))")
    }

    @Test("JSON holds every layer and head, [layer][head][query][key], rows summing to 1")
    func shapeAndRowSums() throws {
        let json = try attentionJSON([])
        #expect(json["model"] as? String == "builtin")
        #expect(json["semantics"] as? String == "hf")
        #expect(json["layers"] as? Int == 2)
        #expect(json["heads"] as? Int == 6)
        #expect(json["layer_indices"] as? [Int] == [0, 1])
        #expect(json["head_indices"] as? [Int] == [0, 1, 2, 3, 4, 5])
        #expect(json["no_keys_queries"] as? [Int] == [])
        #expect(json["hidden"] == nil)
        let tokens = try #require(json["tokens"] as? [String])
        #expect(tokens.count == 12)
        #expect(JSONArrays.numbers(json["mask"]) == Array(repeating: 1, count: 12))
        let attention = try #require(JSONArrays.attention(json["attention"]))
        #expect(attention.count == 2)
        for layer in attention {
            #expect(layer.count == 6)
            for head in layer {
                #expect(head.count == 12)
                for row in head {
                    #expect(row.count == 12)
                    #expect(abs(row.reduce(0, +) - 1) < 1e-4)
                    #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
                }
            }
        }
    }

    @Test("--layer and --head keep only the chosen maps, identical to the full output's")
    func selection() throws {
        let full = try #require(JSONArrays.attention(try attentionJSON([])["attention"]))
        let json = try attentionJSON(["--layer", "1", "--head", "4,2"])
        #expect(json["layers"] as? Int == 2, "totals stay the model's")
        #expect(json["heads"] as? Int == 6)
        #expect(json["layer_indices"] as? [Int] == [1])
        #expect(json["head_indices"] as? [Int] == [2, 4])
        let selected = try #require(JSONArrays.attention(json["attention"]))
        #expect(selected.count == 1)
        #expect(selected.first?.count == 2)
        #expect(selected[0][0] == full[1][2])
        #expect(selected[0][1] == full[1][4])

        let range = try attentionJSON(["--head", "1..3"])
        #expect(range["head_indices"] as? [Int] == [1, 2, 3])
        #expect(JSONArrays.attention(range["attention"])?.first?.count == 3)
    }

    @Test("the blog scenario: masked keys get exactly 0, the 0.5 key is kept under hf")
    func blogScenario() throws {
        let json = try attentionJSON(["--mask", Self.blogMask])
        let tokens = try #require(json["tokens"] as? [String])
        #expect(JSONArrays.numbers(json["mask"]) == [1, 1, 1, 1, 1, 0.5, 1, 1, 0, 0, 0, 0])
        let masked = Set(8...11)
        #expect(masked.map { tokens[$0] }.sorted() == ["[SEP]", ".", "dog", "lazy"].sorted())
        let attention = try #require(JSONArrays.attention(json["attention"]))
        var jumpsTotal = 0.0
        for layer in attention {
            for head in layer {
                for row in head {
                    for key in masked { #expect(row[key] == 0) }
                    #expect(abs(row.reduce(0, +) - 1) < 1e-4)
                    jumpsTotal += row[5]
                }
            }
        }
        #expect(jumpsTotal > 0.1, "under hf a 0.5 key is kept in full")
    }

    @Test("soft masking: 0.5 lowers a key's weight; all zeros leave queries with no key, reported")
    func softSemantics() throws {
        let plain = try #require(JSONArrays.attention(try attentionJSON(["--semantics", "soft", "--layer", "1", "--head", "5"])["attention"]))
        let halved = try #require(JSONArrays.attention(try attentionJSON(["--semantics", "soft", "--mask", "jumps=0.5", "--layer", "1", "--head", "5"])["attention"]))
        #expect(halved[0][0][0][5] < plain[0][0][0][5])

        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--format", "json", "--semantics", "soft",
                                           "--mask", "0..=0", "--layer", "0", "--head", "0", "a b"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["no_keys_queries"] as? [Int] == [0, 1, 2, 3])
        let attention = try #require(JSONArrays.attention(json["attention"]))
        #expect(attention[0][0].allSatisfy { $0.allSatisfy { $0 == 0 } })
        #expect(run.standardError.hasPrefix("warning: "), "\(run.standardError)")
    }

    @Test("--hidden adds the last layer's output, [token][dim]")
    func hidden() throws {
        let json = try attentionJSON(["--hidden", "--layer", "0", "--head", "0"])
        let rows = try #require(json["hidden"] as? [Any])
        #expect(rows.count == 12)
        #expect(rows.allSatisfy { JSONArrays.numbers($0)?.count == 144 })
    }

    @Test("table: model line, labelled matrix, mask row under the key labels, exact zeros as 0")
    func table() throws {
        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--mask", Self.blogMask,
                                           "--layer", "0", "--head", "0", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "model: builtin (--model builtin)")
        let title = try #require(lines.firstIndex { $0.hasPrefix("layer 0, head 0") })
        let keys = lines[title + 1].split(separator: " ").map(String.init)
        #expect(keys == ["[CLS]", "the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".", "[SEP]"])
        #expect(lines[title + 2].split(separator: " ") == ["mask", "1", "1", "1", "1", "1", "0.5", "1", "1", "0", "0", "0", "0"])
        let firstRow = lines[title + 3].split(separator: " ").map(String.init)
        #expect(firstRow.prefix(2) == ["0", "[CLS]"])
        #expect(firstRow.suffix(4) == ["0", "0", "0", "0"])
        #expect(lines.count == title + 3 + 12)
    }

    @Test("CSV: header, one row per weight, tokens like , and \" quoted")
    func csvQuoting() throws {
        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--format", "csv", "--layer", "1", "--head", "3",
                                           "He said \"hi\", then left."])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "layer,head,query,query_token,key,key_token,weight")
        #expect(lines.last == "")
        let rows = lines.dropFirst().dropLast()
        #expect(rows.count == 11 * 11)
        #expect(rows.contains { $0.hasPrefix("1,3,3,\"\"\"\",6,\",\",") }, "quote and comma tokens are quoted")
        #expect(rows.first?.hasPrefix("1,3,0,[CLS],0,[CLS],") == true)
        var sums = [Double](repeating: 0, count: 11)
        for row in rows {
            let weight = try #require(Double(row.split(separator: ",").last.map(String.init) ?? ""))
            let query = try #require(Int(row.split(separator: ",")[2]))
            sums[query] += weight
        }
        #expect(sums.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    @Test("a bad mask SPEC is a usage error naming the part")
    func badMaskSpec() throws {
        for (spec, part) in [("quick=1,jumps=x", "jumps=x"), ("frog=0", "frog=0"), ("40=0", "40=0"), ("quick", "quick")] {
            let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--mask", spec, MaskscopeBinary.sentence])
            #expect(run.status == 64, "\(spec)")
            #expect(run.standardOutput.isEmpty)
            #expect(run.standardError.hasPrefix("Error: mask part '\(part)'"), "\(run.standardError)")
        }
    }

    @Test("a negative value under soft is a usage error")
    func negativeSoftValue() throws {
        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "--semantics", "soft", "--mask", "jumps=-1",
                                           MaskscopeBinary.sentence])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("Error: "))
        #expect(run.standardError.contains("jumps"))
    }

    @Test("--layer and --head out of range are usage errors stating the model's count")
    func badSelection() throws {
        let layer = try MaskscopeBinary.run(["attention", "--model", "builtin", "--layer", "2", MaskscopeBinary.sentence])
        #expect(layer.status == 64)
        #expect(layer.standardError.hasPrefix("Error: --layer 2: builtin has 2 layers"), "\(layer.standardError)")
        let head = try MaskscopeBinary.run(["attention", "--model", "builtin", "--head", "0,6", MaskscopeBinary.sentence])
        #expect(head.status == 64)
        #expect(head.standardError.contains("there is no head 6"))
        let garbage = try MaskscopeBinary.run(["attention", "--model", "builtin", "--head", "two", MaskscopeBinary.sentence])
        #expect(garbage.status == 64)
        #expect(garbage.standardError.hasPrefix("Error: "))
    }

    @Test("text longer than the model's positions is a usage error")
    func tooLong() throws {
        let text = Array(repeating: "word", count: 600).joined(separator: " ")
        let run = try MaskscopeBinary.run(["attention", "--model", "builtin", "-"], input: Data(text.utf8))
        #expect(run.status == 64)
        #expect(run.standardError.contains("602 tokens"), "\(run.standardError)")
    }

    @Test("the tiny BERT fixture folder loads and gives rows that sum to 1")
    func tinyBertFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tiny-bert").path
        let run = try MaskscopeBinary.run(["attention", "--model", folder, "--format", "json", "--mask", Self.blogMask,
                                           MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        #expect(json["model"] as? String == "tiny-bert")
        #expect(json["layers"] as? Int == 2)
        #expect(json["heads"] as? Int == 4)
        let attention = try #require(JSONArrays.attention(json["attention"]))
        for row in attention.joined().joined() {
            #expect(abs(row.reduce(0, +) - 1) < 1e-4)
            for key in 8...11 { #expect(row[key] == 0) }
        }
    }
}
