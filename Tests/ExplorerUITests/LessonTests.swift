import AttentionCore
import Foundation
import Testing
@testable import ExplorerUI

/// The shipped lessons, found from this file: Tests/ExplorerUITests/ → the package root.
let lessonsFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("lessons")

private let threeSteps = """
title = "Three steps"

[[step]]
caption = "One: the sentence."
text = "The quick brown fox jumps over the lazy dog."

[[step]]
caption = \"\"\"
Two: the post's mask \\
under hf.\"\"\"
mask = "quick=1,jumps=0.5,lazy..=0"
layer = 1
head = 2

[[step]]
caption = "Three: hf4 masks jumps."
semantics = "hf4"
view = "diff"
"""

/// One problem of each kind, each in its own step; line numbers are those of the keys.
private let broken = """
title = "Broken"

[[step]]
caption = "fine"
text = "The quick brown fox jumps over the lazy dog."

[[step]]
caption = "a typo in a key"
semantic = "hf4"

[[step]]
caption = "a token that is not in the text"
mask = "cat=0"

[[step]]
caption = "a pattern that does not exist"
pattern = "windw:2"

[[step]]
caption = "no such semantics"
semantics = "hf5"

[[step]]
caption = "no such view"
view = "heatmapp"

[[step]]
caption = "the builtin model has 2 layers"
layer = 7

[[step]]
text = "A step without a caption."

[[step]]
caption = "a mask part with no value"
mask = "jumps"
"""

private func builtin() -> EncoderModel { BuiltinModel.make() }

@Suite struct LessonParsingTests {
    @Test func parsesEveryKeyOfAGoodLesson() throws {
        let lesson = try Lesson.parse(toml: threeSteps, source: "three.toml")
        #expect(lesson.title == "Three steps")
        #expect(lesson.steps.count == 3)
        #expect(lesson.steps[0].text == "The quick brown fox jumps over the lazy dog.")
        #expect(lesson.steps[1].caption == "Two: the post's mask under hf.")
        #expect(lesson.steps[1].mask == (try MaskSpec(parsing: "quick=1,jumps=0.5,lazy..=0")))
        #expect(lesson.steps[1].layer == 1 && lesson.steps[1].head == 2)
        #expect(lesson.steps[1].text == nil)
        #expect(lesson.steps[2].semantics == .hf4)
        #expect(lesson.steps[2].view == .diff)
        // Lines: headers, and keys after a multi-line caption.
        #expect(lesson.steps.map(\.line) == [3, 7, 15])
        #expect(lesson.steps[1].keyLines["mask"] == 11)
        #expect(lesson.steps[2].keyLines["view"] == 18)
        #expect(lesson.check(model: builtin()).isEmpty)
    }

    @Test func badTOMLNamesTheLine() {
        #expect(throws: LessonError.self) { try Lesson.parse(toml: "title = \"x\"\n[[step]]\ncaption = \"unclosed\n", source: "bad.toml") }
        do {
            _ = try Lesson.parse(toml: "title = \"x\"\n[[step]]\ncaption = \"unclosed\n", source: "bad.toml")
        } catch {
            guard case let .badTOML(source, line, _, _) = error else {
                Issue.record("expected badTOML, got \(error)")
                return
            }
            #expect(source == "bad.toml")
            #expect(line == 3)
            #expect(error.description.hasPrefix("bad.toml:3"))
        }
    }

    @Test func everyBrokenStepIsReportedWithItsNumberKeyAndLine() {
        let problems = Lesson.problems(inTOML: broken, source: "broken.toml", model: builtin())
        let found = problems.map { "\($0.step.map(String.init) ?? "-") \($0.key ?? "-") \($0.line.map(String.init) ?? "-")" }
        #expect(found == [
            "2 semantic 9", "3 mask 13", "4 pattern 17", "5 semantics 21", "6 view 25", "7 layer 29", "8 caption 31", "9 mask 36",
        ])
        func message(step: Int) -> String { problems.first { $0.step == step }?.description ?? "" }
        #expect(message(step: 2).contains("unknown key") && message(step: 2).contains("did you mean 'semantics'?"))
        #expect(message(step: 3) == "broken.toml:13: step 3 (mask): mask part 'cat=0': no token 'cat' in the text; its tokens are: [CLS] the quick brown fox jumps over the lazy dog . [SEP]")
        #expect(message(step: 4).contains("unknown name 'windw'"))
        #expect(message(step: 5).contains("unknown semantics 'hf5'") && message(step: 5).contains("'hf4'"))
        #expect(message(step: 6).contains("did you mean 'heatmap'?"))
        #expect(message(step: 7).contains("builtin has layers 0…1"))
        #expect(message(step: 8).contains("missing"))
        #expect(message(step: 9).contains("'jumps=0'"))
    }

    @Test func parseReportsEverythingThatNeedsNoModel() {
        do {
            _ = try Lesson.parse(toml: broken, source: "broken.toml")
            Issue.record("a broken lesson parsed")
        } catch {
            guard case .invalid(let problems) = error else {
                Issue.record("expected invalid, got \(error)")
                return
            }
            // The token 'cat' and layer 7 need the model; the rest does not.
            #expect(problems.compactMap(\.step) == [2, 4, 5, 6, 8, 9])
        }
    }

    @Test func fileLevelProblems() {
        let problems = Lesson.problems(inTOML: "titel = \"x\"\n", source: "empty.toml", model: builtin())
        #expect(problems.contains { $0.key == "titel" && $0.description.contains("did you mean 'title'?") })
        #expect(problems.contains { $0.key == "title" && $0.message.contains("missing") })
        #expect(problems.contains { $0.key == "step" && $0.message.contains("no steps") })
        let noText = Lesson.problems(inTOML: "title = \"x\"\n[[step]]\ncaption = \"c\"\nmask = \"1=0\"\n", source: "t.toml", model: builtin())
        #expect(noText.map(\.description) == ["t.toml:2: step 1: the first step must set 'text' (the sentence the lesson starts from)"])
    }

    @Test func stepsInheritTheTextAndTheMask() throws {
        let lesson = try Lesson.parse(toml: threeSteps, source: "three.toml")
        let states = lesson.stepStates(model: builtin()).states
        #expect(states.count == 3)
        #expect(states[2].explorer.text == states[0].explorer.text)
        #expect(states[2].explorer.mask == states[1].explorer.mask)
        #expect(states[1].explorer.mask[5] == 0.5)
        #expect(states[2].explorer.semantics == .hf4)
        #expect(states[2].layer == 1 && states[2].head == 2 && states[2].view == .diff)
        #expect(states[0].view == .heatmap && states[0].layer == 0)
    }

    /// `pad_side = "left"` pads before the text and carries over, like `pad_to`; a later
    /// step can move the padding back; an unknown side is a problem on its line.
    @Test func padSidePutsThePaddingBeforeTheText() throws {
        let toml = """
        title = "Padding"

        [[step]]
        caption = "left"
        text = "the quick fox"
        pad_to = 8
        pad_side = "left"

        [[step]]
        caption = "a new text keeps the side"
        text = "the lazy dog"

        [[step]]
        caption = "right again"
        pad_side = "right"
        """
        let lesson = try Lesson.parse(toml: toml, source: "pad.toml")
        #expect(lesson.steps[0].padSide == .left && lesson.steps[1].padSide == nil)
        let (states, problems) = lesson.stepStates(model: builtin())
        #expect(problems.isEmpty, "\(problems)")
        #expect(states.count == 3)
        #expect(states[0].explorer.encoding.isPadding.prefix(3) == [true, true, true])
        #expect(states[0].explorer.mask == [0, 0, 0, 1, 1, 1, 1, 1])
        #expect(states[1].explorer.tokens.prefix(3) == ["[PAD]", "[PAD]", "[PAD]"] && states[1].explorer.tokens[5] == "lazy")
        #expect(states[2].explorer.encoding.isPadding == [false, false, false, false, false, true, true, true])

        let wrong = Lesson.problems(inTOML: toml.replacingOccurrences(of: "pad_side = \"left\"", with: "pad_side = \"lft\""),
                                    source: "pad.toml", model: builtin())
        #expect(wrong.map(\.description) == ["pad.toml:7: step 1 (pad_side): unknown side 'lft' (did you mean 'left'?); use one of 'right', 'left'"],
                "\(wrong)")
    }

    @Test func aCarriedMaskThatANewSemanticsRefusesIsReportedUnderSemantics() {
        let toml = """
        title = "t"
        [[step]]
        caption = "bias values"
        text = "The cat sat."
        semantics = "bias"
        mask = "cat=-2"
        [[step]]
        caption = "soft takes no negative values"
        semantics = "soft"
        """
        let problems = Lesson.problems(inTOML: toml, source: "t.toml", model: builtin())
        #expect(problems.count == 1)
        #expect(problems.first?.step == 2 && problems.first?.key == "semantics")
        #expect(problems.first?.message.contains("carried over") == true)
    }

    @Test func aPatternThatNoLongerFitsANewTextIsReported() {
        let toml = """
        title = "t"
        [[step]]
        caption = "long"
        text = "The quick brown fox jumps over the lazy dog."
        pattern = "padding:8"
        [[step]]
        caption = "short"
        text = "Hi."
        """
        let problems = Lesson.problems(inTOML: toml, source: "t.toml", model: builtin())
        #expect(problems.map { "\($0.step ?? 0) \($0.key ?? "")" } == ["2 text"])
        #expect(problems.first?.message.contains("padding:8") == true)
    }

    /// Every file in lessons/ checks clean, claims included, on the built-in model when the
    /// lesson allows it (`fallback = "builtin"`) and on MiniLM (when installed) for MiniLM
    /// lessons. SmolLM2 lessons are checked through the binary (`LessonClaimsCommandTests`).
    @Test func shippedLessonsCheckClean() throws {
        let files = try FileManager.default.contentsOfDirectory(at: lessonsFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
        #expect(files.count >= 6)
        let miniLM = (try? ModelLocator().locate("minilm")).flatMap { try? ModelLoader.load($0) }
        var checked = 0
        for file in files {
            let lesson = try Lesson.load(contentsOf: file)
            #expect(lesson.steps.count >= 3, "\(file.lastPathComponent)")
            #expect(lesson.claimCount >= lesson.steps.count / 2, "\(file.lastPathComponent) has too few claims")
            var models: [EncoderModel] = []
            if lesson.model == nil || lesson.fallback == "builtin" { models.append(builtin()) }
            if lesson.model == "minilm", let miniLM { models.append(miniLM) }
            for model in models {
                let problems = Lesson.problems(inFile: file, model: model)
                #expect(problems.isEmpty, "\(file.lastPathComponent) on \(model.info.name):\n\(problems.map(\.description).joined(separator: "\n"))")
                checked += 1
            }
        }
        #expect(checked >= 2)
    }

    /// The captions' claims, in every layer and head of the built-in model (MiniLM was checked
    /// the same way with `maskscope attention` when the lesson was written).
    @Test func theHalfLessonShowsWhatItsCaptionsSay() throws {
        let lesson = try Lesson.load(contentsOf: lessonsFolder.appendingPathComponent("what-does-half-mean.toml"))
        let states = lesson.stepStates(model: builtin()).states
        func maps(_ explorer: Explorer) throws -> AttentionMaps { try #require(explorer.recompute()).attention }
        let jumps = 5
        let hf = try maps(states[1].explorer), hf4 = try maps(states[2].explorer), soft = try maps(states[3].explorer)
        var jumpsAtOne = states[1].explorer
        try jumpsAtOne.setMask(at: jumps, to: 1)
        #expect(try maps(jumpsAtOne) == hf, "under hf, 0.5 is the same as 1")
        for layer in 0..<hf.layerCount {
            for head in 0..<hf.headCount {
                for query in 0..<hf.length {
                    let kept = hf.weight(layer: layer, head: head, query: query, key: jumps)
                    let softened = soft.weight(layer: layer, head: head, query: query, key: jumps)
                    #expect(hf4.weight(layer: layer, head: head, query: query, key: jumps) == 0)
                    #expect(softened > 0 && softened < kept)
                    for key in 8..<hf.length { #expect(hf.weight(layer: layer, head: head, query: query, key: key) == 0) }
                }
            }
        }
        #expect(states[4].view == .compare)
        #expect(states[5].explorer.mask == Array(repeating: 1, count: hf.length))
    }
}

@Suite struct LessonPlayerTests {
    @Test func escNeverEndsALesson() throws {
        var state = try lessonState()
        state = press(state, .character("n"), .escape, .escape)
        #expect(!state.wantsToQuit)
        #expect(state.lesson?.stepIndex == 1)
        state = press(state, .character("?"), .escape)
        #expect(state.overlay == .none && !state.wantsToQuit)
        #expect(!press(state, .character("q")).wantsToQuit)
        #expect(press(state, .character("q"), .character("q")).wantsToQuit)
    }

    func lessonState(width: Int = 80, height: Int = 24) throws -> AppState {
        let player = try LessonPlayer(lesson: try Lesson.parse(toml: threeSteps, source: "three.toml"), model: builtin())
        let state = AppState(lesson: player, colors: .none, width: width, height: height)
        return ExplorerLoop.settle(state, state.initialEffects)
    }

    @Test func nAndShiftNStepForwardAndBack() throws {
        var state = try lessonState()
        #expect(state.lesson?.stepIndex == 0)
        #expect(state.explorer.mask.allSatisfy { $0 == 1 })
        state = press(state, .character("n"))
        #expect(state.lesson?.stepIndex == 1)
        #expect(state.explorer.mask[5] == 0.5 && state.layer == 1 && state.head == 2)
        #expect(state.result != nil && !state.recomputePending)
        state = press(state, .character("n"))
        #expect(state.explorer.semantics == .hf4 && state.view == .diff)
        state = press(state, .character("n"))
        #expect(state.lesson?.stepIndex == 2)
        #expect(state.message?.text.contains("last step") == true)
        state = press(state, .character("N"), .character("N"))
        #expect(state.lesson?.stepIndex == 0)
        #expect(state.explorer.mask.allSatisfy { $0 == 1 } && state.layer == 0 && state.view == .heatmap)
        state = press(state, .character("N"))
        #expect(state.lesson?.stepIndex == 0)
        #expect(state.message?.text.contains("first step") == true)
    }

    @Test func pageDownAndPageUpStepLikeAClicker() throws {
        var state = try lessonState()
        state = press(state, .pageDown)
        #expect(state.lesson?.stepIndex == 1)
        state = press(state, .pageUp)
        #expect(state.lesson?.stepIndex == 0)
    }

    @Test func lessonKeysDoNothingSpecialOutsideALesson() throws {
        let state = press(try makeState(), .character("n"))
        #expect(state.lesson == nil)
        #expect(state.message?.text.contains("maskscope lesson") == true)
    }

    @Test func revisitingAStepRestoresItsEditedState() throws {
        var state = try lessonState()
        state = press(state, .character("n"))
        // Edit inside step 2: mask 'the' (position 1), change semantics, layer and head.
        state = press(state, .home, .right, .character("0"), .character("s"), .character("["), .character(">"))
        let edited = (mask: state.explorer.mask, semantics: state.explorer.semantics, layer: state.layer, head: state.head)
        #expect(edited.mask[1] == 0 && edited.semantics == .hf4 && edited.layer == 0 && edited.head == 3)
        // Step 3 seen for the first time is as written, not built on the edits.
        state = press(state, .character("n"))
        #expect(state.explorer.mask[1] == 1 && state.layer == 1 && state.head == 2)
        state = press(state, .character("N"))
        #expect(state.explorer.mask == edited.mask && state.explorer.semantics == edited.semantics)
        #expect(state.layer == edited.layer && state.head == edited.head)
        #expect(state.undoStack.isEmpty)
        // Step 1 was left untouched, so it comes back as written.
        state = press(state, .character("N"))
        #expect(state.explorer.mask.allSatisfy { $0 == 1 } && state.explorer.semantics == .hf)
    }

    @Test func captionBoxShowsStepTitleCaptionAndKeys() throws {
        let state = try lessonState()
        let lines = render(state).textLines
        let titleRow = try #require(lines.firstIndex { $0.contains("step 1 of 3 — Three steps") })
        #expect(lines[titleRow + 1].contains("One: the sentence."))
        #expect(lines[titleRow + 2].contains(LessonKeys.hint))
        #expect(lines[titleRow + 2].contains("└"))
        #expect(titleRow + 3 == lines.count - 1, "the box sits right above the hint line")
        let second = render(press(state, .character("n"))).textLines
        #expect(second.contains { $0.contains("step 2 of 3") })
        #expect(second.contains { $0.contains("Two: the post's mask under hf.") })
    }

    @Test func capitalCHidesAndShowsTheCaption() throws {
        var state = press(try lessonState(), .character("C"))
        #expect(state.lesson?.captionVisible == false)
        var lines = render(state).textLines
        #expect(!lines.contains { $0.contains("One: the sentence.") })
        #expect(lines.last?.contains("step 1 of 3 · C caption") == true)
        state = press(state, .character("C"))
        lines = render(state).textLines
        #expect(lines.contains { $0.contains("One: the sentence.") })
    }

    @Test func longCaptionsWrapAndAreCutWithAnEllipsis() {
        let caption = (1...80).map { "word\($0)" }.joined(separator: " ")
        let lines = lessonCaptionLines(caption, width: 30, maxLines: 4)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 30 })
        #expect(lines.last?.hasSuffix("…") == true)
        #expect(lessonCaptionLines("first\nsecond", width: 30, maxLines: 4) == ["first", "second"])
    }
}
