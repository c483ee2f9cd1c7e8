import Foundation
import Testing
@testable import ExplorerUI

/// Golden screens that compare every cell's glyph, foreground, background and attributes, as
/// ratatui's `assert_buffer` does, so a change of color or of the mask's hatch fails as surely
/// as a change of text.
///
/// A golden is a text file under `Tests/ExplorerUITests/Goldens/`: the glyph lines (between
/// `|` bars, so trailing spaces show), then one style letter per cell, then the legend of
/// style letters. Run with `MASKSCOPE_UPDATE_GOLDENS=1` to rewrite the goldens a test
/// compares against; read each rewritten file (`git diff`) before committing it.
enum StyledGolden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    static var updating: Bool { ProcessInfo.processInfo.environment["MASKSCOPE_UPDATE_GOLDENS"] == "1" }

    /// Single-column characters that name styles in the letter grid.
    static let letters: [Character] = {
        var scalars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&*+-/:;<=>?@^_~".unicodeScalars)
        scalars += (0xC0...0x24F).compactMap(Unicode.Scalar.init)
        return scalars.map(Character.init)
    }()

    static func describe(_ color: CellColor) -> String {
        switch color {
        case .default: return "default"
        case let .rgb(r, g, b): return RGB(red: r, green: g, blue: b).hex
        }
    }

    static func describe(_ attributes: CellAttributes) -> String {
        let names: [(CellAttributes, String)] = [(.bold, "bold"), (.dim, "dim"), (.reverse, "reverse"), (.underline, "underline"), (.italic, "italic")]
        let shown = names.filter { attributes.contains($0.0) }.map(\.1)
        return shown.isEmpty ? "-" : shown.joined(separator: ",")
    }

    /// A cell's style in the legend's words: "fg=#ffffff bg=#0c0c10 attr=bold".
    static func style(_ cell: Cell) -> String {
        "fg=\(describe(cell.foreground)) bg=\(describe(cell.background)) attr=\(describe(cell.attributes))"
    }

    /// The golden text of a grid.
    static func text(of grid: CellGrid) -> String {
        var legend: [String] = []
        var index: [String: Int] = [:]
        var styleLines: [String] = []
        for y in 0..<grid.height {
            var line = ""
            for x in 0..<grid.width {
                let style = style(grid[x, y])
                let number: Int
                if let known = index[style] {
                    number = known
                } else {
                    number = legend.count
                    index[style] = number
                    legend.append(style)
                }
                line.append(number < letters.count ? letters[number] : "?")
            }
            styleLines.append(line)
        }
        let glyphs = grid.textLines.map { "|" + $0 + "|" }
        let legendLines = legend.enumerated().map { "\(number(of: $0.offset)) \($0.element)" }
        return (["# \(grid.width)×\(grid.height) glyphs"] + glyphs + ["# styles"] + styleLines + ["# legend"] + legendLines)
            .joined(separator: "\n") + "\n"
    }

    private static func number(of index: Int) -> String { index < letters.count ? String(letters[index]) : "?" }

    /// Compares `grid` with golden `name`, or rewrites it in update mode.
    static func expect(_ grid: CellGrid, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".golden")
        let actual = text(of: grid)
        if updating {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not write golden \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no golden \(url.path); run with MASKSCOPE_UPDATE_GOLDENS=1 to write it, then read it", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        // Name the first cells that differ, glyph and style, so a failure reads without a diff tool.
        let want = parse(expected), got = parse(actual)
        var reported = 0
        if want.glyphs.count != got.glyphs.count {
            Issue.record("golden \(name): \(want.glyphs.count) lines, screen has \(got.glyphs.count)", sourceLocation: sourceLocation)
        }
        for y in 0..<min(want.glyphs.count, got.glyphs.count) where reported < 8 {
            let wantGlyphs = Array(want.glyphs[y]), gotGlyphs = Array(got.glyphs[y])
            let wantStyles = Array(want.styles[safe: y] ?? ""), gotStyles = Array(got.styles[safe: y] ?? "")
            if wantGlyphs != gotGlyphs {
                Issue.record("golden \(name) line \(y) glyphs:\n got: \(got.glyphs[y])\nwant: \(want.glyphs[y])", sourceLocation: sourceLocation)
                reported += 1
                continue
            }
            for x in 0..<min(wantStyles.count, gotStyles.count) {
                let w = want.legend[wantStyles[x]] ?? "?", g = got.legend[gotStyles[x]] ?? "?"
                if w != g {
                    Issue.record("golden \(name) cell (\(x), \(y)) '\(gotGlyphs[safe: x].map(String.init) ?? "")' style:\n got: \(g)\nwant: \(w)",
                                 sourceLocation: sourceLocation)
                    reported += 1
                    break
                }
            }
        }
        if reported == 0 { Issue.record("golden \(name) differs (legend order)", sourceLocation: sourceLocation) }
    }

    private static func parse(_ text: String) -> (glyphs: [String], styles: [String], legend: [Character: String]) {
        var glyphs: [String] = [], styles: [String] = [], legend: [Character: String] = [:]
        var section = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# ") {
                section += 1
                continue
            }
            switch section {
            case 1: glyphs.append(String(line.dropFirst().dropLast()))
            case 2: styles.append(String(line))
            case 3:
                if let first = line.first, line.count > 2 { legend[first] = String(line.dropFirst(2)) }
            default: break
            }
        }
        return (glyphs, styles, legend)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Renders `state` and compares the screen with golden `name`, glyph and style.
func expectGolden(_ state: AppState, named name: String, chrome: RenderChrome = .interactive,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    StyledGolden.expect(render(state, chrome: chrome), named: name, sourceLocation: sourceLocation)
}
