import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Counts the elements of an XML document by their `class` attribute; `parse` fails on
/// anything that is not well-formed XML.
private final class ClassCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var root: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        if root == nil { root = name }
        if let className = attributes["class"] { counts[className, default: 0] += 1 }
    }

    static func parse(_ data: Data) -> ClassCounter? {
        let counter = ClassCounter()
        let parser = XMLParser(data: data)
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }
}

@Suite("maskscope render and themes")
struct RenderCommandTests {
    static let themeNames = ["viridis", "magma", "cividis", "grayscale", "projector", "mono"]
    static let seedTokenCount = 12

    @Test("--format text draws the explorer's view of the seed sentence in shade characters")
    func textRender() throws {
        let run = try MaskscopeBinary.run(["render", "--model", "builtin", "--mask", "quick=1,jumps=0.5,lazy..=0",
                                           "--theme", "mono", "--width", "100", "--format", "text", MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(!run.output.contains("\u{1B}"))
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(lines.first?.contains("builtin") == true)
        #expect(lines.contains { $0.contains("[CLS] the quick brown fox jumps over the lazy dog .") })
        #expect(lines.contains { $0.contains("×0") })
        // Every query row is there, the last one included, and the legend closes the picture.
        for (position, token) in ["[CLS]", "the", "quick", "brown", "fox", "jumps"].enumerated() {
            #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(position) \(token)") })
        }
        #expect(lines.contains { $0.hasPrefix("11 [SEP]") })
        #expect(lines.contains { $0.contains("█") })
        #expect(lines.dropLast().last?.contains("weight 0") == true)
        #expect(!run.output.contains("Selected cell"))
    }

    @Test("--width sets the picture's width; --height below the minimum is a usage error")
    func widthAndHeight() throws {
        let wide = try MaskscopeBinary.run(["render", "--model", "builtin", "--format", "text", "--width", "140", MaskscopeBinary.sentence])
        #expect(wide.status == 0, "\(wide.standardError)")
        let longest = wide.output.split(separator: "\n").map(\.count).max() ?? 0
        #expect(longest > 100 && longest <= 140)
        let narrow = try MaskscopeBinary.run(["render", "--model", "builtin", "--width", "40", MaskscopeBinary.sentence])
        #expect(narrow.status == 64)
        #expect(narrow.standardError.contains("--width") && narrow.standardError.contains("60"))
        let short = try MaskscopeBinary.run(["render", "--model", "builtin", "--height", "5", MaskscopeBinary.sentence])
        #expect(short.status == 64)
        #expect(short.standardError.contains("--height"))
    }

    @Test("--format svg is well-formed XML with one rect per weight")
    func svgRender() throws {
        let run = try MaskscopeBinary.run(["render", "--model", "builtin", "--format", "svg", "--layer", "1", "--head", "2",
                                           MaskscopeBinary.sentence])
        #expect(run.status == 0, "\(run.standardError)")
        let counter = try #require(ClassCounter.parse(run.standardOutput), "not well-formed XML")
        #expect(counter.root == "svg")
        #expect(counter.counts["weight"] == Self.seedTokenCount * Self.seedTokenCount)
        #expect(counter.counts["key-label"] == Self.seedTokenCount)
        #expect(counter.counts["query-label"] == Self.seedTokenCount)
        #expect(run.output.contains("layer 1 of 2"))
    }

    @Test("--format ansi: 24-bit under COLORTERM=truecolor, 256 colors otherwise, no escapes under NO_COLOR")
    func ansiRender() throws {
        let arguments = ["render", "--model", "builtin", "--format", "ansi", MaskscopeBinary.sentence]
        let truecolor = try MaskscopeBinary.run(arguments, environment: ["COLORTERM": "truecolor", "NO_COLOR": ""])
        #expect(truecolor.status == 0, "\(truecolor.standardError)")
        #expect(truecolor.output.contains("\u{1B}[0;38;2;") && truecolor.output.contains(";48;2;"))
        let palette = try MaskscopeBinary.run(arguments, environment: ["COLORTERM": "", "NO_COLOR": ""])
        #expect(palette.output.contains("48;5;"))
        #expect(!palette.output.contains("48;2;"))
        let noColor = try MaskscopeBinary.run(arguments, environment: ["COLORTERM": "truecolor", "NO_COLOR": "1"])
        #expect(noColor.status == 0)
        #expect(!noColor.output.contains("\u{1B}"))
        #expect(noColor.output.contains("[CLS]"))
    }

    @Test("a theme file with an error fails with the file, line and key; an unknown name is a usage error")
    func badTheme() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken-theme.toml")
        try "name = \"broken\"\ndescription = \"x\"\nbackgorund = \"#000000\"\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try MaskscopeBinary.run(["render", "--model", "builtin", "--theme", file.path, MaskscopeBinary.sentence])
        #expect(run.status != 0)
        #expect(run.output.isEmpty)
        #expect(run.standardError.contains("broken-theme.toml:3"))
        #expect(run.standardError.contains("backgorund"))

        let unknown = try MaskscopeBinary.run(["render", "--model", "builtin", "--theme", "viridiss", MaskscopeBinary.sentence])
        #expect(unknown.status == 64)
        #expect(unknown.standardError.contains("viridis"))
    }

    @Test("themes lists every shipped theme with a swatch and its description")
    func themesTable() throws {
        let run = try MaskscopeBinary.run(["themes"], environment: ["NO_COLOR": "1"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == Self.themeNames.count)
        for name in Self.themeNames {
            #expect(lines.contains { $0.hasPrefix(name + " ") && $0.contains("█") }, "\(name) missing")
        }
        #expect(!run.output.contains("\u{1B}"))
    }

    @Test("themes --format json gives each theme's colors")
    func themesJSON() throws {
        let run = try MaskscopeBinary.run(["themes", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let themes = try #require((try? JSONSerialization.jsonObject(with: run.standardOutput)) as? [[String: Any]])
        #expect(Set(themes.compactMap { $0["name"] as? String }) == Set(Self.themeNames))
        for theme in themes {
            let scale = try #require(theme["scale"] as? [String])
            #expect(scale.count >= 2 && scale.allSatisfy { $0.hasPrefix("#") && $0.count == 7 })
            #expect((theme["description"] as? String)?.isEmpty == false)
        }
        #expect(themes.first { $0["name"] as? String == "mono" }?["monochrome"] as? Bool == true)
    }
}

@Suite("maskscope render: the mask's marking and the color scale")
struct RenderMaskMarkingTests {
    @Test("text and ansi hatch the closed cells and say so in the legend; --scale picks the scale")
    func hatchAndScale() throws {
        for format in ["text", "ansi"] {
            let run = try MaskscopeBinary.run(["render", "--model", "builtin", "--pattern", "causal", "--format", format,
                                               "--width", "140", MaskscopeBinary.sentence], environment: ["COLORTERM": "truecolor"])
            #expect(run.status == 0, "\(run.standardError)")
            let text = String(decoding: run.standardOutput, as: UTF8.self)
            #expect(text.contains("╱╱╱╱"), "\(format): closed cells hatched")
            #expect(text.contains("masked: weight forced to 0"), "\(format)")
            #expect(text.contains("scale 0…max of this map") && !text.contains("f: absolute"), "\(format): the default scale, no key reminder")
        }
        let absolute = try MaskscopeBinary.run(["render", "--model", "builtin", "--scale", "absolute", "--format", "text",
                                                "--width", "140", MaskscopeBinary.sentence])
        #expect(String(decoding: absolute.standardOutput, as: UTF8.self).contains("scale 0…1 absolute"))
        let bad = try MaskscopeBinary.run(["render", "--model", "builtin", "--scale", "log", MaskscopeBinary.sentence])
        #expect(bad.status != 0)
    }
}
