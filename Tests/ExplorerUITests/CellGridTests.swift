import Testing
@testable import ExplorerUI

@Suite("Cell grid")
struct CellGridTests {
    /// Text lines with continuation cells shown as "·", so wide glyphs are visible in failures.
    private func lines(_ grid: CellGrid) -> [String] {
        (0..<grid.height).map { y in
            (0..<grid.width).map { x in grid[x, y].isContinuation ? "·" : grid[x, y].glyph }.joined()
        }
    }

    @Test func putWritesAsciiAndReturnsColumns() {
        var grid = CellGrid(width: 10, height: 2)
        let used = grid.put("[CLS] the", x: 0, y: 0, fg: .rgb(255, 0, 0), attributes: .bold)
        #expect(used == 9)
        #expect(lines(grid) == ["[CLS] the ", "          "])
        #expect(grid[0, 0].foreground == .rgb(255, 0, 0))
        #expect(grid[0, 0].attributes == .bold)
        #expect(grid[9, 0] == .blank)
    }

    @Test func wideGlyphsTakeTwoCellsWithContinuation() {
        var grid = CellGrid(width: 8, height: 1)
        let used = grid.put("a注意b", x: 1, y: 0, bg: .rgb(0, 0, 80))
        #expect(used == 6)
        #expect(lines(grid) == [" a注·意·b "])
        #expect(grid[3, 0].background == .rgb(0, 0, 80), "continuation keeps the colors")
        #expect(grid.textLines == [" a注意b "], "continuations vanish from plain text")
    }

    @Test func clipsAtGridEdgeWithoutSplittingWideGlyph() {
        var grid = CellGrid(width: 5, height: 1)
        let used = grid.put("ab注意", x: 0, y: 0)
        #expect(used == 4)
        #expect(lines(grid) == ["ab注· "])
        var shifted = CellGrid(width: 4, height: 1, fill: Cell(glyph: "."))
        #expect(shifted.put("a注意", x: 0, y: 0) == 3)
        #expect(lines(shifted) == ["a注·."], "the wide glyph that would cross the edge is left out")
    }

    @Test func maxWidthLimitsColumns() {
        var grid = CellGrid(width: 10, height: 1, fill: Cell(glyph: "."))
        #expect(grid.put("注意力", x: 2, y: 0, maxWidth: 5) == 4)
        #expect(lines(grid) == ["..注·意·...."])
        #expect(grid.put("xyz", x: 0, y: 0, maxWidth: 0) == 0)
    }

    @Test func emojiAndCombiningClusters() {
        var grid = CellGrid(width: 8, height: 1)
        #expect(grid.put("e\u{301}👍🏽👨‍👩‍👧", x: 0, y: 0) == 5)
        #expect(grid[0, 0].glyph == "e\u{301}")
        #expect(grid[1, 0].glyph == "👍🏽")
        #expect(grid[2, 0].isContinuation)
        #expect(grid[3, 0].glyph == "👨‍👩‍👧")
        #expect(grid[5, 0] == .blank)
    }

    @Test func clusterWiderThanTwoIsSplitPerSpacingScalar() {
        var grid = CellGrid(width: 5, height: 1)
        #expect(grid.put("\u{915}\u{94D}\u{937}\u{93F}", x: 0, y: 0) == 3)
        #expect(grid[0, 0].glyph == "\u{915}\u{94D}")
        #expect(grid[1, 0].glyph == "\u{937}")
        #expect(grid[2, 0].glyph == "\u{93F}")
    }

    @Test func controlsAndLoneMarksAreSkipped() {
        var grid = CellGrid(width: 6, height: 1)
        #expect(grid.put("a\tb\u{301}\u{7}c", x: 0, y: 0) == 3)
        #expect(lines(grid) == ["ab\u{301}c   "])
    }

    @Test func outOfBoundsWritesDoNothing() {
        var grid = CellGrid(width: 4, height: 2)
        #expect(grid.put("abc", x: 0, y: 2) == 0)
        #expect(grid.put("abc", x: 0, y: -1) == 0)
        #expect(grid.put("abc", x: 4, y: 0) == 0)
        #expect(grid.put("abcdef", x: -2, y: 0) == 6, "columns advanced from x, off-grid ones included")
        #expect(lines(grid) == ["cdef", "    "])
        #expect(grid[7, 7] == .blank)
    }

    @Test func overwritingHalfAWideGlyphBlanksTheOtherHalf() {
        var grid = CellGrid(width: 6, height: 1)
        grid.put("注意力", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(lines(grid) == [" x意·力·"])
        grid.put("y", x: 2, y: 0)
        #expect(lines(grid) == [" xy 力·"])
        grid.put("中", x: 3, y: 0)
        #expect(lines(grid) == [" xy中· "])
    }

    @Test func fillRectClipsAndBreaksWideGlyphsAtItsEdges() {
        var grid = CellGrid(width: 6, height: 3)
        grid.put("注意力", x: 0, y: 1)
        grid.fill(CellRect(x: 1, y: 1, width: 2, height: 5), with: Cell(glyph: "#", background: .rgb(9, 9, 9)))
        #expect(lines(grid) == ["      ", " ## 力·", " ##   "], "注 and 意 lose their cut halves")
        #expect(grid[1, 2].background == .rgb(9, 9, 9))
        grid.fill(CellRect(x: -3, y: -3, width: 100, height: 5))
        #expect(lines(grid) == ["      ", "      ", " ##   "])
        grid.fill(CellRect(x: 2, y: 0, width: 0, height: 3), with: Cell(glyph: "!"))
        #expect(lines(grid)[2] == " ##   ")
    }
}
