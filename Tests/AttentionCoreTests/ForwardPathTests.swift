import Foundation
import Testing
@testable import AttentionCore

/// The recompute path: thread counts, overlapping passes, workspace reuse, stopping, and the
/// projections kept for raw scores. Speed is `maskscope bench`'s job; nothing here is timed.
@Suite struct ForwardPathTests {
    static let sentence = "The quick brown fox jumps over the lazy dog."
    /// 35 tokens: within tiny-bert's 40 positions.
    static let mediumText = String(repeating: "one two three four five six seven eight nine ten, ", count: 3)
    /// 101 tokens.
    static let longText = String(repeating: "one two three four five six seven eight nine ten, ", count: 9)

    static func tinyBERT() throws -> EncoderModel {
        try BertModel.load(folder: Fixtures.url("tiny-bert"), name: "tiny-bert")
    }

    /// A mask with some keys at 0 and one at 0.5, so every pass has real masking to do.
    static func mask(length: Int) -> [Float] {
        (0..<length).map { position in position % 5 == 3 ? 0 : (position % 7 == 2 ? 0.5 : 1) }
    }

    static func largestDifference(_ a: ForwardResult, _ b: ForwardResult) -> Float {
        var worst: Float = 0
        for (x, y) in zip(a.attention.weights, b.attention.weights) { worst = max(worst, abs(x - y)) }
        for (x, y) in zip(a.hidden?.values ?? [], b.hidden?.values ?? []) { worst = max(worst, abs(x - y)) }
        return worst
    }

    func compareThreadCounts(model: EncoderModel, text: String, semantics: MaskSemantics) throws {
        let prepared = try model.prepare(try model.encode(text))
        let bias = AttentionBias(keyMask: Self.mask(length: prepared.encoding.count), semantics: semantics)
        let one = try #require(model.forward(prepared, bias: bias, threads: 1))
        for threads in [2, 3] {
            let many = try #require(model.forward(prepared, bias: bias, threads: threads))
            #expect(many.attention.weights.count == one.attention.weights.count)
            #expect(Self.largestDifference(one, many) <= 1e-6, "\(model.info.name), \(threads) threads")
        }
    }

    @Test(arguments: [sentence, mediumText])
    func tinyBERTGivesTheSameResultOnOneAndSeveralThreads(text: String) throws {
        try compareThreadCounts(model: try Self.tinyBERT(), text: text, semantics: .hf)
        try compareThreadCounts(model: try Self.tinyBERT(), text: text, semantics: .soft)
    }

    @Test(arguments: [sentence, longText])
    func builtinGivesTheSameResultOnOneAndSeveralThreads(text: String) throws {
        try compareThreadCounts(model: BuiltinModel.make(), text: text, semantics: .hf)
    }

    /// Long enough that every matrix product is split across threads, not just the heads.
    @Test(.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func miniLMGivesTheSameResultOnOneAndTwoThreads() throws {
        let model = try BertModel.load(folder: try MiniLM.requireFolder(), name: "all-MiniLM-L6-v2")
        try compareThreadCounts(model: model, text: Self.longText, semantics: .hf)
    }

    @Test func overlappingForwardsOnTwoThreadsBothMatchSequentialOnes() throws {
        let model = try Self.tinyBERT()
        let short = try model.prepare(try model.encode(Self.sentence))
        let long = try model.prepare(try model.encode(Self.mediumText))
        let jobs: [(PreparedInput, AttentionBias)] = [
            (short, AttentionBias(keyMask: Self.mask(length: short.encoding.count), semantics: .hf)),
            (long, AttentionBias(keyMask: Self.mask(length: long.encoding.count), semantics: .soft)),
        ]
        let expected = try jobs.map { try #require(model.forward($0.0, bias: $0.1, threads: 1)) }
        let rounds = 20
        let results = ResultBox(count: jobs.count * rounds)
        DispatchQueue.concurrentPerform(iterations: jobs.count * rounds) { index in
            let (input, bias) = jobs[index % jobs.count]
            results.set(index, model.forward(input, bias: bias, threads: 2))
        }
        for index in 0..<(jobs.count * rounds) {
            let result = try #require(results.get(index), "pass \(index) returned nil")
            #expect(result.attention == expected[index % jobs.count].attention, "pass \(index)")
            #expect(result.hidden == expected[index % jobs.count].hidden, "pass \(index)")
        }
    }

    @Test func aReusedWorkspaceGivesWhatAFreshModelGives() throws {
        let model = try Self.tinyBERT()
        let short = try model.prepare(try model.encode(Self.sentence))
        let long = try model.prepare(try model.encode(Self.mediumText))
        let shortBias = AttentionBias(keyMask: Self.mask(length: short.encoding.count), semantics: .hf)
        let longBias = AttentionBias(keyMask: Self.mask(length: long.encoding.count), semantics: .hf)
        _ = model.forward(long, bias: longBias)
        let shortAfterLong = try #require(model.forward(short, bias: shortBias))
        let fresh = try Self.tinyBERT()
        let shortFresh = try #require(fresh.forward(try fresh.prepare(short.encoding), bias: shortBias))
        #expect(shortAfterLong.attention == shortFresh.attention)
        #expect(shortAfterLong.hidden == shortFresh.hidden)
    }

    @Test func shouldContinueReturningFalseStopsThePass() throws {
        let model = try Self.tinyBERT()
        let prepared = try model.prepare(try model.encode(Self.sentence))
        let bias = AttentionBias(keyMask: prepared.encoding.defaultMask, semantics: .hf)
        var asked = 0
        let stopped = model.forward(prepared, bias: bias) {
            asked += 1
            return asked < 2
        }
        #expect(stopped == nil)
        #expect(asked == 2, "asked before each layer, and not again once told to stop")
        #expect(model.forward(prepared, bias: bias) { false } == nil)
        #expect(model.forward(prepared, bias: bias) != nil, "a stopped pass leaves the model usable")
    }

    /// `rawScores` reads the kept query/key projections: softmax of those scores plus the bias
    /// must give back the attention row, in every layer (layer 0's come from `PreparedInput`).
    @Test func rawScoresPlusBiasGiveTheAttentionRow() throws {
        let model = try Self.tinyBERT()
        var explorer = try Explorer(model: model, text: Self.sentence, semantics: .soft)
        try explorer.setMask(Self.mask(length: explorer.tokens.count))
        let result = try #require(explorer.recompute())
        let length = explorer.tokens.count
        for layer in 0..<result.attention.layerCount {
            for head in [0, result.attention.headCount - 1] {
                for query in [0, length / 2, length - 1] {
                    let raw = result.rawScores(layer: layer, head: head, query: query)
                    #expect(raw.count == length)
                    let biased = raw.enumerated().map { Double($0.element) + Double(result.bias.values[query * length + $0.offset]) }
                    let top = biased.max() ?? 0
                    let exponentials = biased.map { Foundation.exp($0 - top) }
                    let sum = exponentials.reduce(0, +)
                    let row = result.attention.queryRow(layer: layer, head: head, query: query)
                    for key in 0..<length {
                        #expect(abs(Double(row[key]) - exponentials[key] / sum) < 1e-5, "[\(layer)][\(head)][\(query)][\(key)]")
                    }
                }
            }
        }
    }

    /// Every layer's maps and raw scores from an attention-only pass, bit for bit against a
    /// pass that also computes the hidden state; on one and two threads.
    func expectAttentionOnlyMatchesFull(model: EncoderModel, text: String) throws {
        let prepared = try model.prepare(try model.encode(text))
        let length = prepared.encoding.count
        for semantics in [MaskSemantics.hf, .soft] {
            let bias = AttentionBias(keyMask: Self.mask(length: length), semantics: semantics)
            for threads in [1, 2] {
                let full = try #require(model.forward(prepared, bias: bias, threads: threads, needs: .attentionAndHidden))
                let attentionOnly = try #require(model.forward(prepared, bias: bias, threads: threads, needs: .attention))
                #expect(full.hidden != nil)
                #expect(attentionOnly.hidden == nil)
                #expect(attentionOnly.isComplete && full.isComplete)
                #expect(attentionOnly.attention == full.attention, "\(model.info.name), \(semantics), \(threads) threads")
                for layer in 0..<full.attention.layerCount {
                    for query in [0, length - 1] {
                        let head = full.attention.headCount - 1
                        #expect(attentionOnly.rawScores(layer: layer, head: head, query: query)
                                == full.rawScores(layer: layer, head: head, query: query), "raw scores, layer \(layer)")
                    }
                }
            }
        }
    }

    @Test(arguments: [sentence, mediumText])
    func tinyBERTAttentionOnlyIsBitIdentical(text: String) throws {
        try expectAttentionOnlyMatchesFull(model: try Self.tinyBERT(), text: text)
    }

    @Test func builtinAttentionOnlyIsBitIdentical() throws {
        try expectAttentionOnlyMatchesFull(model: BuiltinModel.make(), text: Self.longText)
    }

    @Test(.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func miniLMAttentionOnlyIsBitIdentical() throws {
        let model = try BertModel.load(folder: try MiniLM.requireFolder(), name: "all-MiniLM-L6-v2")
        try expectAttentionOnlyMatchesFull(model: model, text: Self.longText)
    }

    /// The early result: layers up to the shown one from this pass (equal to the full
    /// result's), deeper ones the previous result's, published once, before the full result.
    func expectEarlyLayers(model: EncoderModel, text: String) throws {
        let prepared = try model.prepare(try model.encode(text))
        let length = prepared.encoding.count
        let layerCount = model.info.layerCount
        let previous = try #require(model.forward(
            prepared, bias: AttentionBias(keyMask: prepared.encoding.defaultMask, semantics: .hf), needs: .attention))
        let bias = AttentionBias(keyMask: Self.mask(length: length), semantics: .hf)
        let perLayer = model.info.headCount * length * length
        for shown in 0..<(layerCount - 1) {
            var published: [ForwardResult] = []
            let full = try #require(model.forward(
                prepared, bias: bias, needs: .attention,
                earlyLayers: EarlyLayers(throughLayer: shown, previous: previous) { published.append($0) }))
            try #require(published.count == 1, "layer \(shown): one early result")
            let early = published[0]
            #expect(early.completedLayers == shown + 1)
            #expect(!early.isComplete)
            #expect(full.isComplete)
            #expect(early.hidden == nil)
            #expect(early.attention.layerCount == layerCount)
            let split = (shown + 1) * perLayer
            #expect(Array(early.attention.weights[..<split]) == Array(full.attention.weights[..<split]), "new layers")
            #expect(Array(early.attention.weights[split...]) == Array(previous.attention.weights[split...]), "old layers")
            for layer in 0..<layerCount {
                let source = layer <= shown ? full : previous
                #expect(early.rawScores(layer: layer, head: 0, query: length - 1)
                        == source.rawScores(layer: layer, head: 0, query: length - 1), "raw scores, layer \(layer)")
            }
        }
        var publishedCount = 0
        let count = { (_: ForwardResult) in publishedCount += 1 }
        _ = model.forward(prepared, bias: bias, needs: .attention,
                          earlyLayers: EarlyLayers(throughLayer: layerCount - 1, previous: previous, publish: count))
        _ = model.forward(prepared, bias: bias, needs: .attention,
                          earlyLayers: EarlyLayers(throughLayer: 0, previous: nil, publish: count))
        let other = try model.prepare(try model.encode(Self.sentence + " And more words."))
        _ = model.forward(other, bias: AttentionBias(keyMask: other.encoding.defaultMask, semantics: .hf), needs: .attention,
                          earlyLayers: EarlyLayers(throughLayer: 0, previous: previous, publish: count))
        #expect(publishedCount == 0, "nothing early for the last layer, without a previous result, or one of another length")
        _ = model.forward(prepared, bias: bias, needs: .attention,
                          earlyLayers: EarlyLayers(throughLayer: 0, previous: previous, publish: count)) { false }
        #expect(publishedCount == 0, "a pass stopped before its first layer publishes nothing")
    }

    @Test func tinyBERTPublishesTheShownLayerEarly() throws {
        try expectEarlyLayers(model: try Self.tinyBERT(), text: Self.mediumText)
    }

    @Test func builtinPublishesTheShownLayerEarly() throws {
        let model = BuiltinModel.make()
        try #require(model.info.layerCount >= 2)
        try expectEarlyLayers(model: model, text: Self.longText)
    }

    @Test(.enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func miniLMPublishesTheShownLayerEarly() throws {
        try expectEarlyLayers(model: try BertModel.load(folder: try MiniLM.requireFolder(), name: "all-MiniLM-L6-v2"), text: Self.longText)
    }

    @Test func attentionOnlyFLOPsLeaveOutTheLastLayersRest() throws {
        let model = try Self.tinyBERT()
        for length in [1, 7, 40] {
            let l = Double(length)
            let full = 2 * (8 * l * 32 * 32 + 4 * l * 32 * 64 + 4 * l * l * 32)
            let last = 2 * (2 * l * 32 * 32 + l * l * 32)
            #expect(model.forwardFLOPs(length: length, needs: .attention) == full / 2 + last)
        }
    }

    @Test func flopCountMatchesTheMiniLMFormulaShape() throws {
        let model = try Self.tinyBERT()
        // tiny-bert: 2 layers, hidden 32, intermediate 64: per layer 8·L·H² + 4·L·H·I + 4·L²·H.
        for length in [1, 7, 40] {
            let l = Double(length)
            let expected = 2 * (8 * l * 32 * 32 + 4 * l * 32 * 64 + 4 * l * l * 32)
            #expect(model.forwardFLOPs(length: length) == expected)
        }
    }
}

/// Results written from concurrent passes, one slot each.
private final class ResultBox: @unchecked Sendable {
    // Sendable: every access holds `lock`.
    private let lock = NSLock()
    private var slots: [ForwardResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: ForwardResult?) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
    }

    func get(_ index: Int) -> ForwardResult? {
        lock.lock(); defer { lock.unlock() }
        return slots[index]
    }
}
