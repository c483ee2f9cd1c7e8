import Foundation
import Testing

/// The built explorer inside a real terminal (tmux): keys in with send-keys, the screen out
/// with capture-pane. CI installs tmux and sets MASKSCOPE_REQUIRE_TMUX=1 so these cannot be
/// skipped there.
enum Tmux {
    static let path = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static let required = ProcessInfo.processInfo.environment["MASKSCOPE_REQUIRE_TMUX"] == "1"
    static var available: Bool { path != nil || required }

    /// Runs a tmux client command on the private server `socket` (`tmux -L`, no user
    /// configuration), never the user's own server, whose settings (SIGINT ignored, options,
    /// hooks) could change what the tests see. When the command starts the tmux server, the server (a
    /// daemon) would inherit every descriptor the client has, including the ones `Process`
    /// watches to learn that the client exited, and the call would never return. So the client
    /// runs under bash with every descriptor above 2 closed, and only `capture` commands read
    /// standard output.
    @discardableResult
    static func run(_ arguments: [String], socket: String, capture: Bool = false) throws -> String {
        let tmux = try #require(path, "tmux is not installed (apt-get install tmux)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] 2>/dev/null && eval \"exec $n>&-\"; done; exec \"$0\" \"$@\"",
                             tmux, "-L", socket, "-f", "/dev/null"] + arguments
        let output = Pipe()
        process.standardOutput = capture ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Tests run on threads that block every signal, and a spawned process inherits the
        // mask: a tmux server started blocked ignores its own kill-server (a SIGTERM to
        // itself). Spawn with nothing blocked, then put the thread's mask back.
        var unblocked = sigset_t(), previous = sigset_t()
        sigemptyset(&unblocked)
        pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
        do {
            try process.run()
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        } catch {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            throw error
        }
        let data = capture ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// One explorer session in a detached tmux window, on a tmux server of its own that `close`
/// kills.
struct TmuxSession {
    let name = "maskscope-e2e-\(UUID().uuidString.prefix(8))"
    let socket = "maskscope-e2e-\(UUID().uuidString)"
    let statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("maskscope-e2e-\(UUID().uuidString)")

    init(term: String, arguments: String, width: Int = 100, height: Int = 30) throws {
        let binary = try MaskscopeBinary.locate().path
        // `trap : INT`: the shell outlives a Ctrl-C to write the explorer's status.
        let command = "trap : INT; env LANG=C.UTF-8 TERM=\(term) NO_COLOR= '\(binary)' \(arguments); echo $? > '\(statusFile.path)'; sleep 5"
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", name, command])
    }

    /// A tmux command on this session's server.
    @discardableResult
    func tmux(_ arguments: [String], capture: Bool = false) throws -> String {
        try Tmux.run(arguments, socket: socket, capture: capture)
    }

    func screen(escapes: Bool = false) throws -> [String] {
        try tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []), capture: true).components(separatedBy: "\n")
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Polls the screen until `condition` holds (at most ~10 s).
    func waitFor(_ what: String, escapes: Bool = false, _ condition: ([String]) -> Bool) throws -> [String] {
        for _ in 0..<200 {
            let lines = try screen(escapes: escapes)
            if condition(lines) { return lines }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); screen:\n\(try screen().joined(separator: "\n"))")
        return try screen(escapes: escapes)
    }

    func exitStatus() throws -> String? {
        for _ in 0..<100 {
            if let text = try? String(contentsOf: statusFile, encoding: .utf8), !text.isEmpty {
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            usleep(50_000)
        }
        return nil
    }

    func close() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: statusFile)
    }
}

@Suite(.serialized, .enabled(if: Tmux.available, "tmux is not installed (apt-get install tmux)"))
struct ExplorerEndToEndTests {
    /// The heatmap and key rows, with colors: what a mask change must alter and undo restore.
    func mapLines(_ lines: [String]) -> [String] { Array(lines.dropFirst(2).prefix(24)) }

    @Test func maskingChangesTheHeatmapUndoRestoresItAndQQuits() throws {
        let session = try TmuxSession(term: "tmux-256color", arguments: "--model builtin")
        defer { session.close() }
        let first = try session.waitFor("the seed tokens", escapes: true) { lines in
            lines.contains { $0.contains("quick") } && lines.joined().contains("recomputed")
        }
        let plain = try session.screen()
        #expect(plain.contains { $0.contains("[CLS] the quick brown fox jumps over the lazy dog . [SEP]") })
        try session.send("Right", "Right", "Right", "0")
        let masked = try session.waitFor("fox masked", escapes: true) { lines in
            lines.joined().contains("×0") && lines.joined().contains("recomputed")
        }
        #expect(mapLines(masked) != mapLines(first), "setting a mask must change the heatmap")
        try session.send("u")
        let restored = try session.waitFor("undo", escapes: true) { lines in
            !lines.joined().contains("×0") && lines.joined().contains("recomputed")
        }
        // The selection moved to fox, so compare the map with fox selected and unmasked.
        try session.send("Left", "Left", "Left")
        let back = try session.waitFor("selection back", escapes: true) { mapLines($0) == mapLines(first) }
        #expect(mapLines(back) == mapLines(first), "undo must restore the heatmap exactly")
        #expect(mapLines(restored) != mapLines(masked))
        try session.send("q")
        #expect(try session.exitStatus() == "0")
    }

    @Test func eightColorTerminalsShowTheGlyphRamp() throws {
        let session = try TmuxSession(term: "xterm", arguments: "--model builtin")
        defer { session.close() }
        let lines = try session.waitFor("the heatmap") { $0.joined().contains("recomputed") }
        #expect(lines.joined().contains("█"), "weights near 1 are drawn as full blocks")
        #expect(lines.contains { line in line.contains("weight 0") && ["░", "▒", "▓", "█"].allSatisfy(line.contains) }, "the legend shows the ramp")
        try session.send("q")
        #expect(try session.exitStatus() == "0")
    }

    /// Closing the terminal under the explorer (window closed, connection dropped) must end it,
    /// not leave it spinning on reads that fail.
    @Test func theExplorerEndsWhenItsTerminalGoesAway() throws {
        let marker = "hangup-\(UUID().uuidString.prefix(8))"
        let session = try TmuxSession(term: "tmux-256color", arguments: "--model builtin '\(marker) the quick fox'")
        _ = try session.waitFor("the explorer") { $0.joined().contains("recomputed") }
        #expect(Self.isRunning(marker))
        session.close()
        var running = true
        for _ in 0..<100 where running {
            usleep(50_000)
            running = Self.isRunning(marker)
        }
        #expect(!running, "maskscope kept running after its terminal closed")
        if running { _ = try? Self.pgrep(["-f", marker], kill: true) }
    }

    static func isRunning(_ marker: String) -> Bool { (try? pgrep(["-f", "maskscope.*\(marker)"])) ?? false }

    /// Whether a process matches (pgrep), or kills the matches (pkill).
    static func pgrep(_ arguments: [String], kill: Bool = false) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kill ? "/usr/bin/pkill" : "/usr/bin/pgrep")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Ctrl-C always quits, with the shell's usual status for it, even when the process was
    /// started with the signal blocked; a resize redraws at the new size at once.
    @Test func ctrlCQuitsAndResizingRedraws() throws {
        let session = try TmuxSession(term: "tmux-256color", arguments: "--model builtin")
        defer { session.close() }
        _ = try session.waitFor("the explorer") { $0.joined().contains("recomputed") }
        try session.tmux(["resize-window", "-t", session.name, "-x", "62", "-y", "18"])
        let small = try session.waitFor("the smaller layout") { lines in
            lines.count <= 19 && lines.contains { $0.contains("[CLS]") }
        }
        #expect(small.allSatisfy { $0.count <= 62 })
        try session.tmux(["resize-window", "-t", session.name, "-x", "40", "-y", "10"])
        _ = try session.waitFor("the too-small message") { $0.joined().contains("terminal too small") }
        try session.tmux(["resize-window", "-t", session.name, "-x", "100", "-y", "30"])
        _ = try session.waitFor("the full layout again") { $0.joined().contains("weight 0") }
        try session.send("C-c")
        #expect(try session.exitStatus() == "130")
    }

    /// SIGQUIT (and any crash) used to leave the alternate screen, mouse reports and a hidden
    /// cursor behind, under the crash report. The terminal is given back first; then, SIGQUIT
    /// being a person quitting, one line says so and the process ends at once with 131 (the
    /// runtime's thread report, which waits 30 s for a key, only under SWIFT_BACKTRACE).
    @Test func sigquitRestoresTheTerminalAndQuitsAtOnce() throws {
        let marker = "sigquit-\(UUID().uuidString.prefix(8))"
        let session = try TmuxSession(term: "tmux-256color", arguments: "--model builtin '\(marker) the quick fox'")
        defer { session.close() }
        _ = try session.waitFor("the explorer") { $0.joined().contains("recomputed") }
        let modes = "#{alternate_on} #{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag} #{cursor_flag}"
        #expect(try session.tmux(["display", "-p", "-t", session.name, modes], capture: true).hasPrefix("1 "), "the explorer is on the alternate screen")
        let binary = try MaskscopeBinary.locate().resolvingSymlinksInPath().path
        let pids = try Self.pids(matching: marker).filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/exe")) == binary
        }
        let pid = try #require(pids.first, "no maskscope process with \(marker)")
        kill(pid, SIGQUIT)
        var restored = ""
        for _ in 0..<100 {
            restored = try session.tmux(["display", "-p", "-t", session.name, modes], capture: true)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if restored == "0 000 1" { break }
            usleep(50_000)
        }
        #expect(restored == "0 000 1", "alternate screen, mouse reports, cursor: \(restored)")
        _ = try session.waitFor("the quit note") { $0.joined().contains("maskscope: quit by SIGQUIT") }
        let status = try session.exitStatus()
        #expect(status == "131", "ended by SIGQUIT: \(String(describing: status))")
    }

    /// Process ids whose command line contains `text` (pgrep -f).
    static func pids(matching text: String) throws -> [Int32] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        process.arguments = ["-f", text]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
    }

    /// Escape sequences the TERM entry does not name (X10 mouse reports, focus reports,
    /// modified keys, bracketed paste) are dropped whole: read as Esc plus stray keys they
    /// quit the explorer (Esc) or typed `q` from a mouse report's coordinates.
    @Test func unknownEscapeSequencesAreDroppedNotReadAsKeys() throws {
        let session = try TmuxSession(term: "xterm-256color", arguments: "--model builtin")
        defer { session.close() }
        let first = try session.waitFor("the explorer") { $0.joined().contains("recomputed") }
        for bytes in [["1b", "5b", "4d", "20", "71", "71"], ["1b", "5b", "49"], ["1b", "5b", "31", "3b", "36", "41"],
                      ["1b", "5b", "32", "30", "30", "7e"], ["1b", "5b", "32", "30", "31", "7e"]] {
            try session.tmux(["send-keys", "-t", session.name, "-H"] + bytes)
        }
        usleep(300_000)
        try session.send("l")
        let moved = try session.waitFor("the selection to move") { $0 != first && $0.joined().contains("recomputed") }
        #expect(moved.joined().contains("recomputed"), "the explorer is still running")
        #expect(!FileManager.default.fileExists(atPath: session.statusFile.path), "the explorer ended")
        try session.send("q")
        #expect(try session.exitStatus() == "0")
    }

    @Test func anUnknownTerminalIsAClearErrorNotACrash() throws {
        let session = try TmuxSession(term: "no-such-terminal", arguments: "--model builtin")
        defer { session.close() }
        let lines = try session.waitFor("the error") { $0.joined().contains("Error") }
        #expect(lines.joined().contains("no-such-terminal"))
        #expect(try session.exitStatus() == "1")
    }
}
