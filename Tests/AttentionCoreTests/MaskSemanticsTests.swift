import Testing
@testable import AttentionCore

@Suite struct MaskSemanticsTests {
    let model = BuiltinModel.make()
    let seed = "The quick brown fox jumps over the lazy dog."

    func weights(_ mask: [Float], _ semantics: MaskSemantics) throws -> AttentionMaps {
        var explorer = try Explorer(model: model, text: seed, semantics: semantics)
        try explorer.setMask(mask)
        return try #require(explorer.recompute()).attention
    }

    @Test func biasValuesFollowEachImplementation() {
        #expect(MaskSemantics.hf.bias(for: 1) == 0)
        #expect(MaskSemantics.hf.bias(for: 0.5) == 0)
        #expect(MaskSemantics.hf.bias(for: 0) == -Float.greatestFiniteMagnitude)
        #expect(MaskSemantics.hf4.bias(for: 0) == -Float.greatestFiniteMagnitude)
        #expect(MaskSemantics.hf4.bias(for: 0.5) == -Float.greatestFiniteMagnitude / 2)
        #expect(MaskSemantics.hf4.bias(for: 1) == 0)
        #expect(MaskSemantics.soft.bias(for: 0) == -Float.infinity)
        #expect(abs(MaskSemantics.soft.bias(for: 0.5) - (-0.6931472)) < 1e-6)
        #expect(MaskSemantics.bias.bias(for: -2) == -2)
    }

    @Test func halfIsOneUnderHFAndZeroUnderHF4() throws {
        let count = try Explorer(model: model, text: seed).tokens.count
        var half = [Float](repeating: 1, count: count); half[5] = 0.5
        var zero = half; zero[5] = 0
        var one = half; one[5] = 1
        #expect(try weights(half, .hf) == weights(one, .hf))
        #expect(try weights(half, .hf4) == weights(zero, .hf4))
        #expect(try weights(half, .hf) != weights(zero, .hf))
    }

    @Test func softHalvesAKeyBeforeRenormalising() throws {
        let count = try Explorer(model: model, text: seed).tokens.count
        let full = try weights([Float](repeating: 1, count: count), .soft)
        var halfMask = [Float](repeating: 1, count: count); halfMask[3] = 0.5
        let half = try weights(halfMask, .soft)
        // In the first layer the logits do not depend on the mask, so the ratio of key 3's
        // weight to any other key's weight is exactly halved.
        for head in 0..<model.info.headCount {
            for query in 0..<count {
                let before = full.weight(layer: 0, head: head, query: query, key: 3) / full.weight(layer: 0, head: head, query: query, key: 1)
                let after = half.weight(layer: 0, head: head, query: query, key: 3) / half.weight(layer: 0, head: head, query: query, key: 1)
                guard before.isFinite, before > 1e-20 else { continue }
                #expect(abs(after / before - 0.5) < 1e-3, "head \(head) query \(query)")
            }
        }
    }

    @Test func maskedKeyColumnIsExactlyZeroAndKeepsItsOwnRow() throws {
        let count = try Explorer(model: model, text: seed).tokens.count
        var mask = [Float](repeating: 1, count: count); mask[4] = 0
        for semantics in [MaskSemantics.hf, .hf4, .soft] {
            let maps = try weights(mask, semantics)
            for layer in 0..<maps.layerCount {
                for head in 0..<maps.headCount {
                    for query in 0..<count { #expect(maps.weight(layer: layer, head: head, query: query, key: 4) == 0) }
                    let ownRow = maps.queryRow(layer: layer, head: head, query: 4)
                    #expect(abs(ownRow.reduce(0, +) - 1) < 1e-5)
                }
            }
        }
    }

    @Test func fullyMaskedRowsAreUniformUnderHFAndZeroUnderSoft() throws {
        let count = try Explorer(model: model, text: seed).tokens.count
        let none = [Float](repeating: 0, count: count)
        for semantics in [MaskSemantics.hf, .hf4] {
            let maps = try weights(none, semantics)
            #expect(!maps.weights.contains { $0.isNaN })
            let row = maps.queryRow(layer: 1, head: 0, query: 2)
            for w in row { #expect(abs(w - 1 / Float(count)) < 1e-6) }
        }
        var explorer = try Explorer(model: model, text: seed, semantics: .soft)
        try explorer.setMask(none)
        let result = try #require(explorer.recompute())
        #expect(!result.attention.weights.contains { $0.isNaN })
        #expect(result.attention.weights.allSatisfy { $0 == 0 })
        #expect(result.queriesWithNoKeys == Array(0..<count))
    }

    @Test func softRejectsNegativeValues() throws {
        var explorer = try Explorer(model: model, text: seed, semantics: .soft)
        #expect(throws: ExplorerError.self) { try explorer.setMask(at: 2, to: -1) }
        explorer.semantics = .bias
        try explorer.setMask(at: 2, to: -1)
        #expect(explorer.mask[2] == -1)
    }

    @Test func effectDescribesWhatAValueDoes() {
        #expect(MaskSemantics.hf.effect(of: 0.5).contains("same as 1"))
        #expect(MaskSemantics.hf4.effect(of: 0.5).contains("same as 0"))
        #expect(MaskSemantics.soft.effect(of: 0.5).contains("×0.5"))
    }
}
