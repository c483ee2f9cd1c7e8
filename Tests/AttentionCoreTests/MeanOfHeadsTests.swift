import Testing
@testable import AttentionCore

/// `AttentionMaps.meanWeights` (the "mean of heads" view) sums each cell's heads in order,
/// `Σ_h w_h · (1/H)`, so it equals that sum to the bit.
@Suite struct MeanOfHeadsTests {
    @Test func theMeanSumsEachCellsHeadsInOrder() throws {
        let model = try PrefixReuseTests.decoder("tiny-qwen2")
        let explorer = try Explorer(model: model, text: "one two three four five six seven")
        let maps = try #require(explorer.recompute(needs: .attention)).attention
        let share = 1 / Float(maps.headCount)
        for layer in 0..<maps.layerCount {
            let mean = maps.meanWeights(layer: layer)
            #expect(mean.count == maps.length && mean.allSatisfy { $0.count == maps.length })
            for q in 0..<maps.length {
                for k in 0..<maps.length {
                    var want: Float = 0
                    for head in 0..<maps.headCount { want += maps.weight(layer: layer, head: head, query: q, key: k) * share }
                    #expect(mean[q][k] == want, "layer \(layer) [\(q)][\(k)]")
                }
            }
        }
    }
}
