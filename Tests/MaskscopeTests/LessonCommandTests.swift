import Foundation
import Testing

@Suite("maskscope lesson")
struct LessonCommandTests {
    static let lessons = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("lessons")

    /// Writes `text` to a temporary lesson file, runs `body` with its path, then removes it.
    func withLessonFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-\(UUID().uuidString).toml")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    @Test("--check on a shipped lesson: no problems, exit 0")
    func checkGoodLesson() throws {
        let file = Self.lessons.appendingPathComponent("what-does-half-mean.toml").path
        let run = try MaskscopeBinary.run(["lesson", "--check", "--model", "builtin", file])
        #expect(run.status == 0, "\(run.output)\(run.standardError)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "model: builtin (--model builtin)")
        #expect(lines.last?.hasSuffix("what-does-half-mean.toml: 7 steps, 15 claims, no problems") == true)
    }

    @Test("--check on a broken lesson prints each problem with file:line, step and key, exit 1")
    func checkBadLesson() throws {
        let toml = """
        title = "Broken"

        [[step]]
        caption = "fine"
        text = "The quick brown fox jumps over the lazy dog."

        [[step]]
        caption = "no such token"
        mask = "cat=0"

        [[step]]
        caption = "no such view"
        view = "compair"
        """
        try withLessonFile(toml) { path in
            let run = try MaskscopeBinary.run(["lesson", "--check", "--model", "builtin", path])
            #expect(run.status == 1)
            let lines = run.output.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(path):9: step 2 (mask): mask part 'cat=0': no token 'cat' in the text; its tokens are: [CLS] the quick brown fox jumps over the lazy dog . [SEP]"))
            #expect(lines.contains { $0.hasPrefix("\(path):13: step 3 (view): unknown view 'compair' (did you mean 'compare'?)") })
            #expect(lines.last == "\(path): 2 problems")
        }
    }

    @Test("a lesson that cannot be read, or has problems, is not played: exit 1 with the reason")
    func unplayableLessons() throws {
        let missing = try MaskscopeBinary.run(["lesson", "--check", "--model", "builtin", "/nonexistent/lesson.toml"])
        #expect(missing.status == 1)
        #expect(missing.output.contains("/nonexistent/lesson.toml: cannot read lesson file: no such file"))
        try withLessonFile("title = \"t\"\n[[step]]\ncaption = \"c\"\ntext = \"The cat sat.\"\nlayer = 9\n") { path in
            let run = try MaskscopeBinary.run(["lesson", "--model", "builtin", path])
            #expect(run.status == 1)
            #expect(run.standardError.contains("\(path):5: step 1 (layer): layer 9 does not exist: builtin has layers 0…1"))
            #expect(run.standardError.contains("maskscope lesson --check"))
        }
    }
}
