import ArgumentParser
import ExplorerUI
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The presenter's side of the notes window: writes the step on screen to the lesson's
/// `PresenterChannel` at every step change (the explorer loop calls `show`), removes it on quit.
struct PresenterBroadcast: Sendable {
    let channel: PresenterChannel?
    /// Why there is no channel, for a warning before the explorer starts.
    let problem: String?
    let lessonPath: String
    let started = Int(Date().timeIntervalSince1970)

    init(lessonPath: String) {
        self.lessonPath = PresenterChannel.absolute(lessonPath)
        do {
            channel = try PresenterChannel(lessonPath: lessonPath)
            problem = nil
        } catch {
            channel = nil
            problem = "\(error)"
        }
    }

    /// A write that fails leaves the notes window saying no presenter runs; the lesson goes on.
    func show(step index: Int, of count: Int) {
        try? channel?.write(PresenterStatus(lesson: lessonPath, pid: getpid(), step: index, steps: count, started: started))
    }

    /// Removes the status file unless another presenter of the same lesson has written it
    /// since (two windows playing one file: the one still running keeps its notes).
    func end() {
        guard let channel else { return }
        if case .live(let status) = channel.read(), status.pid != getpid() { return }
        channel.remove()
    }
}

/// Set by SIGINT, SIGTERM or SIGHUP: the notes window ends its loop and restores the cursor.
private let notesStopRequested = Atomic<Bool>(false)

/// `maskscope lesson --notes FILE`: the speaker's window. Polls the presenter's status file
/// and the lesson file (re-read when it changes) five times a second and repaints only what changed.
struct LessonNotes {
    let file: String
    let url: URL

    func run() throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            printToStandardError("Error: \(file): no such file (give the lesson file the presenter plays)")
            throw ExitCode.failure
        }
        let channel: PresenterChannel
        do {
            channel = try PresenterChannel(lessonPath: url.path)
        } catch {
            printToStandardError("Error: \(error)")
            throw ExitCode.failure
        }
        // A parent may hand these down blocked (a blocked mask survives exec): unblock them, or
        // Ctrl-C would never reach the handler and the window could not be closed.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { _ in notesStopRequested.store(true, ordering: .relaxed) }
            sigaddset(&unblock, signalNumber)
        }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        var lesson: Result<Lesson, LessonError> = Self.load(url)
        var stamp = Self.stamp(url)
        var shown = ""
        write("\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        while !notesStopRequested.load(ordering: .relaxed) {
            let now = Self.stamp(url)
            if now != stamp {
                stamp = now
                lesson = Self.load(url)
            }
            let (width, height) = Self.terminalSize()
            let screen = NotesScreen(lesson: lesson, presenter: channel.read(), file: file,
                                     now: Int(Date().timeIntervalSince1970))
            let lines = screen.lines(width: width, height: height)
            let text = "\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J"
            if text != shown {
                write(text)
                shown = text
            }
            usleep(200_000)
        }
        write("\u{1B}[?25h\r\n")
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private static func load(_ url: URL) -> Result<Lesson, LessonError> {
        do { return .success(try Lesson.load(contentsOf: url)) } catch { return .failure(error) }
    }

    /// The lesson file's modification time and size: a change means it was edited.
    private static func stamp(_ url: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        return "\(date) \(size)"
    }

    private static func terminalSize() -> (Int, Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }
}

/// `maskscope lesson --export DIR FILE`: the lesson's slides, written atomically. Slide files
/// of an earlier export that the lesson no longer has are removed, so DIR matches the lesson.
struct LessonExport {
    let file: String
    let url: URL
    let folder: String
    let theme: String?

    func run(model loaded: LoadedModel) throws {
        let player: LessonPlayer
        do {
            player = try LessonPlayer(lesson: try Lesson.load(contentsOf: url), model: loaded.model)
        } catch {
            printToStandardError("Error: the lesson cannot be exported on \(loaded.name):\n\(error)\n(see 'maskscope lesson --check \(file)')")
            throw ExitCode.failure
        }
        // Slides do not depend on the terminal: NO_COLOR and the like are not consulted.
        let chosen: Theme
        do {
            chosen = try theme.map { try ThemeCatalog.resolve(nameOrPath: $0) } ?? ThemeCatalog.default
        } catch {
            printToStandardError("Error: \(error)")
            throw ExitCode.failure
        }
        let files = LessonSlides.files(for: player, theme: chosen)
        let directory = URL(fileURLWithPath: (folder as NSString).expandingTildeInPath)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let names = Set(files.map(\.name))
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in existing where name.hasPrefix("step-") && name.hasSuffix(".svg") && !names.contains(name) {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
            for file in files {
                try AtomicFile.write(Data(file.contents.utf8), to: directory.appendingPathComponent(file.name))
            }
        } catch {
            printToStandardError("Error: cannot write the slides into \(directory.path): \(error)")
            throw ExitCode.failure
        }
        var stream = OutputStream.standardOutput
        try stream.append("""
        \(loaded.headline)
        \(directory.path): \(files.count - 1) slide\(files.count == 2 ? "" : "s") (\(files.first?.name ?? "")…) and index.html

        """)
        try stream.flush()
    }
}
