import Testing
@testable import AttentionCore

@Suite("Cell closure: which cells the mask closes, and why")
struct CellClosureTests {
    static let seed = "The quick brown fox jumps over the lazy dog."
    let model = BuiltinModel.make()

    /// The closure map must agree, cell by cell, with the full `L × L` mask the engine
    /// biases the logits with: closed exactly where the cell value masks, partial exactly
    /// where it weakens.
    @Test("agrees with the engine's combined cell mask", arguments: MaskSemantics.allCases)
    func agreesWithCellMask(semantics: MaskSemantics) throws {
        let patterns = ["none", "causal", "padding:3", "window:1", "seed", "global:0+causal"]
        for syntax in patterns {
            var explorer = try Explorer(model: model, text: Self.seed, padTo: 14, semantics: semantics)
            try explorer.setPattern(MaskPattern(parsing: syntax))
            let values: [Float] = semantics == .bias ? [-2, -1e9, 0, 1] : [0.5, 0, 1, 2]
            for (offset, value) in values.enumerated() { try explorer.setMask(at: 2 + offset, to: value) }
            try explorer.setCell(query: 1, key: 7, value: semantics == .bias ? -1e9 : 0)
            try explorer.setCell(query: 6, key: 4, value: semantics.neutralValue)
            let map = CellClosureMap(explorer: explorer)
            let cells = explorer.cellMask
            let length = explorer.tokens.count
            for query in 0..<length {
                for key in 0..<length {
                    let state = semantics.keyState(for: cells[query * length + key])
                    let closure = map.closure(query: query, key: key)
                    #expect(closure.isClosed == (state == .masked), "\(syntax) \(semantics) q\(query) k\(key)")
                    #expect(closure.isPartial == (state == .partial), "\(syntax) \(semantics) q\(query) k\(key)")
                }
            }
        }
    }

    @Test("names the reason: key mask, pattern, padding, cell edit, model's causal mask")
    func reasons() throws {
        var explorer = try Explorer(model: model, text: Self.seed, padTo: 14, semantics: .hf)
        let pad = try #require(explorer.encoding.isPadding.firstIndex(of: true))
        try explorer.setMask(at: 3, to: 0)
        try explorer.setPattern(.causal)
        try explorer.setCell(query: 5, key: 1, value: 0)
        let map = CellClosureMap(explorer: explorer)
        #expect(map.closure(query: 5, key: 3) == .closed(.keyMask))
        #expect(map.closure(query: 2, key: 4) == .closed(.pattern))
        #expect(map.closure(query: 13, key: pad) == .closed(.padding))
        #expect(map.closure(query: 5, key: 1) == .closed(.cellEdit))
        #expect(map.closure(query: 5, key: 2) == .open)
        #expect(map.closure(query: 4, key: 4) == .open)

        try explorer.setPattern(.padding(count: 2))
        let padded = CellClosureMap(explorer: explorer)
        #expect(padded.closure(query: 0, key: explorer.tokens.count - 1) == .closed(.padding))

        let decoder = CellClosureMap(keyMask: [1, 1, 1], semantics: .hf, modelIsCausal: true)
        #expect(decoder.closure(query: 0, key: 2) == .closed(.modelCausal))
        #expect(decoder.closure(query: 2, key: 0) == .open)
        // A decoder's column counts only the queries the causal mask lets see the key: an open
        // key is not "closed for some queries", and a masked one is closed for all it could reach.
        #expect(decoder.column(1).closedQueries == 0 && decoder.column(1).queryCount == 2)
        let masked = CellClosureMap(keyMask: [1, 0, 1], semantics: .hf, modelIsCausal: true).column(1)
        #expect(masked.closedForAll && masked.reason == .keyMask && masked.queryCount == 2)
    }

    @Test("soft keeps a share: 0.5 is partial with share 0.5, hf4 closes it, hf keeps it")
    func partialShare() {
        let mask: [Float] = [1, 0.5, 1]
        #expect(CellClosureMap(keyMask: mask, semantics: .soft).closure(query: 0, key: 1) == .partial(kept: 0.5, reason: .keyMask))
        #expect(CellClosureMap(keyMask: mask, semantics: .hf4).closure(query: 0, key: 1) == .closed(.keyMask))
        #expect(CellClosureMap(keyMask: mask, semantics: .hf).closure(query: 0, key: 1) == .open)
        let bias = CellClosureMap(keyMask: [0, -2, 0], semantics: .bias).closure(query: 0, key: 1)
        #expect(bias.isPartial)
        #expect(abs(bias.keptShare - 0.1353) < 1e-3)
        #expect(CellClosure.partial(kept: 0.5, reason: .keyMask).explanation.contains("50%"))
        #expect(CellClosure.closed(.pattern).explanation == "closed by the pattern: weight forced to 0")
    }

    @Test("a column's summary counts its closed queries; a fully closed row is detected")
    func columnsAndRows() throws {
        var explorer = try Explorer(model: model, text: Self.seed, semantics: .hf)
        try explorer.setPattern(.causal)
        try explorer.setMask(at: 0, to: 0)
        let map = CellClosureMap(explorer: explorer)
        let length = explorer.tokens.count
        let last = map.column(length - 1)
        #expect(last.closedQueries == length - 1)
        #expect(last.reason == .pattern)
        #expect(!last.closedForAll)
        #expect(map.column(0).closedForAll)
        #expect(map.column(0).reason == .keyMask)
        #expect(map.rowIsFullyClosed(query: 0))
        #expect(!map.rowIsFullyClosed(query: 1))
        #expect(CellClosureMap(keyMask: [1, 1], semantics: .hf).column(1).isOpen)
    }

    @Test("positions outside the map are open")
    func outside() {
        let map = CellClosureMap(keyMask: [0, 1], semantics: .hf)
        #expect(map.closure(query: -1, key: 0) == .open)
        #expect(map.closure(query: 0, key: 2) == .open)
    }
}
