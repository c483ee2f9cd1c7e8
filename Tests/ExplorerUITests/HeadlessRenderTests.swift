import AttentionCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ExplorerUI

/// The elements of an SVG document as XMLParser reads them: proof that it is well-formed XML,
/// and what it holds.
final class SVGElements: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text = ""
        var children: [String] = []
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: Error?

    static func parse(_ svg: String) -> SVGElements {
        let collector = SVGElements()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        if !parser.parse() { collector.error = parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return collector
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        if let parent = open.last { elements[parent].children.append(name) }
        elements.append(Element(name: name, attributes: attributes))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func withClass(_ name: String) -> [Element] {
        elements.filter { $0.attributes["class"] == name }
    }
}

@Suite struct HeadlessRenderTests {
    // MARK: SVG

    @Test func svgIsWellFormedWithOneRectPerWeightAndLabelsOnBothAxes() throws {
        let state = try makeState(width: 100, height: 40, colors: .truecolor)
        let count = state.tokenCount
        let parsed = SVGElements.parse(svgDocument(for: state))
        #expect(parsed.error == nil)
        #expect(parsed.elements.first?.name == "svg")
        let rects = parsed.withClass("weight")
        #expect(rects.count == count * count)
        #expect(rects.allSatisfy { $0.name == "rect" && $0.children == ["title"] })
        #expect(parsed.withClass("key-label").map(\.text) == state.tokens)
        #expect(parsed.withClass("query-label").map(\.text) == state.tokens.enumerated().map { "\($0.offset) \($0.element)" })
        #expect(parsed.withClass("mask-value").count == count)
    }

    @Test func svgWeightsCarryTheThemeColorAndATooltip() throws {
        let state = try makeState(width: 100, height: 40, colors: .truecolor)
        let weights = try #require(shownWeights(state))
        let parsed = SVGElements.parse(svgDocument(for: state))
        let titles = Array(parsed.elements.filter { $0.name == "title" }.map(\.text).dropFirst())  // the first names the document
        let rects = parsed.withClass("weight")
        let count = state.tokenCount
        try #require(rects.count == count * count && titles.count == count * count)
        // Row-major: query 1, key 0 is element count + 0. The scale runs 0 … the map's largest weight.
        let weight = Double(weights[1][0])
        let maximum = Double(weights.flatMap { $0 }.max() ?? 1)
        #expect(rects[count].attributes["fill"] == state.theme.color(forWeight: weight / maximum).hex)
        #expect(titles[count] == "1 \(state.tokens[1]) → 0 \(state.tokens[0]): \(String(format: "%.4f", weight))")
    }

    @Test func svgEscapesMarkupInTokensAndMonoIsGray() throws {
        let explorer = try Explorer(model: BuiltinModel.make(), text: "a & b < c \"d\"")
        let mono = try #require(ThemeCatalog.named("mono"))
        let state = HeadlessRender.state(explorer: explorer, theme: mono, colors: .truecolor, width: 100)
        let svg = svgDocument(for: state)
        let parsed = SVGElements.parse(svg)
        #expect(parsed.error == nil)
        #expect(parsed.withClass("key-label").map(\.text).contains("&"))
        #expect(parsed.withClass("key-label").map(\.text).contains("<"))
        let fills = parsed.withClass("weight").compactMap { $0.attributes["fill"] }.compactMap(RGB.init(hex:))
        #expect(fills.count == state.tokenCount * state.tokenCount)
        #expect(fills.allSatisfy { $0.red == $0.green && $0.green == $0.blue })
    }

    @Test func svgTitleNamesModelLayerHeadAndSemantics() throws {
        let explorer = try Explorer(model: BuiltinModel.make(), text: seedSentence, semantics: .soft)
        let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .truecolor,
                                         width: 100, layer: 1, head: 2)
        let texts = SVGElements.parse(svgDocument(for: state)).elements.filter { $0.name == "text" }.map(\.text)
        let title = try #require(texts.first)
        #expect(title.contains("builtin") && title.contains("layer 1 of 2") && title.contains("head 2 of 6"))
        #expect(texts.contains { $0.contains("mask semantics soft: bias ln m") })
    }

    @Test func xmlEscapingReplacesCharactersXMLForbids() {
        #expect(xmlEscaped("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
        #expect(xmlEscaped("bell\u{07}") == "bell\u{FFFD}")
        #expect(xmlEscaped("日本 🙂") == "日本 🙂")
    }

    // MARK: ANSI

    @Test func ansiUsesTrueColorEscapesUnderTruecolor() throws {
        let state = try makeState(width: 100, height: 40, colors: .truecolor)
        let output = AnsiOutput.text(render(state, chrome: .document), colors: .truecolor)
        #expect(output.contains("38;2;"))
        #expect(output.contains("48;2;"))
        #expect(!output.contains("48;5;"))
    }

    @Test func ansiUsesTheXtermPaletteUnder256Colors() throws {
        let state = try makeState(width: 100, height: 40, colors: .palette256)
        let output = AnsiOutput.text(render(state, chrome: .document), colors: .palette256)
        #expect(output.contains("48;5;"))
        #expect(!output.contains("48;2;") && !output.contains("38;2;"))
        let rgb = state.theme.color(forWeight: 1)
        #expect(output.contains("48;5;\(ColorQuantization.nearestXterm256(r: rgb.red, g: rgb.green, b: rgb.blue))m"))
    }

    @Test func ansiWithoutColorOrAttributesHasNoEscapesAndMatchesPlainText() throws {
        let state = try makeState(width: 100, height: 40, colors: .none)
        let grid = render(state, chrome: .document)
        let output = AnsiOutput.text(grid, colors: .none, attributes: false)
        #expect(!output.contains("\u{1B}"))
        var trimmed = output
        while trimmed.hasSuffix("\n\n") { trimmed.removeLast() }
        let plain: String = PlainTextOutput.text(grid)
        #expect(trimmed == plain)
    }

    @Test func ansiWritesAnEscapeOnlyWhereTheStyleChangesAndResetsAtLineEnd() {
        let red = Cell(glyph: "x", foreground: .rgb(255, 0, 0))
        let line = AnsiOutput.line([red, red, red, Cell(glyph: "y"), red], colors: .truecolor)
        #expect(line == "\u{1B}[0;38;2;255;0;0mxxx\u{1B}[0my\u{1B}[0;38;2;255;0;0mx\u{1B}[0m")
        let bold = AnsiOutput.line([Cell(glyph: "b", attributes: .bold), Cell(glyph: "b", attributes: .bold)], colors: .none)
        #expect(bold == "\u{1B}[0;1mbb\u{1B}[0m")
        #expect(AnsiOutput.line([Cell(glyph: "b", attributes: .bold)], colors: .none, attributes: false) == "b")
    }

    @Test func ansiSkipsWideGlyphContinuationsAndTrimsInvisibleTrailingBlanks() {
        var grid = CellGrid(width: 8, height: 1)
        grid.put("日本", x: 0, y: 0)
        #expect(AnsiOutput.text(grid, colors: .truecolor) == "日本\n")
        var painted = CellGrid(width: 4, height: 1)
        painted.put("a", x: 0, y: 0)
        painted.fill(CellRect(x: 2, y: 0, width: 2, height: 1), with: Cell(glyph: " ", background: .rgb(0, 0, 255)))
        #expect(AnsiOutput.text(painted, colors: .truecolor) == "a \u{1B}[0;48;2;0;0;255m  \u{1B}[0m\n")
    }

    @Test func ansiBlanksDoNotSwitchStyleForAForegroundTheyCannotShow() {
        let line = AnsiOutput.line([Cell(glyph: "a", foreground: .rgb(1, 2, 3)), Cell(glyph: " ", foreground: .rgb(9, 9, 9)),
                                    Cell(glyph: "b", foreground: .rgb(1, 2, 3))], colors: .truecolor)
        #expect(line == "\u{1B}[0;38;2;1;2;3ma b\u{1B}[0m")
    }

    @Test func eightColorOutputUsesBasicColors() {
        let line = AnsiOutput.line([Cell(glyph: "x", foreground: .rgb(205, 0, 0), background: .rgb(0, 0, 0))], colors: .palette8)
        #expect(line == "\u{1B}[0;31;40mx\u{1B}[0m")
    }

    // MARK: Plain text and the document chrome

    @Test func plainTextIsTheGridsTextLinesTrimmed() throws {
        let state = try makeState(width: 100, height: 40, colors: .none)
        let grid = render(state, chrome: .document)
        var expected = grid.textLines.map { line -> String in
            var line = line
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        while expected.last == "" { expected.removeLast() }
        #expect(PlainTextOutput.text(grid) == expected.map { $0 + "\n" }.joined())
        #expect(PlainTextOutput.text(grid).contains("░") || PlainTextOutput.text(grid).contains("█"))
    }

    @Test func documentChromeDropsHintSelectionAndTimingAndExplainsTheMask() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: seedSentence)
        try explorer.apply(try MaskSpec(parsing: "jumps=0.5,lazy..=0"))
        let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .none, width: 100)
        let grid = render(state, chrome: .document)
        let text = grid.textLines.joined(separator: "\n")
        #expect(!text.contains(KeyBindings.hint))
        #expect(!text.contains("Selected cell"))
        #expect(!text.contains("recomputed"))
        #expect(text.contains("Mask"))
        #expect(text.contains("0.5 → kept fully (same as 1)"))
        #expect(text.contains("8–11 lazy … [SEP]"))
        let layout = Layout(state: state)
        for y in layout.tokenRow..<grid.height {
            for x in 0..<grid.width { #expect(!grid[x, y].attributes.contains(.reverse), "selection drawn at \(x),\(y)") }
        }
        // The interactive picture of the same state still has its hint and selection.
        let interactive = render(state).textLines.joined(separator: "\n")
        #expect(interactive.contains("Selected cell"))
    }

    @Test(arguments: [60, 80, 100, 160])
    func fittingHeightShowsEveryQueryRowWithFullLabels(width: Int) throws {
        let long = Array(repeating: "tokens", count: 38).joined(separator: " ")
        for text in [seedSentence, "Hi.", long] {
            let explorer = try Explorer(model: BuiltinModel.make(), text: text)
            let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .none, width: width)
            let layout = Layout(state: state)
            #expect(!layout.isTooSmall)
            #expect(layout.visibleRows == state.tokenCount, "\(width) columns, \(state.tokenCount) tokens")
            let shorter = Layout(width: width, height: state.height - 1, tokens: state.tokens, dense: false)
            let panelTooShort = shorter.panelBeside
                && shorter.panel.height < HeadlessRender.panelLineCount(state, width: shorter.panel.width)
            #expect(state.height == Layout.minimumHeight || shorter.visibleRows < state.tokenCount
                || shorter.columnLabelHeight < layout.columnLabelHeight || panelTooShort,
                "height \(state.height) is not the smallest that fits")
            let lines = PlainTextOutput.text(render(state, chrome: .document)).split(separator: "\n").map(String.init)
            let lastRow = "\(state.tokenCount - 1) \(try #require(state.tokens.last))"
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(lastRow) })
        }
    }

    @Test func heightIsCappedForVeryLongTexts() throws {
        let explorer = try Explorer(model: BuiltinModel.make(), text: "a", padTo: 400)
        let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .none, width: 100)
        #expect(state.height == HeadlessRender.maximumHeight)
    }
}
