import ArgumentParser
import AttentionCore
import ExplorerUI
import Foundation
import Terminal

/// `maskscope lesson FILE`: plays a lesson in the explorer; `--check` validates it instead.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Play a lesson (a TOML file of captioned steps) in the explorer, or check one.",
        discussion: """
        A lesson is a title and [[step]] tables. Each step has a caption and any of: text, \
        pair, pad_to, mask (a SPEC applied on top of the step before's mask), pattern, \
        semantics, layer, head, view (heatmap, diff, compare, math, overview, effect). Keys \
        carry over to later steps; a new text resets the mask. The shipped lessons are in \
        lessons/.

        In the explorer: n next step, N previous step, C hides or shows the caption. Every \
        other key works as usual (PgUp/PgDn still scroll the query rows); edits made in a step \
        come back when you return to it, and a step seen for the first time is shown as \
        written.

        --check plays every step on the model without a terminal and prints each problem as \
        FILE:LINE: step N (KEY): what is wrong. Exit status 0 when the lesson is clean, 1 when \
        it has problems.
        """
    )

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Argument(help: ArgumentHelp("The lesson file (.toml).", valueName: "file"))
    var file: String

    @Flag(help: "Check the lesson against the model and print every problem instead of playing it.")
    var check = false

    @Option(help: ArgumentHelp("Color theme: a name (\(ThemeCatalog.names.joined(separator: ", "))) or a .toml file.", valueName: "theme"))
    var theme: String?

    var url: URL { URL(fileURLWithPath: (file as NSString).expandingTildeInPath) }

    func run() throws {
        let loaded = try ErrorReporting.running(command: "lesson") { try modelOptions.load() }
        if check {
            try runCheck(model: loaded)
        } else {
            try play(model: loaded)
        }
    }

    private func runCheck(model loaded: LoadedModel) throws {
        let problems = Lesson.problems(inFile: url, model: loaded.model)
        var stream = OutputStream.standardOutput
        var lines = [loaded.headline]
        if problems.isEmpty {
            let steps = (try? Lesson.load(contentsOf: url).steps.count) ?? 0
            lines.append("\(url.relativePath): \(steps) step\(steps == 1 ? "" : "s"), no problems")
        } else {
            lines += problems.map(\.description)
            lines.append("\(url.relativePath): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
        }
        try stream.append(lines.joined(separator: "\n") + "\n")
        try stream.flush()
        if !problems.isEmpty { throw ExitCode.failure }
    }

    private func play(model loaded: LoadedModel) throws {
        let player: LessonPlayer
        do {
            player = try LessonPlayer(lesson: try Lesson.load(contentsOf: url), model: loaded.model)
        } catch {
            printToStandardError("Error: the lesson cannot be played on \(loaded.name):\n\(error)\n(see 'maskscope lesson --check \(file)')")
            throw ExitCode.failure
        }
        let (themes, themeIndex, notice) = ThemeSelection.resolve(requested: theme, environment: ProcessInfo.processInfo.environment)
        let state = AppState(lesson: player, themes: themes, themeIndex: themeIndex,
                             message: notice ?? (loaded.isDefaultChoice ? .info(loaded.headline) : nil))
        let terminal: NCursesTerminal
        do {
            terminal = try NCursesTerminal()
        } catch {
            printToStandardError("Error: \(error)")
            throw ExitCode.failure
        }
        ExplorerLoop().run(state, on: terminal)
        terminal.shutdown()
    }
}
