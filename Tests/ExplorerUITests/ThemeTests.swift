import Foundation
import Testing
@testable import ExplorerUI

/// The repository's themes/ folder, the editable source of truth for the shipped themes.
private let themesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes")

private let shippedNames = ["cividis", "grayscale", "magma", "mono", "projector", "viridis"]

/// A complete, valid theme; tests break one thing in it at a time.
private let validTheme = """
name = "test"
description = "A theme for tests."

[colors]
background = "#000000"
foreground = "#ffffff"
scale = ["#000000", "#808080", "#ffffff"]

[accents]
selection = "#ff0000"
masked = "#444444"
warning = "#ffff00"
label = "#eeeeee"
dim = "#888888"

[diverging]
negative = "#0000ff"
neutral = "#111111"
positive = "#ff8800"
"""

private func parseError(_ toml: String, source: String = "my.toml") -> ThemeError? {
    do {
        _ = try Theme.parse(toml: toml, source: source)
        return nil
    } catch let error as ThemeError {
        return error
    } catch {
        return nil
    }
}

@Suite("Theme loading and catalog")
struct ThemeLoadingTests {
    @Test func validThemeParses() throws {
        let theme = try Theme.parse(toml: validTheme, source: "my.toml")
        #expect(theme.name == "test")
        #expect(theme.scale.stops == [RGB(red: 0, green: 0, blue: 0), RGB(red: 128, green: 128, blue: 128), RGB(red: 255, green: 255, blue: 255)])
        #expect(theme.accents.selection == RGB(red: 255, green: 0, blue: 0))
        #expect(theme.diverging.positive == RGB(red: 255, green: 136, blue: 0))
        #expect(theme.boldLabels == false && theme.largeLegend == false && theme.isMonochrome == false)
        #expect(theme.glyphRamp.text == " ░▒▓█")
    }

    @Test(arguments: shippedNames)
    func everyShippedFileLoads(name: String) throws {
        let theme = try Theme.load(contentsOf: themesFolder.appendingPathComponent("\(name).toml"))
        #expect(theme.name == name)
        #expect(!theme.description.isEmpty)
        #expect(ThemeCatalog.named(name) == theme)
    }

    @Test func catalogHasEveryShippedThemeAndViridisIsDefault() throws {
        #expect(ThemeCatalog.names.sorted() == shippedNames)
        #expect(ThemeCatalog.default.name == "viridis")
        #expect(ThemeCatalog.named("MAGMA")?.name == "magma")
        #expect(ThemeCatalog.named("nope") == nil)
    }

    @Test func shippedThemeFilesMatchTheCopiesCompiledIn() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: themesFolder.path)
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(BundledThemes.texts.map(\.name).sorted() == onDisk, "run: sh themes/bundle-themes.sh")
        for entry in BundledThemes.texts {
            let file = try String(contentsOf: themesFolder.appendingPathComponent("\(entry.name).toml"), encoding: .utf8)
            #expect(entry.toml == file, "themes/\(entry.name).toml differs from BundledThemes.swift; run: sh themes/bundle-themes.sh")
        }
    }

    @Test func projectorAndMonoCarryTheirFlags() throws {
        let projector = try #require(ThemeCatalog.named("projector"))
        #expect(projector.boldLabels && projector.largeLegend && !projector.isMonochrome)
        #expect(OKLab(projector.background).lightness > 0.9, "projector needs a light background")
        let mono = try #require(ThemeCatalog.named("mono"))
        #expect(mono.isMonochrome)
        #expect(mono.cellColor(mono.accents.warning) == .default)
        #expect(mono.glyph(forWeight: 0) == " " && mono.glyph(forWeight: 1) == "█")
    }

    @Test func didYouMeanCountsASwapAsOneEdit() {
        #expect(editDistance("magam", "magma") == 1)
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(closestMatch(to: "magam", in: ThemeCatalog.names) == "magma")
        #expect(closestMatch(to: "xyz", in: ThemeCatalog.names) == nil)
    }

    @Test func resolveTakesANameOrAPath() throws {
        #expect(try ThemeCatalog.resolve(nameOrPath: "cividis").name == "cividis")
        let path = themesFolder.appendingPathComponent("magma.toml").path
        #expect(try ThemeCatalog.resolve(nameOrPath: path).name == "magma")
        #expect(throws: ThemeError.self) { try ThemeCatalog.resolve(nameOrPath: "/no/such/theme.toml") }
    }

    @Test func unknownThemeNameSuggestsTheClosest() {
        do {
            _ = try ThemeCatalog.resolve(nameOrPath: "virdis")
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("'virdis'") && message.contains("Did you mean 'viridis'?") && message.contains("projector"))
        }
    }
}

@Suite("Theme errors")
struct ThemeErrorTests {
    @Test func badTOMLNamesFileLineAndColumn() throws {
        let broken = validTheme.replacingOccurrences(of: "dim = \"#888888\"", with: "dim = \"#888888")
        let error = try #require(parseError(broken))
        guard case let .badTOML(source, line, _, _) = error else { Issue.record("got \(error)"); return }
        #expect(source == "my.toml")
        #expect(line == 14)
        #expect(error.description.hasPrefix("my.toml:14:"))
    }

    @Test func unknownTopLevelKeySuggestsTheKnownOne() throws {
        let error = try #require(parseError(validTheme.replacingOccurrences(of: "description =", with: "descripton =")))
        #expect(error == .unknownKey(source: "my.toml", line: 2, key: "descripton", suggestion: "description"))
        #expect(error.description.contains("my.toml:2:") && error.description.contains("'descripton'") && error.description.contains("did you mean 'description'?"))
    }

    @Test func unknownKeyInATableNamesTheTable() throws {
        let error = try #require(parseError(validTheme.replacingOccurrences(of: "selection =", with: "selecton =")))
        #expect(error == .unknownKey(source: "my.toml", line: 10, key: "accents.selecton", suggestion: "accents.selection"))
    }

    @Test func keyInTheWrongTableSuggestsTheRightOne() throws {
        let moved = validTheme.replacingOccurrences(of: "[colors]\n", with: "[colors]\nwarning = \"#ffff00\"\n")
        let error = try #require(parseError(moved))
        #expect(error == .unknownKey(source: "my.toml", line: 5, key: "colors.warning", suggestion: "accents.warning"))
    }

    @Test func tableKeyAtTopLevelSuggestsItsTable() throws {
        let error = try #require(parseError("scale = [\"#000000\", \"#ffffff\"]\n" + validTheme))
        #expect(error == .unknownKey(source: "my.toml", line: 1, key: "scale", suggestion: "colors.scale"))
    }

    @Test func unknownKeyFarFromAnyHasNoSuggestion() throws {
        let error = try #require(parseError("sparkles = true\n" + validTheme))
        #expect(error == .unknownKey(source: "my.toml", line: 1, key: "sparkles", suggestion: nil))
        #expect(!error.description.contains("did you mean"))
    }

    @Test func badHexInAScaleNamesTheStopAndItsLine() throws {
        let broken = validTheme.replacingOccurrences(
            of: "scale = [\"#000000\", \"#808080\", \"#ffffff\"]",
            with: "scale = [\n  \"#000000\",\n  \"#12345G\",\n  \"#ffffff\",\n]")
        let error = try #require(parseError(broken))
        #expect(error == .badHex(source: "my.toml", line: 9, key: "colors.scale[1]", value: "#12345G"))
        #expect(error.description.contains("my.toml:9:") && error.description.contains("\"#12345G\"") && error.description.contains("#rrggbb"))
    }

    @Test(arguments: ["#12345G", "#1234567", "123456", "#fff", "", "red"])
    func badHexAccentIsRejected(value: String) throws {
        let error = try #require(parseError(validTheme.replacingOccurrences(of: "masked = \"#444444\"", with: "masked = \"\(value)\"")))
        #expect(error == .badHex(source: "my.toml", line: 11, key: "accents.masked", value: value))
    }

    @Test(arguments: [("[\"#000000\"]", 1), ("[]", 0)])
    func scaleNeedsTwoStops(scale: String, count: Int) throws {
        let error = try #require(parseError(validTheme.replacingOccurrences(of: "[\"#000000\", \"#808080\", \"#ffffff\"]", with: scale)))
        #expect(error == .tooFewStops(source: "my.toml", line: 7, key: "colors.scale", count: count))
        #expect(error.description.contains("my.toml:7:") && error.description.contains("at least 2"))
    }

    @Test func missingKeyInAPresentTablePointsAtTheTable() throws {
        let error = try #require(parseError(validTheme.replacingOccurrences(of: "foreground = \"#ffffff\"\n", with: "")))
        #expect(error == .missingKey(source: "my.toml", line: 4, key: "colors.foreground"))
        #expect(error.description == "my.toml:4: missing required key 'colors.foreground'")
    }

    @Test func missingTopLevelKeyAndMissingTable() throws {
        let noName = try #require(parseError(validTheme.replacingOccurrences(of: "name = \"test\"\n", with: "")))
        #expect(noName == .missingKey(source: "my.toml", line: nil, key: "name"))
        let noDiverging = validTheme.components(separatedBy: "[diverging]")[0]
        #expect(parseError(noDiverging) == .missingKey(source: "my.toml", line: nil, key: "diverging"))
    }

    @Test func wrongTypesAreNamed() throws {
        let flag = try #require(parseError(validTheme.replacingOccurrences(of: "description = \"A theme for tests.\"", with: "description = \"x\"\nbold_labels = \"yes\"")))
        #expect(flag == .wrongType(source: "my.toml", line: 3, key: "bold_labels", expected: "true or false", found: "string \"yes\""))
        let color = try #require(parseError(validTheme.replacingOccurrences(of: "background = \"#000000\"", with: "background = 0")))
        #expect(color == .wrongType(source: "my.toml", line: 5, key: "colors.background", expected: "a \"#rrggbb\" string", found: "integer 0"))
        #expect(color.description.contains("my.toml:5:") && color.description.contains("'colors.background'") && color.description.contains("integer"))
        let stop = try #require(parseError(validTheme.replacingOccurrences(of: "\"#808080\"", with: "128")))
        if case let .wrongType(_, line, key, _, _) = stop { #expect(line == 7 && key == "colors.scale[1]") } else { Issue.record("got \(stop)") }
        let scale = try #require(parseError(validTheme.replacingOccurrences(of: "[\"#000000\", \"#808080\", \"#ffffff\"]", with: "\"#000000\"")))
        if case let .wrongType(_, line, key, _, _) = scale { #expect(line == 7 && key == "colors.scale") } else { Issue.record("got \(scale)") }
        let withoutAccents = validTheme.replacingOccurrences(
            of: "[accents]\nselection = \"#ff0000\"\nmasked = \"#444444\"\nwarning = \"#ffff00\"\nlabel = \"#eeeeee\"\ndim = \"#888888\"\n", with: "")
        let table = try #require(parseError("accents = 3\n" + withoutAccents))
        #expect(table == .wrongType(source: "my.toml", line: 1, key: "accents", expected: "a table ([accents])", found: "integer 3"))
    }

    @Test func badValues() throws {
        let twoLines = try #require(parseError(validTheme.replacingOccurrences(of: "\"A theme for tests.\"", with: "\"line one\\nline two\"")))
        #expect(twoLines == .badValue(source: "my.toml", line: 2, key: "description", reason: "must be a single line"))
        let oneGlyph = try #require(parseError("glyphs = \"#\"\n" + validTheme))
        if case let .badValue(_, line, key, _) = oneGlyph { #expect(line == 1 && key == "glyphs") } else { Issue.record("got \(oneGlyph)") }
        let wide = try #require(parseError("glyphs = \" 🟦🟩\"\n" + validTheme))
        #expect(wide.description.contains("my.toml:1:") && wide.description.contains("'glyphs'") && wide.description.contains("U+1F7E6"))
        let spacedName = try #require(parseError(validTheme.replacingOccurrences(of: "name = \"test\"", with: "name = \"my theme\"")))
        if case let .badValue(_, line, key, _) = spacedName { #expect(line == 1 && key == "name") } else { Issue.record("got \(spacedName)") }
    }

    @Test func unreadableFileNamesThePath() {
        #expect(throws: ThemeError.unreadable(source: "/no/such/dir/t.toml", reason: "no such file")) {
            try Theme.load(contentsOf: URL(fileURLWithPath: "/no/such/dir/t.toml"))
        }
    }

    @Test func loadNamesTheFileInErrors() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-theme-\(UUID().uuidString).toml")
        try validTheme.replacingOccurrences(of: "#ff0000", with: "#ff00").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try Theme.load(contentsOf: url)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasPrefix("\(url.path):10:"))
        }
    }
}
