import ArgumentParser
import AttentionCore
import ExplorerUI
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `maskscope render`: the explorer's heatmap view written once, to a terminal or a file.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print one of the explorer's views without opening it: ANSI colors, plain text or an SVG picture.",
        discussion: """
        Draws what 'maskscope explore' shows at the start — title, semantics, tokens with their \
        mask values, the heatmap with token labels on both axes, the legend — with nothing \
        selected and a panel saying what the mask does. ansi and text use the explorer's own \
        layout at --width columns (default: $COLUMNS, else 100) and as many lines as needed to \
        show every query row (or --height). svg draws the view as a vector picture for slides: \
        every weight its own square with a tooltip, closed cells hatched ("masked: weight \
        forced to 0"), partly kept ones dotted, labels on both axes and a legend with the \
        scale's numbers; compare adds the --query row as bars under hf, hf4 and soft, and \
        math (svg only) draws that row's softmax stages as bar charts.

        ansi sends 24-bit colors when COLORTERM is truecolor or 24bit, else the nearest of the \
        256 xterm colors; with NO_COLOR set it sends no escapes at all and weights are shade \
        characters. text is always shade characters. Default: ansi on a terminal, text when \
        standard output is a file or pipe.

        Examples:
          maskscope render --model builtin --mask "quick=1,jumps=0.5,lazy..=0" \\
              --format text "The quick brown fox jumps over the lazy dog."
          maskscope render --theme projector --format svg --layer 2 --head 5 \\
              "The quick brown fox jumps over the lazy dog." > attention.svg
          maskscope render --model builtin --mask "quick=1,jumps=0.5,lazy..=0" --view compare \\
              --query 5 --format svg "The quick brown fox jumps over the lazy dog." > compare.svg
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ansi, text, svg
    }

    /// Wider than this is surely a mistake (and a very large grid).
    static let maximumWidth = 1000
    static let defaultWidth = 100

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Text") var input: TextInput
    @OptionGroup(title: "Mask") var maskOptions: MaskOptions



    @Option(help: ArgumentHelp("Layer shown, 0-based.", valueName: "layer"))
    var layer: Int = 0

    @Option(help: ArgumentHelp("Head shown, 0-based.", valueName: "head"))
    var head: Int = 0

    @Option(help: ArgumentHelp("Color theme: a name (\(ThemeCatalog.names.joined(separator: ", "))) or a .toml file. See 'maskscope themes'.", valueName: "theme"))
    var theme: String?

    @Option(help: ArgumentHelp("What to draw: heatmap, diff (masked − unmasked, mass moved per row), compare (hf, hf4 and soft side by side), overview (every layer × head), effect (output against the unmasked run) or math (the --query row's softmax stages; svg only, its text form is 'maskscope explain').", valueName: "view"))
    var view: ViewArgument = .heatmap

    @Option(help: ArgumentHelp("Query row, 0-based, that compare draws as bars and math explains. Default: 1.", valueName: "query"))
    var query: Int = 1

    @Option(help: ArgumentHelp("Color scale: map (0…the map's largest weight, the explorer's default), absolute (0…1) or row (0…each row's largest weight).", valueName: "scale"))
    var scale: ScaleArgument = .map

    @Flag(help: "Projector zoom for ansi and text: big heatmap cells with key labels written across, as Z and --zoom draw them in the explorer (the map then shows the tokens that fit).")
    var zoom = false

    @Option(help: ArgumentHelp("Output format: ansi, text or svg. Default: ansi on a terminal, else text.", valueName: "format"))
    var format: Format?

    @Option(help: ArgumentHelp("Columns for ansi and text, at least \(Layout.minimumWidth). Default: $COLUMNS, else \(RenderCommand.defaultWidth).", valueName: "columns"))
    var width: Int?

    @Option(help: ArgumentHelp("Lines for ansi and text, at least \(Layout.minimumHeight). Default: enough for every query row.", valueName: "lines"))
    var height: Int?

    func validate() throws {
        if layer < 0 || head < 0 || query < 0 { throw ValidationError("--layer, --head and --query count from 0") }
        if let width { try Self.checkWidth(width, option: "--width") }
        if let height, height < Layout.minimumHeight || height > HeadlessRender.maximumHeight * 10 {
            throw ValidationError("--height must be between \(Layout.minimumHeight) and \(HeadlessRender.maximumHeight * 10) lines (the explorer's smallest layout needs \(Layout.minimumHeight)), not \(height)")
        }
    }

    static func checkWidth(_ width: Int, option: String) throws {
        if width < Layout.minimumWidth || width > maximumWidth {
            throw ValidationError("\(option) must be between \(Layout.minimumWidth) and \(maximumWidth) columns (the explorer's smallest layout needs \(Layout.minimumWidth)), not \(width)")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        try ErrorReporting.run(command: "render") {
            let chosenTheme = try Self.theme(requested: theme)
            let loaded = try modelOptions.load(onePass: true)
            let text = try input.resolvedText()
            let explorer = try maskOptions.explorer(model: loaded.model, text: text, pair: input.pair, padTo: input.padTo, padSide: input.padSide)
            let info = loaded.model.info
            guard layer < info.layerCount, head < info.headCount else {
                throw ValidationError("\(loaded.name) has layers 0…\(info.layerCount - 1) and heads 0…\(info.headCount - 1)")
            }
            loaded.noteDefaultChoiceOnStandardError()
            let format = format ?? (isatty(STDOUT_FILENO) == 1 ? .ansi : .text)
            if format != .svg, view == .math {
                throw ValidationError("--view math is drawn as --format svg; for its numbers as text use 'maskscope explain'")
            }
            guard query < explorer.tokens.count else {
                throw ValidationError("--query \(query) is past the text's \(explorer.tokens.count) tokens (0…\(explorer.tokens.count - 1))")
            }
            let output = try Self.output(format: format, explorer: explorer, theme: chosenTheme, view: view.value, layer: layer, head: head,
                                         query: query,
                                         width: width ?? Self.width(environment: environment), height: height,
                                         scale: scale.value, zoom: zoom, environment: environment)
            var stream = OutputStream.standardOutput
            try stream.append(output)
            try stream.flush()
        }
    }

    /// The whole output for `format`, drawn by the explorer's renderer.
    static func output(format: Format, explorer: Explorer, theme: Theme, view: ExplorerView = .heatmap, layer: Int, head: Int,
                       query: Int = 1, width: Int, height: Int?, scale: WeightScale = .perHead, zoom: Bool = false,
                       environment: [String: String]) throws -> String {
        switch format {
        case .svg:
            let state = HeadlessRender.state(explorer: explorer, theme: theme, colors: .truecolor, width: width, height: height,
                                             layer: layer, head: head, view: view, query: query, scale: scale)
            try ModelOutputError.check(state.result, model: explorer.model.info.name)
            return svgDocument(for: state)
        case .text:
            let state = HeadlessRender.state(explorer: explorer, theme: theme, colors: .none, width: width, height: height,
                                             layer: layer, head: head, view: view, query: query, scale: scale, zoom: zoom)
            try ModelOutputError.check(state.result, model: explorer.model.info.name)
            return PlainTextOutput.text(render(state, chrome: .document))
        case .ansi:
            let colors = ansiColors(environment: environment)
            let state = HeadlessRender.state(explorer: explorer, theme: theme, colors: colors,
                                             width: width, height: height, layer: layer, head: head, view: view,
                                             query: query, scale: scale, zoom: zoom)
            try ModelOutputError.check(state.result, model: explorer.model.info.name)
            let grid = render(state, chrome: .document)
            return AnsiOutput.text(grid, colors: colors, attributes: !noColor(environment))
        }
    }

    /// What an ANSI reader shows: nothing under NO_COLOR, 24-bit when COLORTERM says so, else
    /// the 256-color palette every modern terminal has.
    static func ansiColors(environment: [String: String]) -> ColorCapability {
        if noColor(environment) { return .none }
        return ColorCapability.environmentClaimsTruecolor(environment) ? .truecolor : .palette256
    }

    /// NO_COLOR set to anything but the empty string (no-color.org).
    static func noColor(_ environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }

    /// $COLUMNS when it is a usable width, else `defaultWidth`.
    static func width(environment: [String: String]) -> Int {
        guard let columns = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
              columns >= Layout.minimumWidth, columns <= maximumWidth else { return defaultWidth }
        return columns
    }

    /// The `--theme` argument resolved, or the default theme. A name that is neither a theme
    /// nor a file is a usage error (exit 64); a theme file that cannot be read or parsed is
    /// reported with its file, line and key (exit 1).
    static func theme(requested: String?) throws -> Theme {
        guard let requested else { return ThemeCatalog.default }
        do {
            return try ThemeCatalog.resolve(nameOrPath: requested)
        } catch let error as ThemeError {
            if case .unknownTheme = error { throw ValidationError(error.description) }
            throw ThemeLoadFailure(error: error)
        }
    }
}

/// A theme file that could not be used; printed as the theme error itself.
struct ThemeLoadFailure: Error, CustomStringConvertible {
    let error: ThemeError
    var description: String { "theme not loaded: \(error)" }
}

/// `--scale` values: what the color scale's top stands for.
enum ScaleArgument: String, ExpressibleByArgument, CaseIterable {
    case map, absolute, row

    var value: WeightScale {
        switch self {
        case .map: return .perHead
        case .absolute: return .absolute
        case .row: return .perRow
        }
    }
}

/// `--view` values: the explorer's views that draw as a still picture.
enum ViewArgument: String, ExpressibleByArgument, CaseIterable {
    case heatmap, diff, compare, overview, effect, math

    var value: ExplorerView {
        switch self {
        case .heatmap: return .heatmap
        case .diff: return .diff
        case .compare: return .compare
        case .overview: return .overview
        case .effect: return .effect
        case .math: return .math
        }
    }
}
