import Foundation

/// The speaker's screen (`maskscope lesson --notes FILE`), a pure function of what it knows:
/// the step on the audience's screen and its number, the elapsed time, that step's notes and
/// the next step's caption. Plain lines, at most `width` columns and `height` lines.
public struct NotesScreen: Sendable {
    /// The lesson as the file on disk reads now, or why it cannot be read.
    public var lesson: Result<Lesson, LessonError>
    public var presenter: PresenterReading
    /// The lesson file as given on the command line, for the waiting message.
    public var file: String
    /// Now, seconds since 1970.
    public var now: Int

    public init(lesson: Result<Lesson, LessonError>, presenter: PresenterReading, file: String, now: Int) {
        self.lesson = lesson
        self.presenter = presenter
        self.file = file
        self.now = now
    }

    public func lines(width: Int, height: Int) -> [String] {
        let width = max(20, width)
        var lines: [String] = []
        let title: String
        switch lesson {
        case .success(let loaded): title = loaded.title
        case .failure: title = file
        }
        lines.append(DisplayWidth.truncate("Speaker notes — \(title)", toWidth: width))
        switch presenter {
        case .none:
            lines += waiting("No presenter is playing this lesson.", width: width)
        case .ended(let pid):
            lines += waiting("The presenter (process \(pid)) has ended.", width: width)
        case .unreadable(let reason):
            lines += waiting("Cannot read the presenter's status: \(reason).", width: width)
        case .live(let status):
            lines += live(status, width: width, height: height - 1)
        }
        lines.append("")
        lines.append(DisplayWidth.truncate("Ctrl-C closes this window; the presenter goes on.", toWidth: width))
        if lines.count > height, height > 1 {
            lines = Array(lines.prefix(height - 1)) + [lines[lines.count - 1]]
        }
        return lines
    }

    private func waiting(_ what: String, width: Int) -> [String] {
        [""] + wrap(what, width: width)
            + wrap("Start it in another terminal: maskscope lesson \(file) — these notes follow its steps.", width: width)
            + ["", "Waiting…"]
    }

    private func live(_ status: PresenterStatus, width: Int, height: Int) -> [String] {
        let elapsed = max(0, now - status.started)
        let clock = String(format: "%02d:%02d", elapsed / 60, elapsed % 60)
        var lines = [DisplayWidth.truncate("STEP \(status.step + 1) / \(status.steps)   ·   \(clock) elapsed", toWidth: width)]
        lines.append(String(repeating: "─", count: width))
        let loaded: Lesson
        switch lesson {
        case .success(let value): loaded = value
        case .failure(let error):
            lines.append("The lesson file cannot be read now (notes shown again once it can):")
            lines += "\(error)".split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(String($0), width: width) }
            return lines
        }
        if loaded.steps.count != status.steps {
            lines += wrap("The lesson file changed since the presenter loaded it (\(status.steps) steps then, \(loaded.steps.count) now): notes follow the file on disk.", width: width)
        }
        guard loaded.steps.indices.contains(status.step) else {
            lines.append("Step \(status.step + 1) is no longer in the file.")
            return lines
        }
        let step = loaded.steps[status.step]
        lines.append("NOTES")
        if let notes = step.notes, !notes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            lines += paragraphs(notes, width: width)
        } else {
            lines.append("(no notes for this step; its caption:)")
            lines += paragraphs(step.caption, width: width)
        }
        lines.append("")
        if loaded.steps.indices.contains(status.step + 1) {
            lines.append("NEXT — step \(status.step + 2):")
            let next = paragraphs(loaded.steps[status.step + 1].caption, width: width)
            let room = max(1, height - lines.count - 3)
            lines += next.count > room ? Array(next.prefix(room - 1)) + ["…"] : next
        } else {
            lines.append("NEXT — nothing: this is the last step.")
        }
        return lines
    }

    /// `text` wrapped to `width`, its own line breaks kept.
    private func paragraphs(_ text: String, width: Int) -> [String] {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { line -> [String] in
                let words = line.split(separator: " ").joined(separator: " ")
                return words.isEmpty ? [""] : wrap(words, width: width)
            }
    }
}
