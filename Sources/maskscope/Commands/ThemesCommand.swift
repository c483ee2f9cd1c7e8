import ArgumentParser
import ExplorerUI
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `maskscope themes`: the shipped color themes, each with a sample of its heatmap scale.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the built-in color themes with a swatch of each heatmap scale.",
        discussion: """
        Each line: the theme's name (for --theme), its scale from weight 0 (left) to weight 1 \
        (right), and what it is for. On a terminal the swatch is in color (24-bit when COLORTERM \
        is truecolor or 24bit, else 256 colors); with NO_COLOR, in a file or a pipe it is the \
        shade characters the theme falls back to. A theme file of your own works too: \
        --theme path/to/theme.toml (every key is described in themes/viridis.toml).

        JSON output: [{"name", "description", "monochrome", "background", "foreground", \
        "scale" (color stops, weight 0 first), "glyphs"}], colors as "#rrggbb".
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    static let swatchWidth = 24

    @Option(help: "Output format: table (for reading) or json (for scripts).")
    var format: Format = .table

    func run() throws {
        var stream = OutputStream.standardOutput
        switch format {
        case .table:
            let environment = ProcessInfo.processInfo.environment
            let colors = isatty(STDOUT_FILENO) == 1 ? RenderCommand.ansiColors(environment: environment) : .none
            try stream.append(Self.table(ThemeCatalog.all, colors: colors).map { $0 + "\n" }.joined())
            try stream.flush()
        case .json:
            var json = JSONOutput(stream: stream)
            try json.beginArray()
            for theme in ThemeCatalog.all {
                try json.beginObject()
                try json.key("name"); try json.string(theme.name)
                try json.key("description"); try json.string(theme.description)
                try json.key("monochrome"); try json.bool(theme.isMonochrome)
                try json.key("background"); try json.string(theme.background.hex)
                try json.key("foreground"); try json.string(theme.foreground.hex)
                try json.key("scale"); try json.strings(theme.scale.stops.map(\.hex))
                try json.key("glyphs"); try json.string(theme.glyphRamp.text)
                try json.endObject()
            }
            try json.endArray()
            try json.finish()
        }
    }

    /// One line per theme: name, swatch (ANSI-colored unless `colors` is `.none`), description.
    static func table(_ themes: [Theme], colors: ColorCapability) -> [String] {
        let nameWidth = themes.map { DisplayWidth.of($0.name) }.max() ?? 0
        return themes.map { theme in
            let sample = AnsiOutput.line(theme.swatch(width: swatchWidth, colors: colors), colors: colors,
                                         trimmingTrailingBlanks: false)
            return DisplayWidth.pad(theme.name, toWidth: nameWidth) + "  " + sample + "  " + theme.description
        }
    }
}
