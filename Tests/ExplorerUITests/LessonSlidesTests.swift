import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import AttentionCore
@testable import ExplorerUI

/// Slides exported from a lesson: one SVG per step that parses as XML, carries its caption and
/// step number, hatches what the step masks (and a decoder's own causal mask, and frames rows
/// left with no key), an index that names every slide, and the same bytes on every run.
@Suite("Lesson slides")
struct LessonSlidesTests {
    /// Text content and class-attributed elements of an SVG, read with Foundation's XMLParser.
    final class SVGReader: NSObject, XMLParserDelegate {
        var classes: [String: Int] = [:]
        var texts: [(className: String?, text: String)] = []
        private var openClass: [String?] = []
        private var current = ""

        static func read(_ svg: String) throws -> SVGReader {
            let reader = SVGReader()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = reader
            guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
            return reader
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if let className = attributes["class"] { classes[className, default: 0] += 1 }
            openClass.append(name == "text" ? attributes["class"] : nil)
            current = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let className = openClass.popLast() ?? nil
            if name == "text" { texts.append((className, current)) }
            current = ""
        }

        func text(ofClass name: String) -> String {
            texts.filter { $0.className == name }.map(\.text).joined(separator: " ")
        }
    }

    static func words(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func player(_ toml: String, model: EncoderModel) throws -> LessonPlayer {
        try LessonPlayer(lesson: try Lesson.parse(toml: toml, source: "test.toml"), model: model)
    }

    /// Checks every property the export promises for `player`'s slides.
    static func check(_ player: LessonPlayer, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let files = LessonSlides.files(for: player, theme: ThemeCatalog.default)
        let slides = files.filter { $0.name.hasSuffix(".svg") }
        #expect(slides.count == player.stepCount, sourceLocation: sourceLocation)
        #expect(files.last?.name == "index.html", sourceLocation: sourceLocation)
        let index = try #require(files.last?.contents)
        for (number, slide) in slides.enumerated() {
            #expect(slide.name == String(format: "step-%02d.svg", number + 1), sourceLocation: sourceLocation)
            #expect(index.contains("src=\"\(slide.name)\""), sourceLocation: sourceLocation)
            let svg = try SVGReader.read(slide.contents)
            let step = player.lesson.steps[number]
            #expect(words(svg.text(ofClass: "slide-caption")) == words(step.caption), "step \(number + 1)", sourceLocation: sourceLocation)
            #expect(svg.text(ofClass: "slide-number") == "\(number + 1) / \(player.stepCount)", sourceLocation: sourceLocation)
            #expect(svg.text(ofClass: "slide-title") == player.lesson.title, sourceLocation: sourceLocation)
            // Where the step (as written) closes a cell by its mask, pattern or padding, the
            // picture hatches cells; where it closes none, no cell is hatched.
            let written = player.writtenStates[number]
            let closures = CellClosureMap(explorer: written.explorer)
            let length = written.explorer.tokens.count
            let closesSomething = (0..<length).contains { q in
                (0..<length).contains { k in
                    let closure = closures.closure(query: q, key: k)
                    return closure.isClosed && closure != .closed(.modelCausal)
                }
            }
            let hatched = (svg.classes["masked"] ?? 0) > 0
            if written.view == .compare {
                // Three semantics side by side: what closes under this one is hatched at least there.
                #expect(!closesSomething || hatched, "step \(number + 1): masked cells", sourceLocation: sourceLocation)
            }
            if [.heatmap, .diff, .overview, .compare, .math].contains(written.view) {
                if written.view != .compare && written.view != .math {
                    #expect(hatched == closesSomething, "step \(number + 1): masked cells", sourceLocation: sourceLocation)
                }
                #expect((svg.classes["causal"] ?? 0 > 0) == written.explorer.model.description.isCausal,
                        "step \(number + 1): the decoder's own mask", sourceLocation: sourceLocation)
            }
            #expect(!slide.contents.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                    "no external references", sourceLocation: sourceLocation)
        }
        #expect(!index.contains("http"), "index.html loads nothing from the network", sourceLocation: sourceLocation)
        #expect(LessonSlides.files(for: player, theme: ThemeCatalog.default) == files, "a second export is identical",
                sourceLocation: sourceLocation)
    }

    @Test func shippedLessonsOnTheBuiltinModel() throws {
        for name in ["what-does-half-mean.toml", "padding-causal-prefix.toml"] {
            let lesson = try Lesson.load(contentsOf: lessonsFolder.appendingPathComponent(name))
            try Self.check(try LessonPlayer(lesson: lesson, model: BuiltinModel.make()))
        }
    }

    static func tinyLlama() throws -> EncoderModel {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama/tiny-llama")
        return try ModelFamilyRegistry.standard.load(
            ModelLocation(choice: .folder(folder.path), folder: folder, name: "tiny-llama", reason: "test"))
    }

    static let decoderLesson = """
    title = "A decoder's masks"

    [[step]]
    caption = "The causal mask: no query sees a later key."
    text = "The quick brown fox jumps over the lazy dog."

    [[step]]
    caption = "Masking the first token leaves row 0 with no key at all."
    mask = "0=0"

    [[step]]
    caption = "A sliding window of 3 on top."
    mask = "0..=1"
    pattern = "window:3"
    view = "diff"

    [[step]]
    caption = "The same under three semantics."
    pattern = "none"
    mask = "3=0.5"
    view = "compare"

    [[step]]
    caption = "The softmax of row 1, stage by stage: keys after it are closed by the model."
    view = "math"

    [[step]]
    caption = "Every layer and head at once."
    view = "overview"
    """

    @Test func aDecoderLessonHatchesItsCausalMaskAndFramesRowsWithNoKey() throws {
        let player = try Self.player(Self.decoderLesson, model: try Self.tinyLlama())
        try Self.check(player)
        let files = LessonSlides.files(for: player, theme: ThemeCatalog.default)
        let second = try SVGReader.read(files[1].contents)
        #expect(second.classes["no-allowed-key"] == 1, "row 0 has no key left: framed")
        #expect(second.classes["legend-no-allowed-key"] == 1)
        #expect(second.texts.contains { $0.className == "query-label" && $0.text.hasSuffix(" !") })
        let first = try SVGReader.read(files[0].contents)
        #expect(first.classes["no-allowed-key"] == nil)
        // The upper triangle: L(L−1)/2 cells closed by the model's own mask.
        let length = player.writtenStates[0].explorer.tokens.count
        #expect(first.classes["causal"] == length * (length - 1) / 2)
    }

    @Test func indexStepsWithTheKeysAndOpensAHash() throws {
        let player = try Self.player(Self.decoderLesson, model: try Self.tinyLlama())
        let index = LessonSlides.index(lesson: player.lesson, slides: ["step-01.svg", "step-02.svg"], theme: ThemeCatalog.default)
        for key in ["ArrowRight", "ArrowLeft", "\" \"", "Backspace", "PageDown", "PageUp", "Home", "End"] {
            #expect(index.contains(key), "\(key)")
        }
        #expect(index.contains("location.hash"))
        #expect(!index.contains("<script src") && !index.contains("<link"))
    }
}
