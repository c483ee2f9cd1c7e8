import AttentionCore
import Foundation
import Testing
@testable import ExplorerUI

private let notedLesson = """
title = "Noted"

[[step]]
caption = "One: the sentence."
notes = \"\"\"
Say hello. Point at row 0.\"\"\"
text = "The quick brown fox jumps over the lazy dog."

[[step]]
caption = "Two: mask the lazy dog."
mask = "lazy..=0"

[[step]]
caption = "Three: hf4 reads 0.5 as closed."
notes = "Ask who expected this."
mask = "jumps=0.5"
semantics = "hf4"
"""

private func presenterState(width: Int = 80, height: Int = 24) throws -> AppState {
    let player = try LessonPlayer(lesson: try Lesson.parse(toml: notedLesson, source: "noted.toml"), model: BuiltinModel.make())
    let state = AppState(lesson: player, colors: .none, width: width, height: height)
    return ExplorerLoop.settle(state, state.initialEffects)
}

/// The step-shown effects among `effects`, as (index, count).
private func stepsShown(_ effects: [Effect]) -> [[Int]] {
    effects.compactMap { if case let .lessonStepShown(index, count) = $0 { return [index, count] } else { return nil } }
}

@Suite struct PresenterKeyTests {
    @Test func escNeverQuitsALessonEvenFromTheHeatmap() throws {
        var state = try presenterState()
        for _ in 0..<5 { state = press(state, .escape) }
        #expect(!state.wantsToQuit)
        #expect(state.message?.text.contains("q twice quits") == true)
    }

    @Test func oneQAsksOnScreenASecondQuits() throws {
        let asked = press(try presenterState(), .character("q"))
        #expect(!asked.wantsToQuit && asked.quitAsked)
        #expect(asked.message == .warning(LessonKeys.quitQuestion))
        #expect(render(asked).textLines.contains { $0.contains("press q again to quit") })
        let (quit, effects) = reduce(asked, .input(.character("q")))
        #expect(quit.wantsToQuit)
        #expect(effects.contains { if case .quit = $0 { return true } else { return false } })
    }

    @Test func anyOtherKeyCancelsTheQuestionAndStillActs() throws {
        let asked = press(try presenterState(), .character("q"))
        let stayed = press(asked, .character("n"))
        #expect(!stayed.wantsToQuit && !stayed.quitAsked)
        #expect(stayed.lesson?.stepIndex == 1, "n after a cancelled q still steps")
        #expect(!press(stayed, .character("q")).wantsToQuit, "the next q asks again")
        #expect(press(asked, .escape).quitAsked == false)
        #expect(press(try presenterState(), .control("c")).wantsToQuit, "Ctrl-C still quits at once")
    }

    @Test func qQuitsAtOnceOutsideALesson() throws {
        #expect(press(try makeState(), .character("q")).wantsToQuit)
    }

    @Test func clickerKeysStep() throws {
        var state = try presenterState()
        state = press(state, .character(" "))
        #expect(state.lesson?.stepIndex == 1)
        state = press(state, .pageDown)
        #expect(state.lesson?.stepIndex == 2)
        state = press(state, .backspace)
        #expect(state.lesson?.stepIndex == 1)
        state = press(state, .pageUp)
        #expect(state.lesson?.stepIndex == 0)
        state = press(state, .character("n"), .character("N"))
        #expect(state.lesson?.stepIndex == 0)
    }

    @Test func everyStepChangeTellsTheNotesWindow() throws {
        let state = try presenterState()
        #expect(stepsShown(state.initialEffects) == [[0, 3]])
        let (next, effects) = reduce(state, .input(.character(" ")))
        #expect(stepsShown(effects) == [[1, 3]])
        let (_, back) = reduce(ExplorerLoop.settle(next, effects), .input(.backspace))
        #expect(stepsShown(back) == [[0, 3]])
        let (_, none) = reduce(state, .input(.character("N")))
        #expect(stepsShown(none).isEmpty, "no step change at the first step, nothing to tell")
        #expect(stepsShown(try makeState().initialEffects).isEmpty)
    }

    @Test func notesAreReadButNeverDrawn() throws {
        let lesson = try Lesson.parse(toml: notedLesson, source: "noted.toml")
        #expect(lesson.steps.map(\.notes) == ["Say hello. Point at row 0.", nil, "Ask who expected this."])
        var state = try presenterState(width: 120, height: 40)
        for _ in 0..<3 {
            let text = render(state).textLines.joined(separator: "\n")
            #expect(!text.contains("Say hello") && !text.contains("Ask who"))
            state = press(state, .character("n"))
        }
        #expect(throws: LessonError.self) {
            try Lesson.parse(toml: "title = \"x\"\n[[step]]\ncaption = \"c\"\ntext = \"a b\"\nnotes = 3\n", source: "bad.toml")
        }
    }
}

@Suite struct ZoomTests {
    @Test func zoomMakesBigCellsWithLabelsAcrossAndFewerTokens() throws {
        let plain = try makeState(width: 80, height: 24)
        let zoomed = press(plain, .character("Z"))
        #expect(zoomed.zoom)
        let before = Layout(state: plain), after = Layout(state: zoomed)
        #expect(after.cellWidth >= Layout.zoomCellWidth && after.rowHeight >= Layout.zoomRowHeight)
        #expect(after.cellWidth > before.cellWidth)
        #expect(after.visibleColumns < before.visibleColumns)
        #expect(after.columnLabelHeight == 1)
        // Labels across: "quick" is one run of text on the line above the mask row.
        let lines = render(zoomed).textLines
        #expect(lines[after.keyMaskRow - 1].contains("quick"))
        #expect(!render(plain).textLines[before.keyMaskRow - 1].contains("quick"))
        #expect(!press(zoomed, .character("Z")).zoom)
    }

    @Test func zoomedSelectionScrollsIntoView() throws {
        var state = press(try makeState(width: 80, height: 24), .character("Z"))
        state = press(state, .end, .character("G"))
        let layout = Layout(state: state)
        #expect(layout.columnX(state.selectedKey, offset: state.columnOffset) != nil)
        state = press(state, .down, .down, .down, .down, .down, .down, .down, .down, .down, .down)
        #expect(layout.rowY(state.selectedQuery, offset: state.rowOffset) != nil)
    }

    @Test func zoomGoldens() throws {
        let small = press(try makeState(width: 80, height: 24, colors: .truecolor), .character("Z"))
        expectGolden(small, named: "zoomTruecolor80x24")
        var projector = try makeState(width: 100, height: 30, colors: .palette256)
        projector = press(projector, .character("t"), .character("Z"))
        while projector.theme.name != "projector" { projector = press(projector, .character("t")) }
        expectGolden(projector, named: "zoomProjector100x30")
        let lesson = press(try presenterState(width: 120, height: 40), .character("n"), .character("Z"))
        expectGolden(lesson, named: "zoomLesson120x40")
    }
}

@Suite struct NotesScreenTests {
    let lesson = Result { () throws(LessonError) -> Lesson in try Lesson.parse(toml: notedLesson, source: "noted.toml") }

    func status(step: Int, steps: Int = 3) -> PresenterReading {
        .live(PresenterStatus(lesson: "/x/noted.toml", pid: 1, step: step, steps: steps, started: 1000))
    }

    @Test func showsStepNotesNextCaptionAndClock() {
        let lines = NotesScreen(lesson: lesson, presenter: status(step: 0), file: "noted.toml", now: 1000 + 125)
            .lines(width: 70, height: 24)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("STEP 1 / 3"))
        #expect(text.contains("02:05 elapsed"))
        #expect(text.contains("Say hello. Point at row 0."))
        #expect(text.contains("NEXT — step 2:\nTwo: mask the lazy dog."))
        #expect(lines.count <= 24 && lines.allSatisfy { DisplayWidth.of($0) <= 70 })
    }

    @Test func aStepWithoutNotesShowsItsCaptionAndTheLastSaysSo() {
        let second = NotesScreen(lesson: lesson, presenter: status(step: 1), file: "noted.toml", now: 1000).lines(width: 70, height: 24)
        #expect(second.contains("(no notes for this step; its caption:)"))
        let last = NotesScreen(lesson: lesson, presenter: status(step: 2), file: "noted.toml", now: 1000).lines(width: 70, height: 24)
        #expect(last.contains("NEXT — nothing: this is the last step."))
        #expect(last.contains("Ask who expected this."))
    }

    @Test func waitsWithoutAPresenterAndSaysWhenItEnded() {
        let none = NotesScreen(lesson: lesson, presenter: .none, file: "noted.toml", now: 0).lines(width: 70, height: 24)
        #expect(none.contains("No presenter is playing this lesson."))
        #expect(none.contains("Waiting…"))
        let ended = NotesScreen(lesson: lesson, presenter: .ended(pid: 4242), file: "noted.toml", now: 0).lines(width: 70, height: 24)
        #expect(ended.joined().contains("The presenter (process 4242) has ended."))
    }

    @Test func anEditedLessonIsFollowedAndABrokenOneSaid() {
        let changed = NotesScreen(lesson: lesson, presenter: status(step: 1, steps: 5), file: "noted.toml", now: 0)
            .lines(width: 70, height: 24).joined(separator: " ")
        #expect(changed.contains("5 steps then, 3 now"))
        let gone = NotesScreen(lesson: lesson, presenter: status(step: 4, steps: 5), file: "noted.toml", now: 0).lines(width: 70, height: 24)
        #expect(gone.contains("Step 5 is no longer in the file."))
        let broken = Result { () throws(LessonError) -> Lesson in try Lesson.parse(toml: "title = ", source: "noted.toml") }
        let text = NotesScreen(lesson: broken, presenter: status(step: 0), file: "noted.toml", now: 0).lines(width: 70, height: 24)
        #expect(text.contains { $0.contains("cannot be read now") })
    }

    @Test func channelWritesReadsAndSeesAStaleFile() throws {
        let runtime = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-channel-\(getpid())")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runtime) }
        let environment = ["XDG_RUNTIME_DIR": runtime.path]
        let channel = try PresenterChannel(lessonPath: "/lessons/a.toml", environment: environment)
        #expect(channel.url.path.hasPrefix(runtime.path + "/maskscope/lesson-"))
        #expect(try PresenterChannel(lessonPath: "/lessons/a.toml", environment: environment).url == channel.url)
        #expect(try PresenterChannel(lessonPath: "/lessons/b.toml", environment: environment).url != channel.url)
        #expect(channel.read() == .none)
        let status = PresenterStatus(lesson: "/lessons/a.toml", pid: getpid(), step: 2, steps: 9, started: 7)
        try channel.write(status)
        #expect(channel.read() == .live(status))
        #expect(channel.read(isAlive: { _ in false }) == .ended(pid: getpid()))
        let attributes = try FileManager.default.attributesOfItem(atPath: runtime.appendingPathComponent("maskscope").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        try Data("{".utf8).write(to: channel.url)
        if case .unreadable = channel.read() {} else { Issue.record("a broken status file reads as unreadable") }
        channel.remove()
        #expect(channel.read() == .none)
    }
}
