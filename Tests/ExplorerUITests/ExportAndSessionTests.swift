import AttentionCore
import Foundation
import Testing
import Tokenizers
@testable import ExplorerUI

@Suite struct ExportAndSessionTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func wWritesTheViewAndTheMaskUnderUnusedNamesAndSaysWhere() throws {
        let state = press(try makeState(), .right, .right, .right, .character("0"))
        let (_, effects) = reduce(state, .input(.character("w")))
        guard case .export(let files)? = effects.first else { Issue.record("w did not export"); return }
        #expect(files.map(\.fileExtension) == ["svg", "mask"])
        #expect(files[0].baseName == "maskscope-the-quick-brown-l0h0-hf")
        #expect(files[0].contents.hasPrefix("<?xml") || files[0].contents.hasPrefix("<svg"))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loop = ExplorerLoop(exportFolder: folder)
        let first = loop.write(files)
        let second = loop.write(files)
        #expect(first.text.contains("maskscope-the-quick-brown-l0h0-hf.svg"))
        #expect(second.text.contains("maskscope-the-quick-brown-l0h0-hf-2.svg"))
        #expect(first.text.contains(folder.path))
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(written == ["maskscope-the-quick-brown-l0h0-hf-2.mask", "maskscope-the-quick-brown-l0h0-hf-2.svg",
                            "maskscope-the-quick-brown-l0h0-hf.mask", "maskscope-the-quick-brown-l0h0-hf.svg"],
                "no temporary files are left behind")
        // The preset loads back to the same mask.
        let preset = try String(contentsOf: folder.appendingPathComponent("maskscope-the-quick-brown-l0h0-hf.mask"), encoding: .utf8)
        let mask = try MaskSpec(preset: preset).apply(to: Array(repeating: 1, count: state.tokenCount), tokens: state.tokens)
        #expect(mask == state.explorer.mask)
        // The loop reports where the files went on the second status line; the key hints stay.
        let noticed = reduce(state, .notice(first)).0
        #expect(render(noticed).textLines[Layout(state: noticed).semanticsRow].contains("wrote") == true)
        #expect(render(noticed).textLines.last?.contains("? help") == true)
    }

    @Test func writingIntoAMissingFolderIsAWarningNotACrash() throws {
        let loop = ExplorerLoop(exportFolder: URL(fileURLWithPath: "/nonexistent-maskscope-folder"))
        let message = loop.write(try makeState().exportFiles)
        #expect(message.kind == .warning)
        #expect(message.text.contains("/nonexistent-maskscope-folder"))
    }

    @Test func sessionsRoundTripTheWholeState() throws {
        var state = press(try makeState(), .right, .character("5"), .character("s"), .character("]"),
                          .character(">"), .character("a"), .character("t"), .down)
        state = press(state, .character("z"))
        let session = state.session(model: "builtin")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lecture.json")
        try session.save(to: file)
        let loaded = try Session.load(from: file)
        #expect(loaded == session)
        let resumed = try AppState(session: loaded, model: BuiltinModel.make(), source: file)
        #expect(resumed.explorer.mask == state.explorer.mask)
        #expect(resumed.explorer.semantics == .hf4)
        #expect(resumed.layer == 1 && resumed.head == 1 && resumed.meanOfHeads && resumed.dense)
        #expect(resumed.theme.name == state.theme.name)
        #expect(resumed.selectedKey == state.selectedKey && resumed.selectedQuery == state.selectedQuery)
    }

    /// Left padding is kept by a session; a file written before `pad_side` existed (no key)
    /// pads on the right, as it did then.
    @Test func aSessionKeepsWhereThePaddingGoes() throws {
        let explorer = try Explorer(model: BuiltinModel.make(), text: "the quick fox", padTo: 8, padSide: .left)
        let session = AppState(explorer: explorer).session(model: "builtin")
        #expect(session.padSide == .left)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("left.json")
        try session.save(to: file)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("\"pad_side\""))
        let resumed = try AppState(session: try Session.load(from: file), model: BuiltinModel.make(), source: file)
        #expect(resumed.explorer.padSide == .left && resumed.explorer.encoding == explorer.encoding)
        #expect(resumed.explorer.mask.prefix(3) == [0, 0, 0])

        var older = session
        older.padSide = nil
        let right = try AppState(session: older, model: BuiltinModel.make(), source: file)
        #expect(right.explorer.padSide == .right && right.explorer.encoding.isPadding.last == true)
        #expect(AppState(explorer: right.explorer).session(model: "builtin").padSide == nil)
    }

    @Test(arguments: [
        ("{ not json", "not valid JSON"),
        ("{\"version\": 1}", "is missing"),
        ("{\"version\": 1, \"text\": 5}", "wrong type"),
    ])
    func aCorruptSessionIsAClearErrorAndTheFileIsLeftAlone(contents: String, message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken.json")
        try contents.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try Session.load(from: file)
            Issue.record("a corrupt session loaded")
        } catch let error as SessionError {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.contains(file.path))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == contents)
    }

    @Test func aSessionWhoseMaskDoesNotFitItsModelIsRefused() throws {
        var session = try makeState().session(model: "builtin")
        session.mask = [1, 1]
        #expect(throws: SessionError.self) {
            try AppState(session: session, model: BuiltinModel.make(), source: URL(fileURLWithPath: "/tmp/s.json"))
        }
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ViewExportTests {
    /// Counts elements by name while checking the document parses as XML.
    final class Counter: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            counts[name, default: 0] += 1
        }
    }

    @Test func wExportsTheViewOnScreenAsItsOwnPicture() throws {
        let state = press(try makeState(width: 100, height: 30, colors: .truecolor), .right, .right, .right, .right, .character("5"), .character("S"))
        let (_, effects) = reduce(state, .input(.character("w")))
        guard case .export(let files)? = effects.first else { Issue.record("w did not export"); return }
        #expect(files[0].baseName == "maskscope-the-quick-brown-l0h0-compare-hf")
        let svg = files[0].contents
        #expect(svg == svgDocument(for: state), "w writes the same picture as maskscope render --format svg")
        #expect(svg.contains("<title>Maskscope compare: builtin"))
        let counter = Counter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "the SVG parses")
        // A vector picture, not a copy of the screen's cells: one square per weight in each of
        // the three maps, and one bar per key and semantics for the selected row.
        let count = state.tokenCount
        #expect(svg.components(separatedBy: "class=\"weight\"").count - 1 == 3 * count * count - count)
        // (hf4 closes "jumps" at 0.5: its bar is the hatched slot.)
        #expect(svg.components(separatedBy: "class=\"bar\"").count - 1 == 3 * count - 1)
        #expect(svg.components(separatedBy: "class=\"bar-masked\"").count - 1 == 1)
        // Every view exports its own picture.
        for (key, view) in [("d", ExplorerView.diff), ("m", .math), ("o", .overview), ("E", .effect)] {
            let shown = press(state, .character("S"), .character(Character(key)))
            #expect(shown.view == view)
            #expect(shown.exportFiles[0].contents.contains("<title>Maskscope \(view.rawValue): "), "\(view)")
        }
        let heatmap = press(state, .character("S"))
        #expect(heatmap.exportFiles[0].contents.contains("class=\"weight\""))
    }
}
