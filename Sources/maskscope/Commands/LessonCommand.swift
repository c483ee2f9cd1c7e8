import ArgumentParser
import AttentionCore
import ExplorerUI
import Foundation
import Terminal

/// `maskscope lesson FILE`: plays a lesson in the explorer; `--check` validates it instead.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Play a lesson (a TOML file of captioned steps) in the explorer, check it, follow it with speaker notes, or export it as slides.",
        discussion: """
        A lesson is a title and [[step]] tables. Each step has a caption and any of: text, \
        pair, pad_to, pad_side ("left" pads before the text), mask (a SPEC applied on top of \
        the step before's mask), pattern, semantics, layer, head, view (heatmap, diff, \
        compare, math, overview, effect), notes \
        and expect. Keys carry over to later steps (notes and expect do not); a new text \
        resets the mask. The shipped lessons are in \
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

        A lesson may name its model (model = "smollm2") and a fallback it also holds on \
        (fallback = "builtin"); --model overrides both. A missing model falls back with a \
        message. A step's expect = [...] holds claims such as "weight(q=5, k=2) == 0 in every \
        head of layer 0" or "top1(after) != top1(before)" (the language is in README, \
        "Checked claims").

        --check plays every step on the model without a terminal, evaluates every claim, and \
        prints each problem as FILE:LINE: step N (KEY): what is wrong, a false claim with the \
        value found. Exit status 0 when the lesson is clean, 1 when it has problems, or when \
        its model is missing and MASKSCOPE_REQUIRE_SMOLLM2=1 / MASKSCOPE_REQUIRE_MINILM=1 \
        requires it.
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
        let declared = Lesson.declaredModels(inFile: url)
        let choice = try ErrorReporting.running(command: "lesson") {
            try LessonModelChoice.resolve(options: modelOptions, lessonModel: declared.model, fallback: declared.fallback)
        }
        if let export {
            try LessonExport(file: file, url: url, folder: export, theme: theme).run(model: choice.loaded)
        } else if check {
            try runCheck(choice)
        } else {
            try play(model: choice.loaded, notes: choice.notes)
        }
    }

    /// Prints every problem and every failing claim; exit 1 when there is one, or when the
    /// lesson's model is missing and CI requires it.
    private func runCheck(_ choice: LessonModelChoice) throws {
        let loaded = choice.loaded
        var problems = choice.lessonHolds
            ? Lesson.problems(inFile: url, model: loaded.model)
            : Lesson.problems(inFile: url, model: nil)
        var stream = OutputStream.standardOutput
        var lines = [choice.headline] + choice.notes.map { "note: \($0)" }
        if let variable = choice.requiredMissing {
            problems.append(LessonProblem(source: url.relativePath, line: nil, step: nil, key: "model",
                                          message: "\(variable)=1 but the lesson's model is not installed, so nothing was checked"))
        }
        let lesson = try? Lesson.load(contentsOf: url)
        let steps = lesson?.steps.count ?? 0
        let claims = lesson?.claimCount ?? 0
        let counted = "\(steps) step\(steps == 1 ? "" : "s"), \(claims) claim\(claims == 1 ? "" : "s")"
        if problems.isEmpty {
            lines.append(choice.lessonHolds
                ? "\(url.relativePath): \(counted), no problems"
                : "\(url.relativePath): \(counted) NOT checked: the file reads well, but its model is missing")
        } else {
            lines += problems.map { $0.description }
            lines.append("\(url.relativePath): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
        }
        try stream.append(lines.joined(separator: "\n") + "\n")
        try stream.flush()
        if !problems.isEmpty { throw ExitCode.failure }
    }

    private func play(model loaded: LoadedModel, notes: [String]) throws {
        let player: LessonPlayer
        do {
            player = try LessonPlayer(lesson: try Lesson.load(contentsOf: url), model: loaded.model)
        } catch {
            let why = notes.map { "note: \($0)\n" }.joined()
            printToStandardError("\(why)Error: the lesson cannot be played on \(loaded.name):\n\(error)\n(see 'maskscope lesson --check \(file)')")
            throw ExitCode.failure
        }
        let (themes, themeIndex, notice) = ThemeSelection.resolve(requested: theme, environment: ProcessInfo.processInfo.environment)
        let state = AppState(lesson: player, themes: themes, themeIndex: themeIndex,
                             message: notes.isEmpty
                                ? notice ?? (loaded.isDefaultChoice ? .info(loaded.headline) : nil)
                                : .info(notes.joined(separator: "; "))).zoomed(zoom)
        // The notes window (`--notes`) follows the steps through a status file; a lesson still
        // plays when no private folder can be had for it, with a warning.
        let presenter = PresenterBroadcast(lessonPath: url.path)
        if let problem = presenter.problem { printToStandardError("warning: \(problem); --notes cannot follow this lesson") }
        let terminal = try NCursesTerminal.openForCommand()
        ExplorerLoop(lessonStepObserver: { index, count in presenter.show(step: index, of: count) }).run(state, on: terminal)
        terminal.shutdown()
        presenter.end()
    }
}
