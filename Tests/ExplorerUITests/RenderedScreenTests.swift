import Testing
@testable import ExplorerUI

/// Rendered screens compared cell by cell, glyph and style, with the goldens in `Goldens/`
/// (glyph mode: the shade ramp stands for colors). Regenerate with MASKSCOPE_UPDATE_GOLDENS=1
/// when a change is intended, and read each new picture before committing it.
@Suite struct RenderedScreenTests {
    let paragraph = (1...33).map { "w\($0) x\($0) ," }.joined(separator: " ")

    @Test func seedSentenceAt80x24() throws {
        expectGolden(try makeState(), named: "seedSentenceAt80x24")
    }

    @Test func seedSentenceAt120x40WithAHalfMask() throws {
        expectGolden(press(try makeState(width: 120, height: 40), .right, .right, .right, .character("5"), .down, .down), named: "seedSentenceAt120x40WithAHalfMask")
    }

    @Test func cjkAndAccentedTokensLineUp() throws {
        expectGolden(press(try makeState("東京は日本の首都です。Café naïve", width: 80, height: 24), .right, .right), named: "cjkAndAccentedTokensLineUp")
    }

    @Test func tooSmallTerminal() throws {
        expectGolden(try makeState(width: 40, height: 10), named: "tooSmallTerminal")
    }

    @Test func tinyTerminal() throws {
        expectGolden(try makeState(width: 20, height: 5), named: "tinyTerminal")
    }

    @Test func hundredTokenParagraphScrollsToTheSelection() throws {
        expectGolden(press(try makeState(paragraph), .end, .pageDown, .pageDown, .pageDown, .pageDown), named: "hundredTokenParagraphScrollsToTheSelection")
    }

    @Test func helpOverlayListsEveryKey() throws {
        expectGolden(press(try makeState(), .character("?")), named: "helpOverlayListsEveryKey")
    }

    /// The blog post's mask at 100×30, layer 1 head 3 ("sentence gist"), for the view screens.
    var blogMask: AppState {
        get throws { press(try makeState(width: 100, height: 30), .right, .right, .right, .right, .character("5"), .right, .right, .right, .character("v"), .end, .character("0"), .home, .right, .character("]"), .character(">"), .character(">"), .character(">")) }
    }

    @Test func diffViewOfTheBlogMask() throws {
        expectGolden(press(try blogMask, .character("d")), named: "diffViewOfTheBlogMask")
    }

    @Test func compareViewOfTheBlogMask() throws {
        expectGolden(press(try blogMask, .character("S")), named: "compareViewOfTheBlogMask")
    }

    @Test func mathViewOfTheBlogMask() throws {
        expectGolden(press(try blogMask, .character("m")), named: "mathViewOfTheBlogMask")
    }

    @Test func overviewOfTheBlogMask() throws {
        expectGolden(press(try blogMask, .character("o")), named: "overviewOfTheBlogMask")
    }

    @Test func effectOfTheBlogMask() throws {
        expectGolden(press(try blogMask, .character("E")), named: "effectOfTheBlogMask")
    }

    @Test func patternPicker() throws {
        expectGolden(press(try makeState(), .character("p"), .down, .down, .down), named: "patternPicker")
    }
}
