import Foundation
import Testing
@testable import AttentionCore

@Suite("Softmax breakdown")
struct SoftmaxBreakdownTests {
    let model = BuiltinModel.make()
    static let seed = "The quick brown fox jumps over the lazy dog."

    func check(_ explorer: Explorer) throws {
        let result = try #require(explorer.recompute())
        let maps = result.attention
        for layer in 0..<maps.layerCount {
            for head in 0..<maps.headCount {
                for query in 0..<maps.length {
                    let row = try SoftmaxBreakdown(result: result, tokens: explorer.tokens, layer: layer, head: head, query: query)
                    let expected = maps.queryRow(layer: layer, head: head, query: query)
                    for (w, e) in zip(row.weights, expected) { #expect(abs(w - e) <= 1e-6, "layer \(layer) head \(head) query \(query)") }
                    #expect(row.bias == Array(result.bias.values[query * maps.length ..< (query + 1) * maps.length]))
                    for key in 0..<maps.length { #expect(row.biased[key] == row.scores[key] + row.bias[key]) }
                    if !row.hasNoKeys {
                        #expect(row.exp.max() == 1, "the row maximum exponentiates to 1")
                        #expect(abs(row.sum - row.exp.reduce(0, +)) < 1e-6)
                    }
                }
            }
        }
    }

    @Test("weights match the forward pass to 1e-6 under every semantics and a pattern")
    func matchesAttention() throws {
        for semantics in MaskSemantics.allCases {
            var explorer = try Explorer(model: model, text: Self.seed, semantics: semantics)
            try explorer.apply(try MaskSpec(parsing: semantics == .bias ? "quick=-2,lazy..=-30" : "jumps=0.5,lazy..=0"))
            try check(explorer)
            try explorer.setPattern(try MaskPattern(parsing: "global:0+window:2"))
            try check(explorer)
        }
    }

    @Test("a soft row with every key at 0 has −∞ biases and zero weights")
    func noKeys() throws {
        var explorer = try Explorer(model: model, text: "the cat sat", semantics: .soft)
        try explorer.setMask([0, 0, 0, 0, 0])
        let result = try #require(explorer.recompute())
        let row = try SoftmaxBreakdown(result: result, tokens: explorer.tokens, layer: 1, head: 2, query: 1)
        #expect(row.hasNoKeys)
        #expect(row.bias.allSatisfy { $0 == -.infinity })
        #expect(row.weights.allSatisfy { $0 == 0 })
        #expect(row.sum == 0)
    }

    @Test("masked keys under hf: bias float32 lowest, exp exactly 0")
    func hfMaskedKeys() throws {
        var explorer = try Explorer(model: model, text: Self.seed)
        try explorer.setPattern(.causal)
        let result = try #require(explorer.recompute())
        let row = try SoftmaxBreakdown(result: result, tokens: explorer.tokens, layer: 0, head: 0, query: 3)
        for key in 4..<explorer.tokens.count {
            #expect(row.bias[key] == -Float.greatestFiniteMagnitude)
            #expect(row.exp[key] == 0)
            #expect(row.weights[key] == 0)
        }
        #expect(row.bias[0...3].allSatisfy { $0 == 0 })
    }

    @Test("out-of-range rows are errors that say the range")
    func outOfRange() throws {
        let explorer = try Explorer(model: model, text: "the cat sat")
        let result = try #require(explorer.recompute())
        #expect(throws: SoftmaxBreakdownError.outOfRange(what: "head", index: 6, count: 6)) {
            try SoftmaxBreakdown(result: result, tokens: explorer.tokens, layer: 0, head: 6, query: 0)
        }
        #expect(throws: SoftmaxBreakdownError.outOfRange(what: "query", index: -1, count: 5)) {
            try SoftmaxBreakdown(result: result, tokens: explorer.tokens, layer: 0, head: 0, query: -1)
        }
    }
}
