import Foundation
import Testing
@testable import ExplorerUI

@Suite struct ThemeSelectionTests {
    @Test func defaultNamedFileAndNoColor() throws {
        let plain = ThemeSelection.resolve(requested: nil, environment: [:])
        #expect(plain.themes[plain.index].name == "viridis" && plain.warning == nil)
        let magma = ThemeSelection.resolve(requested: "magma", environment: [:])
        #expect(magma.themes[magma.index].name == "magma")
        let noColor = ThemeSelection.resolve(requested: "magma", environment: ["NO_COLOR": "1"])
        #expect(noColor.themes[noColor.index].isMonochrome)
    }

    @Test func aBadThemeFallsBackToTheDefaultWithAVisibleWarning() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).toml")
        try "name = \"broken\"\nscale = [\"#12345G\"]\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let selection = ThemeSelection.resolve(requested: file.path, environment: [:])
        #expect(selection.themes[selection.index].name == "viridis")
        let warning = try #require(selection.warning)
        #expect(warning.kind == .warning)
        #expect(warning.text.contains(file.lastPathComponent))
        let unknown = ThemeSelection.resolve(requested: "magam", environment: [:])
        #expect(unknown.warning?.text.contains("magma") == true, "did-you-mean in the warning")
        // The warning is on the explorer's first screen.
        let state = AppState(explorer: try makeState().explorer, themes: selection.themes, themeIndex: selection.index,
                             colors: .none, message: selection.warning)
        #expect(render(state).textLines[Layout(state: state).semanticsRow].contains("theme not loaded"))
        #expect(render(state).textLines.last?.contains("? help") == true, "the key hints stay on the first screen")
    }
}
