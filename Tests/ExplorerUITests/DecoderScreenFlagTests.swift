import Foundation
import Testing
@testable import AttentionCore
@testable import ExplorerUI

/// What the explorer shows of a decoder's own mask: rows with no key left are marked, and a
/// `prefix` pattern's widening is warned about on screen.
@Suite("Decoder screen flags")
struct DecoderScreenFlagTests {
    static func state(pattern: MaskPattern = .none, spec: String? = nil, width: Int = 120) throws -> AppState {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama/tiny-llama")
        let model = try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: "tiny-llama", reason: "test"))
        var explorer = try Explorer(model: model, text: "The quick brown fox jumps over the lazy dog.", semantics: .hf)
        if let spec { try explorer.apply(try MaskSpec(parsing: spec)) }
        try explorer.setPattern(pattern)
        var state = AppState(explorer: explorer, colors: .truecolor, width: width, height: 40)
        state.keepSelectionInView()
        return ExplorerLoop.settle(state, state.initialEffects)
    }

    /// Masking token 0 leaves query row 0 (which may see only key 0) with no key: its label
    /// reads `0!The` in the warning color, bold, as `fully_masked_queries` lists it; the other
    /// rows keep the plain label.
    @Test func aFullyMaskedRowIsMarkedInItsLabel() throws {
        let state = try Self.state(spec: "0=0")
        #expect(state.result?.queriesWithEveryAllowedKeyMasked == [0])
        let grid = render(state)
        let layout = Layout(state: state)
        let rowZero = try #require(layout.rowY(0, offset: state.rowOffset))
        let rowTwo = try #require(layout.rowY(2, offset: state.rowOffset))
        #expect(grid.textLines[rowZero].hasPrefix(" 0!The"), "\(grid.textLines[rowZero])")
        #expect(grid.textLines[rowTwo].hasPrefix(" 2 ick"), "\(grid.textLines[rowTwo])")
        let warning = state.theme.accents.warning.cellColor
        #expect(grid[1, rowZero].foreground == warning && grid[1, rowZero].attributes.contains(.bold))
        #expect(grid[1, rowTwo].foreground != warning)
        let unmasked = render(try Self.state())
        #expect(unmasked.textLines[rowZero].hasPrefix(" 0 The"))
    }

    /// `prefix:3` widens the causal mask: the screen says so; `window` does not.
    @Test func aPrefixPatternIsWarnedOnScreen() throws {
        let prefix = render(try Self.state(pattern: .prefix(length: 3), width: 300)).textLines.joined(separator: "\n")
        #expect(prefix.contains("prefix:3 widens this decoder's causal mask"))
        let window = render(try Self.state(pattern: .window(radius: 2), width: 300)).textLines.joined(separator: "\n")
        #expect(!window.contains("widens"))
    }
}
