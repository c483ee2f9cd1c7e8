import ArgumentParser
import AttentionCore
import ExplorerUI
import Foundation
import Terminal
import Tokenizers

/// The interactive explorer: `maskscope [TEXT]` with no subcommand.
struct ExploreCommand: ParsableCommand {
    static let seedSentence = "The quick brown fox jumps over the lazy dog."

    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the interactive explorer (the default when no command is given).",
        discussion: """
        Shows the tokens, their mask values and the attention heatmap of one layer and head. \
        Change a token's mask with 0, 5, 1, x or +/- and the weights recompute at once; s cycles \
        the semantics (hf, hf4, soft, bias) so you can see what transformers really does with 0.5. \
        Press ? inside for every key.
        """
    )

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Mask") var maskOptions: MaskOptions

    @Argument(help: ArgumentHelp("The sentence to explore.", valueName: "text"))
    var text: String = ExploreCommand.seedSentence

    @Option(help: ArgumentHelp("A second text, encoded as a pair by the tokenizer's template (BERT: [CLS] TEXT [SEP] PAIR [SEP]).", valueName: "text"))
    var pair: String?

    @Option(name: .customLong("pad-to"), help: ArgumentHelp("Append [PAD] tokens (mask 0) until there are N positions.", valueName: "n"))
    var padTo: Int?

    @Option(name: .customLong("pad-side"), help: ArgumentHelp("Where --pad-to's padding goes: right (after the text) or left (before it, as decoder batches are padded).", valueName: "side"))
    var padSide: PaddingSide = .right

    @Option(help: ArgumentHelp("Color theme: a name (\(ThemeCatalog.names.joined(separator: ", "))) or a .toml file. t cycles themes inside.", valueName: "theme"))
    var theme: String?

    @Option(help: ArgumentHelp("Load the whole state (text, model, mask, semantics, view, theme) from FILE if it exists, and save it there on quit. The model can still be overridden with --model.", valueName: "file"))
    var session: String?

    @Option(help: ArgumentHelp("Layer shown first, 0-based.", valueName: "layer"))
    var layer: Int = 0

    @Option(help: ArgumentHelp("Head shown first, 0-based.", valueName: "head"))
    var head: Int = 0

    @Flag(help: "Projector zoom: big heatmap cells with key labels written across, fewer tokens on screen (Z toggles it inside).")
    var zoom = false

    func validate() throws {
        if text == "-" {
            throw ValidationError("the explorer reads keys from the terminal, so it cannot read the text from standard input; pass the text as an argument")
        }
        if let padTo, padTo < 1 { throw ValidationError("--pad-to must be a positive number of token positions, not \(padTo)") }
        if padSide != .right, padTo == nil {
            throw ValidationError("--pad-side \(padSide.rawValue) needs --pad-to N: it says where that padding goes")
        }
        if layer < 0 || head < 0 { throw ValidationError("--layer and --head count from 0") }
    }

    func run() throws {
        let sessionURL = session.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        let (state, modelArgument) = try ErrorReporting.running(command: "explore") { () throws -> (AppState, String) in
            if let sessionURL, FileManager.default.fileExists(atPath: sessionURL.path) {
                let ignored = optionsASessionReplaces
                guard ignored.isEmpty else {
                    throw ValidationError("the session \(sessionURL.path) exists and sets the whole state, so \(ignored.joined(separator: ", ")) would be ignored; leave \(ignored.count == 1 ? "it" : "them") out (only --model applies on top of a session) or give another session file")
                }
                return try Self.resume(sessionURL, model: modelOptions.model)
            }
            let loaded = try modelOptions.load()
            let explorer = try maskOptions.explorer(model: loaded.model, text: text, pair: pair, padTo: padTo, padSide: padSide)
            let info = loaded.model.info
            guard layer < info.layerCount, head < info.headCount else {
                throw ValidationError("\(loaded.name) has layers 0…\(info.layerCount - 1) and heads 0…\(info.headCount - 1)")
            }
            let (themes, themeIndex, notice) = ThemeSelection.resolve(requested: theme, environment: ProcessInfo.processInfo.environment)
            let state = AppState(explorer: explorer, themes: themes, themeIndex: themeIndex, layer: layer, head: head,
                                 message: notice ?? (loaded.isDefaultChoice ? .info(loaded.headline) : nil))
            return (state, loaded.location.argument)
        }
        let terminal = try NCursesTerminal.openForCommand()
        let final = ExplorerLoop().run(zoom ? state.zoomed(true) : state, on: terminal)
        terminal.shutdown()
        if let sessionURL {
            do {
                try final.session(model: modelArgument).save(to: sessionURL)
                printToStandardError("maskscope: session saved to \(sessionURL.path)")
            } catch {
                printToStandardError("Error: the session was not saved: \(error)")
                throw ExitCode.failure
            }
        }
    }

    /// The options given that a resumed session would replace (defaults cannot be told from
    /// values typed equal to them, so those pass).
    var optionsASessionReplaces: [String] {
        var given: [String] = []
        if text != Self.seedSentence { given.append("TEXT") }
        if pair != nil { given.append("--pair") }
        if padTo != nil { given.append("--pad-to") }
        if padSide != .right { given.append("--pad-side") }
        if maskOptions.mask != nil { given.append("--mask") }
        if maskOptions.pattern != nil { given.append("--pattern") }
        if maskOptions.semantics.value != .hf { given.append("--semantics") }
        if theme != nil { given.append("--theme") }
        if layer != 0 { given.append("--layer") }
        if head != 0 { given.append("--head") }
        return given
    }

    /// The state a session file describes; `--model`, when given, replaces the session's model.
    static func resume(_ url: URL, model override: String?) throws -> (AppState, String) {
        let saved = try Session.load(from: url)
        let location = try ModelLocator().locate(override ?? saved.model)
        let model = LoadedModel(location: location, model: try ModelLoader.load(location)).model
        // Under NO_COLOR the terminal reports no colors, so any saved theme draws as shades.
        return (try AppState(session: saved, model: model, source: url), location.argument)
    }
}
