import AttentionCore
import Testing
@testable import ExplorerUI

/// The help overlay on the smallest screen it promises (80×24): every key row and every
/// semantics row is on screen, none pushed off the bottom; and `Z` says what it acts on.
@Suite struct HelpOverlayTests {
    @Test("at 80×24 the help lists every key row and every semantics, the last one included")
    func helpFitsAt80x24() throws {
        let screen = render(press(try makeState(width: 80, height: 24), .character("?"))).textLines.joined(separator: "\n")
        for binding in KeyBindings.helpRows {
            #expect(screen.contains(binding.label), "\(binding.label) is listed")
        }
        for semantics in MaskSemantics.allCases {
            #expect(screen.contains("│ \(semantics.rawValue) ") || screen.contains("  \(semantics.rawValue) "),
                    "\(semantics.rawValue) has its row")
        }
        let last = try #require(MaskSemantics.allCases.last)
        #expect(screen.contains(last.shortSummary.prefix(20)), "the last semantics row (\(last.rawValue)) is on screen")
        #expect(screen.contains("mouse"), "the mouse row too")
    }

    @Test("Z on the heatmap zooms; on compare it says it enlarges the heatmap and diff")
    func zoomSaysWhereItActs() throws {
        let heatmap = press(try makeState(), .character("Z"))
        #expect(heatmap.zoom)
        #expect(heatmap.message?.text.hasPrefix("zoom: big cells") == true)
        let compare = press(try makeState(), .character("S"), .character("Z"))
        #expect(compare.view == .compare)
        #expect(compare.message?.text.contains("enlarges the heatmap and diff") == true, "\(String(describing: compare.message))")
        let back = press(compare, .escape)
        #expect(back.view == .heatmap && back.zoom, "Esc goes back to the zoomed heatmap")
    }
}
