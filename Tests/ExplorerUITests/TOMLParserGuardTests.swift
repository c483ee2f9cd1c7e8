import Foundation
import Testing
@testable import ExplorerUI

/// The invalid TOML toml++ asserts on (an abort, found by Fuzz/Targets/ThemeTOMLFuzz) is refused
/// with a position before TOMLKit sees it; everything else still reaches TOMLKit.
struct TOMLParserGuardTests {
    private let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [
        ("[=", 1, 2), ("[[=", 1, 3), ("[ \t=", 1, 4), ("[#", 1, 2), ("[.a]", 1, 2), ("[é]", 1, 2),
        ("[+]", 1, 2), ("[[[a]]]", 1, 3), ("[\n", 1, 2), ("[ \n a]", 1, 3), ("[\\", 1, 2),
        ("d=false\n[c]\ne=[\"\"]\n[=", 4, 2),  // the fuzzer's input, minimised
        ("x = \"\"\"\n[ok\n\"\"\"\n  [=", 4, 4),
        ("tpad_to =1974-05-27Tdim07:3accents", 1, 10), ("a = 1979-05-27", 1, 5), ("a = [1, 07:32:00]", 1, 9),
        ("a = 1979-05-27T07:32:00Z", 1, 5), ("a = { b = 0x }", 1, 11), ("a = [1, 2,\n  tru]", 2, 3), ("a = 01", 1, 5),
        ("\u{FEFF}[\n'''s\u{FEFF}e", 1, 2), ("a = 1__0", 1, 5), ("a = 0x", 1, 5), ("a = 1.", 1, 5), ("a = +0x1", 1, 5),
        ("e=[\"\",}", 1, 7), ("a=[}", 1, 4), ("a=[#]\n}]", 2, 1), ("a=[[}]]", 1, 5), ("a=[{}, }]", 1, 8),
    ])
    func problemIsFound(text: String, line: Int, column: Int) throws {
        let bad = try #require(TOMLParserGuard.firstProblem(in: text))
        #expect(bad.line == line && bad.column == column, "\(text.debugDescription): \(bad)")
    }

    @Test(arguments: [
        "", "[", "[[", "[ ]", "[[ ]]", "[a]", "[ \"quoted key\" ]", "['lit'.b]", "[[step]]\ncaption = \"[=\"",
        "x = [\n[+1, 2],\n[=3]\n]",          // lines of a multi-line array are values, not headers
        "x = \"\"\"\n[=\n\"\"\"", "x = '''\n[=\n'''",  // nor are lines of a multi-line string
        "x = \"\\\"\"\n[a]", "# [=\n[a] # [=",
        "a = [{b = 1}, {c = [2]}]", "a = [true, false, -1, +0.5, 1e-12, 6.02E+23, 1_000, 0xdead_BEEF, 0o17, 0b101, inf, -nan]",
        "1979-05-27 = 1\n[step]\n2024-01 = 2",  // bare keys may look like dates; only values are checked
        "a = { b = [1, 2] }", "\u{FEFF}[a]\nb = 1", "a = [\"}\", '}'] # }",
    ])
    func goodTextIsLeftToTOMLKit(text: String) {
        #expect(TOMLParserGuard.firstProblem(in: text) == nil, "\(text.debugDescription)")
    }

    @Test func themeFileWithTheHeaderGetsAnErrorNotAnAbort() {
        #expect {
            try Theme.parse(toml: "name = \"x\"\n[=", source: "bad.toml")
        } throws: { error in
            guard case let ThemeError.badTOML(source, line, column, reason) = error else { return false }
            return source == "bad.toml" && line == 2 && column == 2 && reason.contains("'='")
                && "\(error)".hasPrefix("bad.toml:2:2: not valid TOML: a table header needs a key")
        }
    }

    @Test func lessonFileWithTheHeaderGetsAnErrorNotAnAbort() {
        #expect {
            try Lesson.parse(toml: "title = \"t\"\n[[ #\n", source: "bad.toml")
        } throws: { error in
            guard case let .badTOML(source, line, column, reason) = error as? LessonError else { return false }
            return source == "bad.toml" && line == 2 && column == 4 && reason.contains("'#'")
        }
    }

    @Test func shippedThemesAndLessonsPass() throws {
        for folder in ["themes", "lessons"] {
            let files = try FileManager.default.contentsOfDirectory(
                at: repository.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            for file in files where file.pathExtension == "toml" {
                #expect(TOMLParserGuard.firstProblem(in: try String(contentsOf: file, encoding: .utf8)) == nil, "\(file.lastPathComponent)")
            }
        }
    }
}
