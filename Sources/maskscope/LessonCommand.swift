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

        In the explorer: n, PgDn or Space next step; N, PgUp or Backspace previous step (a \
        presentation clicker sends PgDn/PgUp, so while a lesson plays they step instead of \
        scrolling the query rows: the arrows and the mouse wheel scroll). C hides or shows \
        the caption, Z (or --zoom) draws big cells for a projector. Esc never quits a \
        lesson; q asks, a second q quits, any other key stays. Every other key works as \
        usual; edits made in a step come back when you return to it, and a step seen for the \
        first time is shown as written.

        Speaker notes: a step's `notes = \"\"\"…\"\"\"` are never shown on the audience's screen. \
        Run `maskscope lesson --notes FILE` in a second terminal: it follows the presenter's \
        steps live and shows the step number, its notes, the next step's caption and the \
        elapsed time (through a small status file in $XDG_RUNTIME_DIR/maskscope, else \
        /tmp/maskscope-UID). It waits while no presenter plays FILE.

        --export DIR writes slides: step-01.svg … (each step's view as a vector picture under \
        the lesson's title, the step number and the caption) and index.html, which steps \
        through them offline with the arrow keys, Space/Backspace, PgDn/PgUp, Home/End \
        (#N in the address opens step N). A re-run writes the same bytes.

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

    @Flag(help: "Follow the presenter of FILE from a second terminal: its step, speaker notes, the next caption and the elapsed time.")
    var notes = false

    @Option(help: ArgumentHelp("Write one SVG slide per step and an index.html into this folder (created if needed) instead of playing.", valueName: "dir"))
    var export: String?

    @Flag(help: "Projector zoom: big heatmap cells with key labels written across (Z toggles it inside).")
    var zoom = false

    @Option(help: ArgumentHelp("Color theme: a name (\(ThemeCatalog.names.joined(separator: ", "))) or a .toml file.", valueName: "theme"))
    var theme: String?

    func validate() throws {
        let modes = [check ? "--check" : nil, notes ? "--notes" : nil, export != nil ? "--export" : nil].compactMap { $0 }
        if modes.count > 1 { throw ValidationError("\(modes.joined(separator: " and ")) cannot be combined: give one") }
    }

    var url: URL { URL(fileURLWithPath: (file as NSString).expandingTildeInPath) }

    func run() throws {
        if notes {
            try LessonNotes(file: file, url: url).run()
            return
        }
        let loaded = try ErrorReporting.running(command: "lesson") { try modelOptions.load() }
        if let export {
            try LessonExport(file: file, url: url, folder: export, theme: theme).run(model: loaded)
        } else if check {
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
                             message: notice ?? (loaded.isDefaultChoice ? .info(loaded.headline) : nil)).zoomed(zoom)
        // The notes window (`--notes`) follows the steps through a status file; a lesson still
        // plays when no private folder can be had for it, with a warning.
        let presenter = PresenterBroadcast(lessonPath: url.path)
        if let problem = presenter.problem { printToStandardError("warning: \(problem); --notes cannot follow this lesson") }
        let terminal: NCursesTerminal
        do {
            terminal = try NCursesTerminal()
        } catch {
            printToStandardError("Error: \(error)")
            throw ExitCode.failure
        }
        ExplorerLoop(lessonStepObserver: { index, count in presenter.show(step: index, of: count) }).run(state, on: terminal)
        terminal.shutdown()
        presenter.end()
    }
}
