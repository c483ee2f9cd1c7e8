import Foundation
import Testing

/// The real explorer in a pseudo-terminal, its output parsed by pyte (pty_explorer.py):
/// 24-bit color under COLORTERM=truecolor, 256 colors without it, the key hints on the
/// first frame at 80×24, and Esc never ending the program. CI installs pyte and sets
/// MASKSCOPE_REQUIRE_PYTE=1 so these cannot be skipped there.
enum Pyte {
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_PYTE"] == "1"
    static let installed: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import pyte"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
    static var available: Bool { installed || required }
    /// Whether ncurses has the direct-color entry COLORTERM=truecolor needs (Debian: ncurses-term).
    static var hasXtermDirect: Bool {
        ["/usr/share/terminfo/x/xterm-direct", "/lib/terminfo/x/xterm-direct", "/etc/terminfo/x/xterm-direct"]
            .contains { FileManager.default.fileExists(atPath: $0) }
    }

    struct Screen: Decodable {
        let first_frame: [String]
        let truecolor_sgr: Bool
        let palette_sgr: Bool
        let alive_after_esc: Bool
        let after_esc: [String]
        let exit_status: Int?
    }

    /// Runs the explorer at `width`×`height` under `term` and `colorterm`, presses Esc, then q.
    static func run(width: Int, height: Int, term: String, colorterm: String, arguments: [String]) throws -> Screen {
        let data = try script("pty_explorer.py", ["\(width)", "\(height)", term, colorterm, "--"] + arguments)
        return try JSONDecoder().decode(Screen.self, from: data)
    }

    /// Runs one of the pty drivers beside this file, `python3 NAME BINARY arguments…`, and
    /// returns what it printed (one JSON object); a driver that fails is a failed expectation.
    static func script(_ name: String, _ arguments: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, try MaskscopeBinary.locate().path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(name) failed", sourceLocation: sourceLocation)
        return data
    }
}

@Suite("explorer in a pseudo-terminal, parsed by pyte", .serialized,
       .enabled(if: Pyte.available, "pyte is not installed: python3 -m pip install pyte"))
struct ExplorerPtyTests {
    let arguments = ["--model", "builtin", "--pattern", "causal", MaskscopeBinary.sentence]

    @Test("COLORTERM=truecolor: 24-bit colors through ncurses; first frame has the key hints; Esc keeps it running")
    func truecolor() throws {
        #expect(Pyte.hasXtermDirect || !Pyte.required, "COLORTERM=truecolor needs the xterm-direct terminfo entry (apt-get install ncurses-term)")
        let screen = try Pyte.run(width: 80, height: 24, term: "xterm-256color", colorterm: "truecolor", arguments: arguments)
        if Pyte.hasXtermDirect {
            #expect(screen.truecolor_sgr, "no 24-bit color sequence under COLORTERM=truecolor")
            #expect(!screen.palette_sgr, "256-color sequences where 24-bit ones were possible")
        }
        check(screen)
    }

    @Test("without COLORTERM: 256 colors, no 24-bit sequences")
    func palette256() throws {
        let screen = try Pyte.run(width: 80, height: 24, term: "xterm-256color", colorterm: "", arguments: arguments)
        #expect(screen.palette_sgr, "no 256-color sequence on xterm-256color")
        #expect(!screen.truecolor_sgr, "24-bit sequences without COLORTERM")
        check(screen)
    }

    func check(_ screen: Pyte.Screen, sourceLocation: SourceLocation = #_sourceLocation) {
        let first = screen.first_frame
        #expect(first.count == 24, sourceLocation: sourceLocation)
        let status = first.first ?? "", hints = first.last ?? ""
        #expect(status.contains("Maskscope") && status.contains("layer 0/") && status.contains("head 0/"),
                "status line at 80×24: \(status)", sourceLocation: sourceLocation)
        #expect(hints.contains("←→ token") && hints.contains("? help") && hints.contains("q quit"),
                "key hints on the first frame: \(hints)", sourceLocation: sourceLocation)
        #expect(first.joined().contains("╱"), "the causal pattern's closed cells are hatched", sourceLocation: sourceLocation)
        #expect(screen.alive_after_esc, "Esc ended the explorer", sourceLocation: sourceLocation)
        #expect(screen.after_esc.joined().contains("q quits"), "Esc says how to quit", sourceLocation: sourceLocation)
        #expect(screen.exit_status == 0, "q did not quit cleanly", sourceLocation: sourceLocation)
    }
}
