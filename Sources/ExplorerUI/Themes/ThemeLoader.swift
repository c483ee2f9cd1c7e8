import Foundation
import Tokenizers
import TOMLKit

extension Theme {
    /// Reads and validates a theme file. Errors name `url.path`, the line and the key.
    public static func load(contentsOf url: URL) throws -> Theme {
        let source = url.path
        guard FileManager.default.fileExists(atPath: source) else {
            throw ThemeError.unreadable(source: source, reason: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ThemeError.unreadable(source: source, reason: FileReadProblem.reason(for: url, error: error))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError.unreadable(source: source, reason: "not UTF-8 text")
        }
        return try parse(toml: text, source: source)
    }

    /// Parses and validates theme TOML. `source` names the text in error messages (a path, or
    /// "themes/viridis.toml (built in)"). Unknown keys are errors, so typos do not pass silently.
    public static func parse(toml: String, source: String) throws -> Theme {
        if let bad = TOMLParserGuard.firstProblem(in: toml) {
            throw ThemeError.badTOML(source: source, line: bad.line, column: bad.column, reason: bad.reason)
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw ThemeError.badTOML(
                source: source, line: error.source.begin.line, column: error.source.begin.column,
                reason: error.description)
        }
        return try ThemeReader(source: source, text: toml, root: root).theme()
    }
}

/// The theme file format: which keys each table has. The documentation of each key is the
/// comment block at the top of themes/viridis.toml.
enum ThemeSchema {
    static let topLevel = ["name", "description", "monochrome", "bold_labels", "large_legend", "glyphs", "colors", "accents", "diverging"]
    static let tables: [String: [String]] = [
        "colors": ["background", "foreground", "scale"],
        "accents": ["selection", "masked", "warning", "label", "dim"],
        "diverging": ["negative", "neutral", "positive"],
    ]
}

/// Walks a parsed TOML table, turning each problem into a `ThemeError` with file, line and key.
private struct ThemeReader {
    let source: String
    let locator: TOMLKeyLocator
    let root: TOMLTable

    init(source: String, text: String, root: TOMLTable) {
        self.source = source
        locator = TOMLKeyLocator(text: text)
        self.root = root
    }

    func theme() throws -> Theme {
        try rejectUnknownKeys()
        let name = try string(["name"])
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ThemeError.badValue(
                source: source, line: line(["name"]), key: "name",
                reason: "\"\(name)\" must be a non-empty word of letters, digits, '-' or '_' (it is typed after --theme)")
        }
        let description = try string(["description"])
        guard !description.contains(where: \.isNewline) else {
            throw ThemeError.badValue(source: source, line: line(["description"]), key: "description", reason: "must be a single line")
        }
        let colors = try table("colors")
        let accents = try table("accents")
        let diverging = try table("diverging")
        return Theme(
            name: name,
            description: description,
            scale: try scale(colors),
            background: try color(colors, ["colors", "background"]),
            foreground: try color(colors, ["colors", "foreground"]),
            accents: ThemeAccents(
                selection: try color(accents, ["accents", "selection"]),
                masked: try color(accents, ["accents", "masked"]),
                warning: try color(accents, ["accents", "warning"]),
                label: try color(accents, ["accents", "label"]),
                dim: try color(accents, ["accents", "dim"])),
            diverging: DivergingScale(
                negative: try color(diverging, ["diverging", "negative"]),
                neutral: try color(diverging, ["diverging", "neutral"]),
                positive: try color(diverging, ["diverging", "positive"])),
            boldLabels: try bool(["bold_labels"]) ?? false,
            largeLegend: try bool(["large_legend"]) ?? false,
            glyphRamp: try glyphRamp(),
            isMonochrome: try bool(["monochrome"]) ?? false
        )
    }

    // MARK: keys

    /// Reports the unknown key that comes first in the file.
    private func rejectUnknownKeys() throws {
        var unknown: [[String]] = root.keys.filter { !ThemeSchema.topLevel.contains($0) }.map { [$0] }
        for (tableName, known) in ThemeSchema.tables {
            guard let table = root[tableName]?.table else { continue }
            unknown += table.keys.filter { !known.contains($0) }.map { [tableName, $0] }
        }
        guard let first = unknown.min(by: { (line($0) ?? Int.max) < (line($1) ?? Int.max) }) else { return }
        throw ThemeError.unknownKey(
            source: source, line: line(first), key: first.joined(separator: "."), suggestion: suggestion(for: first))
    }

    /// A known key the unknown `path` was probably meant to be: a close spelling in the same
    /// table, or the same key in the table where it belongs (`colors.warning` → `accents.warning`).
    private func suggestion(for path: [String]) -> String? {
        guard let key = path.last else { return nil }
        let tableName = path.count > 1 ? path[0] : nil
        let known = tableName.flatMap { ThemeSchema.tables[$0] } ?? ThemeSchema.topLevel
        if let close = closestMatch(to: key, in: known) {
            return tableName.map { "\($0).\(close)" } ?? close
        }
        return ThemeSchema.tables.first { $0.value.contains(key) }.map { "\($0.key).\(key)" }
    }

    private func line(_ path: [String]) -> Int? {
        locator.line(ofKey: path)
    }

    private func value(_ path: [String]) -> TOMLValueConvertible? {
        var current: TOMLValueConvertible? = root
        for part in path {
            current = current?.table?[part]
        }
        return current
    }

    private func required(_ path: [String]) throws -> TOMLValueConvertible {
        guard let value = value(path) else {
            throw ThemeError.missingKey(source: source, line: line(path), key: path.joined(separator: "."))
        }
        return value
    }

    private func wrongType(_ path: [String], expected: String, found value: TOMLValueConvertible, key: String? = nil) -> ThemeError {
        let shown: String
        switch value.type {
        case .table, .array: shown = "a \(value.type)"
        default: shown = "\(value.type) \(value.debugDescription)"
        }
        return .wrongType(source: source, line: line(path), key: key ?? path.joined(separator: "."), expected: expected, found: shown)
    }

    private func string(_ path: [String]) throws -> String {
        let value = try required(path)
        guard let text = value.string else { throw wrongType(path, expected: "a string", found: value) }
        return text
    }

    private func bool(_ path: [String]) throws -> Bool? {
        guard let value = value(path) else { return nil }
        guard let flag = value.bool else { throw wrongType(path, expected: "true or false", found: value) }
        return flag
    }

    private func table(_ name: String) throws -> TOMLTable {
        let value = try required([name])
        guard let table = value.table else { throw wrongType([name], expected: "a table ([\(name)])", found: value) }
        return table
    }

    // MARK: values

    private func color(_ table: TOMLTable, _ path: [String]) throws -> RGB {
        guard let last = path.last, let value = table[last] else {
            throw ThemeError.missingKey(source: source, line: line(path), key: path.joined(separator: "."))
        }
        guard let text = value.string else { throw wrongType(path, expected: "a \"#rrggbb\" string", found: value) }
        return try rgb(text, path: path, key: path.joined(separator: "."))
    }

    private func rgb(_ text: String, path: [String], key: String) throws -> RGB {
        guard let color = RGB(hex: text) else {
            let keyLine = line(path)
            let valueLine = keyLine.flatMap { locator.line(containing: text, from: $0) } ?? keyLine
            throw ThemeError.badHex(source: source, line: valueLine, key: key, value: text)
        }
        return color
    }

    private func scale(_ colors: TOMLTable) throws -> ColorScale {
        let path = ["colors", "scale"]
        guard let value = colors["scale"] else {
            throw ThemeError.missingKey(source: source, line: line(path), key: "colors.scale")
        }
        guard let array = value.array else {
            throw wrongType(path, expected: "an array of \"#rrggbb\" strings, weight 0 first", found: value)
        }
        var stops: [RGB] = []
        for (index, element) in array.enumerated() {
            let key = "colors.scale[\(index)]"
            guard let text = element.string else {
                throw wrongType(path, expected: "a \"#rrggbb\" string", found: element, key: key)
            }
            stops.append(try rgb(text, path: path, key: key))
        }
        guard let scale = ColorScale(stops: stops) else {
            throw ThemeError.tooFewStops(source: source, line: line(path), key: "colors.scale", count: stops.count)
        }
        return scale
    }

    private func glyphRamp() throws -> GlyphRamp {
        guard let value = value(["glyphs"]) else { return .blocks }
        guard let text = value.string else { throw wrongType(["glyphs"], expected: "a string of shade characters", found: value) }
        if let bad = GlyphRamp.firstGlyphNotOneColumn(in: text) {
            let code = bad.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            throw ThemeError.badValue(
                source: source, line: line(["glyphs"]), key: "glyphs",
                reason: "\"\(bad)\" (\(code)) is \(DisplayWidth.of(bad)) columns wide; every shade must take exactly one column")
        }
        guard let ramp = GlyphRamp(text) else {
            throw ThemeError.badValue(
                source: source, line: line(["glyphs"]), key: "glyphs",
                reason: "\"\(text)\" has \(text.count) character\(text.count == 1 ? "" : "s"); give at least 2, least ink first (e.g. \" ░▒▓█\")")
        }
        return ramp
    }
}
