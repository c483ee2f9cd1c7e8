import AttentionCore
import Foundation
import Testing
@testable import ExplorerUI

/// Every view's SVG picture: well-formed XML, its labels and legend, and the mask's marks.
/// Which cells are closed is worked out here from the engine's full cell mask read through
/// the semantics (`Explorer.cellMask`, `keyState`), independently of the pictures' own code.
@Suite struct ViewPictureTests {
    /// A mask case the issue names: causal, padding, an hf4 fractional mask, a zeroed key.
    struct MaskCase: CustomStringConvertible {
        let description: String
        let semantics: MaskSemantics
        let spec: String?
        let pattern: String?
        let padTo: Int?
    }

    static let cases = [
        MaskCase(description: "causal", semantics: .hf, spec: nil, pattern: "causal", padTo: nil),
        MaskCase(description: "[PAD] from --pad-to", semantics: .hf, spec: nil, pattern: nil, padTo: 15),
        MaskCase(description: "padding:3 pattern", semantics: .hf, spec: nil, pattern: "padding:3", padTo: nil),
        MaskCase(description: "hf4 with jumps=0.5", semantics: .hf4, spec: "quick=1,jumps=0.5,lazy..=0", pattern: nil, padTo: nil),
        MaskCase(description: "zeroed key", semantics: .hf, spec: "quick=0", pattern: nil, padTo: nil),
        MaskCase(description: "soft with jumps=0.5", semantics: .soft, spec: "jumps=0.5,dog=0", pattern: nil, padTo: nil),
    ]

    static func explorer(_ maskCase: MaskCase) throws -> Explorer {
        var explorer = try Explorer(model: BuiltinModel.make(), text: seedSentence, padTo: maskCase.padTo, semantics: maskCase.semantics)
        if let spec = maskCase.spec { try explorer.apply(MaskSpec(parsing: spec)) }
        if let pattern = maskCase.pattern { try explorer.setPattern(MaskPattern(parsing: pattern)) }
        return explorer
    }

    static func state(_ maskCase: MaskCase, view: ExplorerView, theme: String = "viridis") throws -> AppState {
        let theme = try #require(ThemeCatalog.named(theme))
        return HeadlessRender.state(explorer: try explorer(maskCase), theme: theme, colors: .truecolor, width: 120,
                                    layer: 1, head: 3, view: view, query: 5)
    }

    /// (query, key) of every cell the mask closes under `semantics`, from the full cell mask.
    static func closedCells(_ explorer: Explorer, _ semantics: MaskSemantics) -> Set<[Int]> {
        var variant = explorer
        variant.semantics = semantics
        let length = variant.tokens.count
        let cells = variant.cellMask
        var closed = Set<[Int]>()
        for q in 0..<length { for k in 0..<length where semantics.keyState(for: cells[q * length + k]) == .masked { closed.insert([q, k]) } }
        return closed
    }

    static func partialCells(_ explorer: Explorer, _ semantics: MaskSemantics) -> Set<[Int]> {
        let length = explorer.tokens.count
        let cells = explorer.cellMask
        var partial = Set<[Int]>()
        for q in 0..<length { for k in 0..<length where semantics.keyState(for: cells[q * length + k]) == .partial { partial.insert([q, k]) } }
        return partial
    }

    /// The (query, key) of `rects`, restricted to those whose `data-` attributes match `tag`.
    static func cells(_ rects: [SVGElements.Element], tag: [String: String] = [:]) -> Set<[Int]> {
        Set(rects.filter { rect in tag.allSatisfy { rect.attributes["data-" + $0.key] == $0.value } }
            .compactMap { rect in
                guard let q = rect.attributes["data-q"].flatMap(Int.init), let k = rect.attributes["data-k"].flatMap(Int.init) else { return nil }
                return [q, k]
            })
    }

    static func hatched(_ parsed: SVGElements) -> [SVGElements.Element] {
        parsed.elements.filter { $0.name == "rect" && $0.attributes["fill"] == PicturePalette.maskedFill && $0.attributes["data-q"] != nil }
    }

    static func parsed(_ state: AppState) throws -> SVGElements {
        let svg = svgDocument(for: state)
        let parsed = SVGElements.parse(svg)
        if let error = parsed.error { Issue.record("\(state.view) SVG is not well-formed XML: \(error)") }
        try #require(parsed.elements.first?.name == "svg")
        return parsed
    }

    static func texts(_ parsed: SVGElements) -> [String] {
        parsed.elements.filter { $0.name == "text" }.map(\.text)
    }

    @Test(arguments: cases)
    func heatmapHatchesExactlyTheClosedCellsAndDotsThePartialOnes(_ maskCase: MaskCase) throws {
        let state = try Self.state(maskCase, view: .heatmap)
        let parsed = try Self.parsed(state)
        let closed = Self.closedCells(state.explorer, maskCase.semantics)
        #expect(!closed.isEmpty)
        #expect(Self.cells(Self.hatched(parsed)) == closed)
        let weights = parsed.withClass("weight")
        #expect(Self.cells(weights).isDisjoint(with: closed), "no unmasked-looking cell is a closed one")
        #expect(weights.allSatisfy { $0.attributes["fill"] != PicturePalette.maskedFill })
        #expect(weights.count + closed.count == state.tokenCount * state.tokenCount)
        #expect(Self.cells(parsed.withClass("partial")) == Self.partialCells(state.explorer, maskCase.semantics))
        #expect(parsed.withClass("key-label").map(\.text) == state.tokens)
        #expect(parsed.withClass("query-label").map(\.text).starts(with: ["0 [CLS]", "1 the"]))
        let texts = Self.texts(parsed)
        #expect(texts.contains { $0.hasPrefix("masked: weight forced to 0") })
        let maximum = try #require(shownWeights(state)).enumerated().flatMap { q, row in
            row.enumerated().filter { !closed.contains([q, $0.offset]) }.map(\.element)
        }.max() ?? 0
        #expect(parsed.withClass("legend-tick").map(\.text) == ["0", formatScale(Double(maximum) / 2), formatScale(Double(maximum))])
    }

    @Test(arguments: cases)
    func compareHatchesEachSemanticsOwnClosedCells(_ maskCase: MaskCase) throws {
        let state = try Self.state(maskCase, view: .compare)
        let parsed = try Self.parsed(state)
        let hatched = Self.hatched(parsed)
        for semantics in Comparison.comparedSemantics {
            let closed = Self.closedCells(state.explorer, semantics)
            #expect(Self.cells(hatched, tag: ["semantics": semantics.rawValue]) == closed, "\(semantics)")
            #expect(Self.cells(parsed.withClass("weight"), tag: ["semantics": semantics.rawValue]).isDisjoint(with: closed))
        }
        #expect(parsed.withClass("panel-title").map(\.text).map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["hf", "hf4", "soft"])
        #expect(parsed.withClass("key-label").map(\.text) == state.tokens + state.tokens + state.tokens)
        #expect(Self.texts(parsed).contains { $0.hasPrefix("masked: weight forced to 0") })
        #expect(Self.texts(parsed).contains { $0.hasPrefix("Row 5 jumps") })
    }

    @Test(arguments: cases)
    func diffAndOverviewHatchTheClosedCells(_ maskCase: MaskCase) throws {
        let diff = try Self.parsed(try Self.state(maskCase, view: .diff))
        let state = try Self.state(maskCase, view: .diff)
        let closed = Self.closedCells(state.explorer, maskCase.semantics)
        #expect(Self.cells(Self.hatched(diff)) == closed)
        #expect(Self.cells(diff.withClass("weight")).isDisjoint(with: closed))
        #expect(diff.withClass("key-label").map(\.text) == state.tokens)
        #expect(Self.texts(diff).contains { $0.hasPrefix("masked: weight forced to 0") })
        let ticks = diff.withClass("legend-tick").map(\.text)
        #expect(ticks.count == 5 && ticks[2] == "0" && ticks[0].hasPrefix("−") && ticks[4].hasPrefix("+"))

        let overview = try Self.parsed(try Self.state(maskCase, view: .overview))
        let info = state.explorer.model.info
        for layer in 0..<info.layerCount {
            for head in 0..<info.headCount {
                #expect(Self.cells(Self.hatched(overview), tag: ["layer": "\(layer)", "head": "\(head)"]) == closed)
            }
        }
        #expect(overview.withClass("head-label").count == info.headCount)
        #expect(overview.withClass("selected-tile").count == 1)
        #expect(Self.texts(overview).contains { $0.hasPrefix("masked: weight forced to 0") })
    }

    @Test(arguments: cases)
    func mathAndEffectMarkTheClosedKeys(_ maskCase: MaskCase) throws {
        let state = try Self.state(maskCase, view: .math)
        let math = try Self.parsed(state)
        let closed = Self.closedCells(state.explorer, maskCase.semantics)
        let closedKeys = Set(closed.filter { $0[0] == 5 }.map { $0[1] })
        // Bias, exp and weight columns each hatch every closed key of row 5.
        let hatchedKeys = Self.hatched(math).compactMap { $0.attributes["data-k"].flatMap(Int.init) }
        #expect(Set(hatchedKeys) == closedKeys)
        #expect(hatchedKeys.count == closedKeys.count * 3)
        #expect(math.withClass("weight-bar").count == state.tokenCount - closedKeys.count)
        #expect(math.withClass("stage-title").map(\.text) == ["q·k/√d (raw score)", "+ mask bias", "exp(x − max)", "weight"])
        #expect(Self.texts(math).contains { $0.hasPrefix("masked: weight forced to 0") })

        let effectState = try Self.state(maskCase, view: .effect)
        let effect = try Self.parsed(effectState)
        let length = state.tokenCount
        let closedForAll = Set((0..<length).filter { k in (0..<length).allSatisfy { closed.contains([$0, k]) } })
        let hatchedTokens = Set(effect.withClass("masked").compactMap { $0.attributes["data-k"].flatMap(Int.init) })
        #expect(hatchedTokens == closedForAll)
        #expect(effect.withClass("effect-token").count == length)
    }

    @Test func everyPictureEscapesMarkupInTokens() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: "a & b < c \"d\"")
        try explorer.apply(MaskSpec(parsing: "b=0"))
        for view in ExplorerView.allCases {
            let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .truecolor, width: 100, view: view)
            let parsed = try Self.parsed(state)
            #expect(Self.texts(parsed).contains { $0.contains("&") || $0.contains("<") } || view == .overview, "\(view)")
        }
    }

    @Test func everyThemeKeepsTheHatchApartFromEveryWeightColor() throws {
        let maskCase = Self.cases[3]
        for theme in ThemeCatalog.all {
            let state = HeadlessRender.state(explorer: try Self.explorer(maskCase), theme: theme, colors: .truecolor, width: 120,
                                             layer: 1, head: 3, view: .heatmap)
            let parsed = try Self.parsed(state)
            #expect(parsed.withClass("weight").allSatisfy { $0.attributes["fill"]?.hasPrefix("#") == true }, "\(theme.name)")
            #expect(Self.cells(Self.hatched(parsed)) == Self.closedCells(state.explorer, .hf4), "\(theme.name)")
        }
    }

    /// The blog post's mask at layer 0 of the built-in model, where all three semantics see
    /// the same inputs, so hf4 and soft follow from hf by renormalising: hf4 drops "jumps"
    /// (w'ₖ = wₖ / (1 − w_jumps)); soft halves it (w'_jumps = ½w / (1 − ½w)).
    @Test func compareRowBarsShowTheRightNumbers() throws {
        var explorer = try Explorer(model: BuiltinModel.make(), text: seedSentence)
        try explorer.apply(MaskSpec(parsing: "quick=1,jumps=0.5,lazy..=0"))
        let state = HeadlessRender.state(explorer: explorer, theme: ThemeCatalog.default, colors: .truecolor, width: 120,
                                         layer: 0, head: 5, view: .compare, query: 5)
        let comparison = try #require(state.comparison)
        let rows = try comparison.bySemantics.map { try #require(weights(of: $0.result, state))[5] }
        let (hf, hf4, soft) = (rows[0], rows[1], rows[2])
        let jumps = hf[5]
        #expect(jumps > 0.01, "the broad head gives jumps some weight under hf")
        #expect(hf4[5] == 0)
        for key in [0, 1, 2, 3, 4, 6, 7] { #expect(abs(hf4[key] - hf[key] / (1 - jumps)) < 1e-5) }
        #expect(abs(soft[5] - 0.5 * jumps / (1 - 0.5 * jumps)) < 1e-5)

        // The SVG's bars: one per key and semantics, the closed ones hatched, numbers as computed.
        let parsed = try Self.parsed(state)
        let values = parsed.withClass("bar-value").map(\.text)
        #expect(values.count == state.tokenCount * 3)
        for key in 0..<state.tokenCount {
            for (index, row) in rows.enumerated() {
                let text = values[key * 3 + index]
                if key >= 8 || (index == 1 && key == 5) {
                    #expect(text == "masked · 0", "key \(key) semantics \(index)")
                } else {
                    #expect(text.hasPrefix(weightText(row[key])), "key \(key) semantics \(index)")
                }
            }
        }
        #expect(values[5 * 3 + 2].hasSuffix("(kept partly)"))

        // The terminal's bars: the row of each key lists hf, hf4 and soft in that order.
        let screen = press(try makeState(width: 120, height: 40, colors: .truecolor), .right, .right, .right, .right, .character("5"),
                           .right, .right, .right, .character("v"), .end, .character("0"), .home,
                           .down, .down, .down, .down, .character(">"), .character(">"), .character(">"), .character(">"), .character(">"),
                           .character("S"))
        #expect(screen.view == .compare && screen.selectedQuery == 5 && screen.head == 5)
        let layout = Layout(state: screen)
        let geometry = CompareLayout(state: screen, layout: layout, panels: 3)
        let lines = render(screen).textLines
        #expect(lines[geometry.top].contains("row 5 jumps"))
        for key in 0..<screen.tokenCount {
            let line = lines[geometry.top + 2 + key]
            let bars = String(line.dropFirst(geometry.barsX))
            let numbers = bars.split(separator: " ").dropFirst(2).filter { $0.first.map { ".~×01".contains($0) } ?? false }.map(String.init)
            let expected = rows.enumerated().map { index, row -> String in
                if key >= 8 || (index == 1 && key == 5) { return "×0" }
                return (index == 2 && key == 5 ? "~" : "") + barNumber(row[key])
            }
            #expect(numbers == expected, "key \(key): \(bars)")
        }
    }
}
