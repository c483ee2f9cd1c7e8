import Foundation
import Testing
@testable import AttentionCore
import Tokenizers

@Suite("Mask patterns")
struct MaskPatternTests {
    static let seed = "The quick brown fox jumps over the lazy dog."
    static let packed = "the cat sat [SEP] a dog ran"

    let model = BuiltinModel.make()
    /// The built-in tokenizer's separator role, `[SEP]`.
    static let separator = BuiltinTokenizer().documentSeparator

    /// Closed cells (pattern value 0) of a pattern on an encoding, as (query, key) pairs.
    func closedCells(_ pattern: MaskPattern, _ encoding: Encoding) throws -> Set<[Int]> {
        let values = try pattern.values(for: encoding, documentSeparator: Self.separator)
        let length = encoding.count
        var closed = Set<[Int]>()
        for q in 0..<length { for k in 0..<length where values[q * length + k] == 0 { closed.insert([q, k]) } }
        return closed
    }

    @Test("each pattern closes exactly the cells its rule says", arguments: [
        "padding:3", "causal", "prefix:4", "window:2", "block", "block:3,7", "global:0,5+window:1", "global:2", "seed",
    ])
    func cellsFollowTheRule(syntax: String) throws {
        let pattern = try MaskPattern(parsing: syntax)
        let text = syntax.hasPrefix("block") ? Self.packed : Self.seed
        let encoding = try model.encode(text)
        let length = encoding.count
        let values = try pattern.values(for: encoding, documentSeparator: Self.separator)
        #expect(values.count == length * length)
        let sep = encoding.tokens.indices.filter { encoding.tokens[$0] == "[SEP]" }
        func blockDocument(_ i: Int) -> Int { sep.filter { $0 < i }.count }
        for q in 0..<length {
            for k in 0..<length {
                let expected: Float
                switch syntax {
                case "padding:3": expected = k < length - 3 ? 1 : 0
                case "causal": expected = k <= q ? 1 : 0
                case "prefix:4": expected = (k < 4 || k <= q) ? 1 : 0
                case "window:2": expected = abs(q - k) <= 2 ? 1 : 0
                case "block": expected = blockDocument(q) == blockDocument(k) ? 1 : 0
                case "block:3,7": expected = [3, 7].filter { $0 <= q }.count == [3, 7].filter { $0 <= k }.count ? 1 : 0
                case "global:0,5+window:1": expected = ([0, 5].contains(q) || [0, 5].contains(k) || abs(q - k) <= 1) ? 1 : 0
                case "global:2": expected = 1
                default:
                    let token = encoding.tokens[k]
                    expected = token == "jumps" ? 0.5 : (k >= (encoding.tokens.firstIndex(of: "lazy") ?? length) ? 0 : 1)
                }
                #expect(values[q * length + k] == expected, "\(syntax): cell \(q)→\(k)")
            }
        }
    }

    @Test("block splits after each [SEP]: the [SEP] ends its document")
    func blockDocuments() throws {
        let encoding = try model.encode(Self.packed)
        let firstSep = try #require(encoding.tokens.firstIndex(of: "[SEP]"))
        let closed = try closedCells(.block(starts: nil), encoding)
        #expect(!closed.contains([0, firstSep]), "[CLS] and the first [SEP] share a document")
        #expect(closed.contains([firstSep, firstSep + 1]))
        #expect(closed.contains([firstSep + 1, 0]))
    }

    @Test("every pattern's closed cells get weight exactly 0 in every layer and head under hf")
    func zerosInEveryHead() throws {
        try checkZeros(model: model)
    }

    @Test("the same on MiniLM (6 layers × 12 heads)", .enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func zerosInEveryHeadMiniLM() throws {
        let folder = try MiniLM.requireFolder()
        try checkZeros(model: try BertModel.load(folder: folder, name: "all-MiniLM-L6-v2"))
    }

    func checkZeros(model: EncoderModel) throws {
        for entry in MaskPattern.catalog + [.init(name: "block", example: "block:4", syntax: "", summary: "")] {
            let text = entry.name == "block" ? Self.packed : Self.seed
            var explorer = try Explorer(model: model, text: text)
            try explorer.setPattern(try MaskPattern(parsing: entry.example))
            let closed = try closedCells(explorer.pattern, explorer.encoding)
            let result = try #require(explorer.recompute())
            let maps = result.attention
            let length = maps.length
            for layer in 0..<maps.layerCount {
                for head in 0..<maps.headCount {
                    for query in 0..<length {
                        let row = maps.queryRow(layer: layer, head: head, query: query)
                        let rowClosed = (0..<length).filter { closed.contains([query, $0]) }
                        if rowClosed.count == length {
                            for w in row { #expect(abs(w - 1 / Float(length)) < 1e-6, "whole row masked: uniform") }
                            continue
                        }
                        for key in rowClosed { #expect(row[key] == 0, "\(entry.example): layer \(layer) head \(head) \(query)→\(key)") }
                        #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                    }
                }
            }
        }
    }

    @Test("combine rule: cell = pattern × key value; overrides replace; bias semantics closes with float32 lowest")
    func combineRule() throws {
        let pattern: [Float] = [1, 0, 0.5, 1]
        let keyMask: [Float] = [0.5, 2]
        #expect(MaskPattern.combine(pattern: pattern, keyMask: keyMask, semantics: .soft) == [0.5, 0, 0.25, 2])
        #expect(MaskPattern.combine(pattern: pattern, keyMask: keyMask, semantics: .soft, overrides: [1: 3, 2: 0]) == [0.5, 3, 0, 2])
        let biasCells = MaskPattern.combine(pattern: pattern, keyMask: [-2, 1], semantics: .bias)
        #expect(biasCells == [-2, -Float.greatestFiniteMagnitude, -1, 1])

        var explorer = try Explorer(model: model, text: Self.seed, semantics: .soft)
        try explorer.setMask(at: 3, to: 0.5)
        try explorer.setPattern(.causal)
        let length = explorer.tokens.count
        let cells = explorer.cellMask
        #expect(cells[5 * length + 3] == 0.5, "open pattern cell keeps the key's value")
        #expect(cells[2 * length + 3] == 0, "closed pattern cell")
        #expect(explorer.bias.values[5 * length + 3] == log(Float(0.5)))
        try explorer.setCell(query: 2, key: 3, value: 1)
        #expect(explorer.cellMask[2 * length + 3] == 1)
        #expect(explorer.bias.values[2 * length + 3] == 0)
        explorer.clearCells()
        #expect(explorer.cellOverrides.isEmpty)
        #expect(explorer.cellMask[2 * length + 3] == 0)
    }

    @Test("no pattern and no overrides give the per-token bias as before")
    func noneKeepsKeyBias() throws {
        var explorer = try Explorer(model: model, text: Self.seed)
        try explorer.apply(try MaskSpec(parsing: "quick=1,jumps=0.5,lazy..=0"))
        let keyBias = AttentionBias(keyMask: explorer.mask, semantics: .hf)
        #expect(explorer.bias == keyBias)
        #expect(AttentionBias(cellMask: explorer.cellMask, length: explorer.tokens.count, semantics: .hf) == keyBias)
        try explorer.setPattern(.seed)
        try explorer.setMask(Array(repeating: 1, count: explorer.tokens.count))
        #expect(explorer.bias == keyBias, "seed pattern on an all-ones mask is the blog mask")
    }

    @Test("description round-trips through parsing", arguments: [
        "none", "padding:3", "causal", "prefix:4", "window:0", "block", "block:2,6", "global:0,5", "global:0,5+window:2",
        "global:1+global:3+causal", "seed",
    ])
    func roundTrip(syntax: String) throws {
        let pattern = try MaskPattern(parsing: syntax)
        #expect(pattern.description == syntax)
        #expect(try MaskPattern(parsing: pattern.description) == pattern)
        #expect(!pattern.summary.isEmpty)
        #expect(syntax.hasPrefix(pattern.name))
    }

    @Test("catalog examples parse, cover every kind once, and say what they are")
    func catalog() throws {
        #expect(MaskPattern.catalog.map(\.name) == ["none", "padding", "causal", "prefix", "window", "block", "global", "seed"])
        for entry in MaskPattern.catalog {
            #expect(try MaskPattern(parsing: entry.example).name == entry.name)
            #expect(!entry.summary.isEmpty)
        }
        #expect(try MaskPattern(parsing: " Window : 3 ") == .window(radius: 3))
    }

    @Test("block's summary names the tokenizer's own separator, never BERT's on a decoder")
    func blockSummaryNamesTheSeparator() {
        let decoder = MaskPattern.block(starts: nil).summary(documentSeparator: "<|endoftext|>")
        #expect(decoder.contains("<|endoftext|>") && !decoder.contains("[SEP]"))
        let entry = MaskPattern.catalog(documentSeparator: "</s>").first { $0.name == "block" }
        #expect(entry?.summary.contains("</s>") == true && entry?.summary.contains("[SEP]") == false)
        #expect(MaskPattern.block(starts: nil).summary(documentSeparator: "[SEP]").contains("each [SEP]"))
    }

    @Test("parse errors name the bad part", arguments: [
        ("", "empty"), ("diagonal", "'diagonal'"), ("window", "window:W"), ("window:x", "'x'"), ("padding:-1", "-1"),
        ("causal:2", "':2'"), ("block:1,,3", "empty position"), ("global:", "global:P1"), ("global:0+", "after '+'"),
        ("global:0+bogus", "'bogus'"), ("prefix:2.5", "'2.5'"),
    ])
    func parseErrors(syntax: String, expected: String) {
        do {
            _ = try MaskPattern(parsing: syntax)
            Issue.record("'\(syntax)' parsed")
        } catch let error as MaskPatternError {
            #expect(error.description.contains(expected), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("patterns that do not fit the text say why")
    func fitErrors() throws {
        let encoding = try model.encode("the cat sat")
        #expect(throws: MaskPatternError.countTooLarge(pattern: "padding:9", count: 9, length: 5)) {
            try MaskPattern.padding(count: 9).values(for: encoding, documentSeparator: Self.separator)
        }
        #expect(throws: MaskPatternError.positionOutOfRange(pattern: "global:0,7", position: 7, count: 5)) {
            try MaskPattern(parsing: "global:0,7").values(for: encoding, documentSeparator: Self.separator)
        }
        #expect(throws: MaskPatternError.positionOutOfRange(pattern: "block:5", position: 5, count: 5)) {
            try MaskPattern(parsing: "block:5").values(for: encoding, documentSeparator: Self.separator)
        }
        do {
            _ = try MaskPattern.seed.values(for: encoding, documentSeparator: Self.separator)
            Issue.record("seed fit a text without 'quick'")
        } catch let error as MaskPatternError {
            #expect(error.description.contains("no 'quick'"), "\(error)")
        }
    }

    @Test("setPattern refuses a pattern that does not fit and keeps the old one")
    func setPatternKeepsStateOnError() throws {
        var explorer = try Explorer(model: model, text: "the cat sat")
        try explorer.setPattern(.causal)
        #expect(throws: MaskPatternError.self) { try explorer.setPattern(.padding(count: 6)) }
        #expect(explorer.pattern == .causal)
    }

    @Test("changing the text keeps a pattern that fits, drops one that does not (saying why), and clears cell overrides")
    func textChange() throws {
        var explorer = try Explorer(model: model, text: Self.seed)
        try explorer.setPattern(.seed)
        try explorer.setCell(query: 1, key: 2, value: 0)
        let dropped = try explorer.setText("the cat sat")
        #expect(dropped?.description.contains("no 'quick'") == true)
        #expect(explorer.pattern == .none)
        #expect(explorer.cellOverrides.isEmpty)
        #expect(explorer.patternValues.count == explorer.tokens.count * explorer.tokens.count)
        try explorer.setPattern(.window(radius: 1))
        #expect(try explorer.setText("a dog ran far") == nil)
        #expect(explorer.pattern == .window(radius: 1))
        #expect(explorer.patternValues == (try MaskPattern.window(radius: 1).values(for: explorer.encoding, documentSeparator: Self.separator)))
    }

    @Test("setCell checks positions and values")
    func setCellChecks() throws {
        var explorer = try Explorer(model: model, text: "the cat sat", semantics: .soft)
        #expect(throws: ExplorerError.positionOutOfRange(position: 5, count: 5)) { try explorer.setCell(query: 5, key: 0, value: 1) }
        #expect(throws: ExplorerError.self) { try explorer.setCell(query: 0, key: 0, value: -1) }
        try explorer.setCell(query: 0, key: 1, value: 0.5)
        #expect(explorer.cellOverrides == [1: 0.5])
        explorer.clearCell(query: 0, key: 1)
        #expect(explorer.cellOverrides.isEmpty)
    }
}
