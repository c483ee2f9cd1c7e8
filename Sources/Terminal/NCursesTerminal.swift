import AttentionCore
import CNCursesW
import ExplorerUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that talks to ncurses: paints `CellGrid`s and reads keys, mouse and resizes.
///
/// Creating it takes over the terminal (alternate screen, no echo, mouse reporting); `shutdown()`
/// — also run by `deinit` — gives it back. SIGINT, SIGTERM and SIGHUP restore the terminal
/// before the process ends (see `installRestoreHandlers`), so Ctrl-C never leaves a broken shell;
/// crashes (traps, aborts, bad accesses) restore it and then let the Swift runtime's crash report
/// print on the normal screen. SIGQUIT (Ctrl-\\) restores it and ends at once with status 131;
/// its thread report, which waits 30 s for a key at a terminal, only when SWIFT_BACKTRACE is set.
/// ncurses state is process-wide: create one at a time, and use it from one thread.
public final class NCursesTerminal: TerminalBackend {
    /// Which colors to use, for a `--color` option. A request above what the terminal supports
    /// is lowered to what it supports.
    public enum ColorMode: Sendable, Equatable {
        /// The best the terminal and environment allow (see `ColorCapability.detect`).
        case automatic
        /// At most this capability.
        case atMost(ColorCapability)
    }

    public private(set) var colorCapability: ColorCapability
    /// The terminfo entry ncurses drives: TERM, or its direct-color sibling under COLORTERM=truecolor.
    public let terminfoName: String

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previousGrid: CellGrid?
    private var needsFullRepaint = true
    private var pairCache: ColorPairCache
    /// Whether `-1` means "the terminal's own color" (use_default_colors worked).
    private let hasDefaultColors: Bool
    /// True when the locale is not UTF-8: non-ASCII glyphs are drawn as "?" rather than garbage.
    private let asciiOnly: Bool
    private let previousSignalActions: UnsafeMutablePointer<sigaction>
    private var isShutDown = false
    private let wakePipe = WakePipe()

    /// Takes over the terminal on standard input/output.
    ///
    /// - Throws: `TerminalError.notATerminal` when stdin or stdout is not a tty,
    ///   `TerminalError.unknownTerminal` when TERM is unset or unknown to ncurses, and
    ///   `TerminalError.cannotMoveCursor` when TERM cannot address the cursor (e.g. `dumb`).
    ///   In every case the terminal is left as it was.
    public init(colorMode: ColorMode = .automatic) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.notATerminal
        }
        setlocale(LC_ALL, "")
        let term = Self.environmentValue("TERM")
        guard let term, !term.isEmpty else { throw TerminalError.unknownTerminal(nil) }
        _ = ms_save_termios()
        // COLORTERM=truecolor with a 256-color TERM: open TERM's direct-color sibling so
        // ncurses itself sends 24-bit colors (see ColorCapability.directColorTerminal).
        var environment = ["NO_COLOR", "COLORTERM", "TERMINFO", "TERMINFO_DIRS", "HOME", "KONSOLE_VERSION", "KITTY_WINDOW_ID",
                           "ALACRITTY_WINDOW_ID", "ALACRITTY_SOCKET", "TERM_PROGRAM", "VTE_VERSION"].reduce(into: [String: String]()) { values, name in
            values[name] = Self.environmentValue(name)
        }
        var direct: String?
        if colorMode == .automatic || colorMode == .atMost(.truecolor) {
            let lookup = environment
            direct = ColorCapability.directColorTerminal(for: term, environment: lookup) { name in
                ColorCapability.terminfoEntryExists(name, environment: lookup) { access($0, R_OK) == 0 }
            }
        }
        var opened = direct.flatMap { name in name.withCString { newterm($0, ms_stdout(), ms_stdin()) } }
        if opened == nil { direct = nil }
        if opened == nil { opened = newterm(nil, ms_stdout(), ms_stdin()) }
        guard let screen = opened else {
            throw TerminalError.unknownTerminal(term)
        }
        terminfoName = direct ?? term
        guard ms_string_capability("cup") != nil, let window = ms_stdscr() else {
            endwin()
            delscreen(screen)
            throw TerminalError.cannotMoveCursor(term)
        }
        self.screen = screen
        self.window = window

        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        mousemask(ms_mouse_explorer_events(), nil)
        mouseinterval(0)
        Self.defineAlternateHomeAndEnd()

        var usesDefaultColors = false
        if has_colors() {
            start_color()
            usesDefaultColors = use_default_colors() == OK
        }
        hasDefaultColors = usesDefaultColors
        environment = environment.filter { $0.key == "NO_COLOR" || $0.key == "COLORTERM" }
        let colors = has_colors() ? Int(ms_colors()) : 0
        let pairs = has_colors() ? Int(ms_color_pairs()) : 0
        let detected = ColorCapability.detect(colors: colors, colorPairs: pairs, environment: environment)
        switch colorMode {
        case .automatic:
            colorCapability = detected
        case .atMost(let requested):
            colorCapability = Self.rank(requested) < Self.rank(detected) ? requested : detected
        }
        pairCache = ColorPairCache(colorPairs: pairs)
        asciiOnly = String(cString: ms_codeset()).uppercased().filter { $0 != "-" } != "UTF8"

        previousSignalActions = .allocate(capacity: 3)
        previousSignalActions.initialize(repeating: sigaction(), count: 3)
        installRestoreHandlers()
    }

    deinit {
        shutdown()
        previousSignalActions.deallocate()
    }

    /// Columns and rows of the screen right now.
    public var size: (width: Int, height: Int) {
        guard !isShutDown else { return (0, 0) }
        return (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    // MARK: - Output

    /// Paints `grid` at the top-left corner, sending only cells that differ from the previous
    /// frame (all of them after a resize, `invalidate()` or a change of grid size). Cells beyond
    /// the screen are clipped; screen cells beyond the grid are blanked on a full repaint.
    public func draw(_ grid: CellGrid) {
        guard !isShutDown else { return }
        if !paint(grid, reusePairsWhenFull: false) {
            // Out of color pairs: start allocation over; every cell must be repainted because
            // redefined pairs change the colors of cells already on screen.
            pairCache.removeAll()
            needsFullRepaint = true
            _ = paint(grid, reusePairsWhenFull: true)
        }
        previousGrid = grid
        needsFullRepaint = false
        wnoutrefresh(window)
        doupdate()
    }

    public func invalidate() {
        needsFullRepaint = true
        previousGrid = nil
        if !isShutDown { clearok(window, true) }
    }

    /// Paints the cells of `grid` that changed; false when color pairs ran out and
    /// `reusePairsWhenFull` is false (nothing is guaranteed about the screen then).
    private func paint(_ grid: CellGrid, reusePairsWhenFull: Bool) -> Bool {
        let screenSize = size
        let previous = needsFullRepaint || previousGrid?.width != grid.width || previousGrid?.height != grid.height
            ? nil : previousGrid
        if previous == nil { werase(window) }
        let columns = min(grid.width, screenSize.width)
        for y in 0..<min(grid.height, screenSize.height) {
            var x = 0
            while x < columns {
                let cell = grid[x, y]
                let isWide = !cell.isContinuation && grid[x + 1, y].isContinuation && x + 1 < grid.width
                let span = isWide ? 2 : 1
                if let previous, previous[x, y] == cell,
                   previous[x + 1, y].isContinuation == grid[x + 1, y].isContinuation,
                   !isWide || previous[x + 1, y] == grid[x + 1, y] {
                    x += span
                    continue
                }
                let fitsOnScreen = x + span <= columns
                guard paintCell(fitsOnScreen ? cell : Cell(glyph: " ", foreground: cell.foreground, background: cell.background),
                                x: x, y: y, columns: fitsOnScreen ? span : 1, reusePairsWhenFull: reusePairsWhenFull)
                else { return false }
                x += span
            }
        }
        return true
    }

    /// Writes one cell (two for a wide glyph) with `setcchar` + `wadd_wch`. The glyph is cut to
    /// what ncurses accepts in one cell — a spacing character and its combining marks — and
    /// padded with a space when the C library thinks it is narrower than the grid does.
    private func paintCell(_ cell: Cell, x: Int, y: Int, columns: Int, reusePairsWhenFull: Bool) -> Bool {
        var pair: Int32 = 0
        if colorCapability != .none {
            let foreground = colorNumber(cell.foreground, isForeground: true)
            let background = colorNumber(cell.background, isForeground: false)
            if let allocated = pairCache.pair(foreground: foreground, background: background) {
                pair = allocated
            } else if !reusePairsWhenFull {
                return false
            }
        }
        let attributes = Self.attributes(cell.attributes)
        let (characters, drawnColumns) = terminalCharacters(for: cell.glyph, columns: columns)
        put(characters, attributes: attributes, pair: pair, x: x, y: y)
        if drawnColumns < columns {
            put([wchar_t(32), 0], attributes: attributes, pair: pair, x: x + drawnColumns, y: y)
        }
        return true
    }

    private func put(_ characters: [wchar_t], attributes: attr_t, pair: Int32, x: Int, y: Int) {
        var character = cchar_t()
        var extendedPair = pair
        guard setcchar(&character, characters, attributes, 0, &extendedPair) == OK else { return }
        _ = mvwadd_wch(window, Int32(y), Int32(x), &character)
    }

    /// The NUL-terminated wide characters for one cell and how many columns the C library will
    /// advance for them (1 or 2, never more than `columns`).
    private func terminalCharacters(for glyph: String, columns: Int) -> ([wchar_t], Int) {
        let fallback: ([wchar_t], Int) = ([wchar_t(63), 0], 1)
        guard let base = glyph.unicodeScalars.first else { return ([wchar_t(32), 0], 1) }
        if asciiOnly && base.value > 0x7E { return fallback }
        let baseWidth = Int(wcwidth(wchar_t(bitPattern: base.value)))
        guard baseWidth >= 1, baseWidth <= columns else { return fallback }
        var characters = [wchar_t(bitPattern: base.value)]
        for mark in glyph.unicodeScalars.dropFirst() where characters.count < Int(CCHARW_MAX) {
            switch mark.value {
            case 0x200D, 0xFE0E, 0xFE0F: continue
            default: break
            }
            guard !asciiOnly, wcwidth(wchar_t(bitPattern: mark.value)) == 0 else { break }
            characters.append(wchar_t(bitPattern: mark.value))
        }
        characters.append(0)
        return (characters, baseWidth)
    }

    /// The ncurses color number for a cell color under the current capability.
    private func colorNumber(_ color: CellColor, isForeground: Bool) -> Int32 {
        switch color {
        case .default:
            if hasDefaultColors { return -1 }
            return isForeground ? Int32(COLOR_WHITE) : Int32(COLOR_BLACK)
        case .rgb(let r, let g, let b):
            switch colorCapability {
            case .truecolor:
                // Direct-color terminfo reads 0…7 as the ANSI palette, not as near-black RGB.
                return max(8, Int32(r) << 16 | Int32(g) << 8 | Int32(b))
            case .palette256:
                return Int32(ColorQuantization.nearestXterm256(r: r, g: g, b: b))
            case .palette8:
                return Int32(ColorQuantization.nearestANSI8(r: r, g: g, b: b))
            case .none:
                return -1
            }
        }
    }

    private static func attributes(_ attributes: CellAttributes) -> attr_t {
        var result = ms_attr_normal()
        if attributes.contains(.bold) { result |= ms_attr_bold() }
        if attributes.contains(.dim) { result |= ms_attr_dim() }
        if attributes.contains(.reverse) { result |= ms_attr_reverse() }
        if attributes.contains(.underline) { result |= ms_attr_underline() }
        if attributes.contains(.italic) { result |= ms_attr_italic() }
        return result
    }

    // MARK: - Input

    /// The next key, mouse action or resize, waiting at most `milliseconds` (nil: until there is
    /// one). Returns nil when the time ran out or `waker` was called. Keys the explorer has no
    /// `InputEvent` for are skipped while waiting.
    /// Text arrives one Unicode scalar at a time (a pasted "é" in decomposed form is two
    /// `.character` events); appending them to a `String` regroups the clusters.
    public func nextEvent(timeout milliseconds: Int?) -> InputEvent? {
        guard !isShutDown else { return nil }
        let deadline = milliseconds.map { MonotonicClock.milliseconds() + max(0, $0) }
        while true {
            // Input ncurses has already read, or that is waiting: no delay, though ncurses
            // still gives an escape sequence its ESCDELAY to complete.
            wtimeout(window, 0)
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            if status == KEY_CODE_YES {
                if let event = keyEvent(Int32(bitPattern: code)) { return event }
                continue
            } else if status == OK {
                if code == 27, skipUnknownSequence() { continue }
                if let event = KeyDecoding.character(UInt32(code)) { return event }
                continue
            }
            // ERR is also what a read on a closed terminal returns, at once and forever:
            // report the hang-up rather than letting the caller spin on it.
            if Self.inputHasHungUp() { return .hangup }
            let remaining = deadline.map { max(0, $0 - MonotonicClock.milliseconds()) }
            if remaining == 0 { return nil }
            // Sleep until a key, a wake or the deadline; a resize interrupts the poll (EINTR)
            // and the next wget_wch reports it.
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
            if let wakePipe { descriptors.append(pollfd(fd: wakePipe.readEnd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), remaining.map { Int32(clamping: $0) } ?? -1)
            if ready > 0, let wakePipe, descriptors[1].revents != 0 {
                wakePipe.drain()
                return nil
            }
        }
    }

    /// After an ESC that ncurses did not turn into a key: when the bytes of an escape sequence
    /// follow at once (a key, mouse report or terminal report this TERM's entry does not
    /// know: Ctrl+Shift+arrows, X10 mouse, focus, bracketed paste), reads the whole sequence
    /// and drops it — it would otherwise arrive as Esc plus stray keys such as `[` (previous
    /// layer) or, inside an X10 mouse report's coordinates, `q`. Returns false, reading
    /// nothing further, for a lone Esc; Esc followed by another key (Alt+key) puts that key
    /// back and also returns false.
    private func skipUnknownSequence() -> Bool {
        wtimeout(window, 0)
        var next: wint_t = 0
        guard wget_wch(window, &next) == OK else { return false }
        switch next {
        case 0x5B:  // CSI: parameters and intermediates up to a final byte in 0x40...0x7E
            var final: wint_t = 0
            var length = 0
            for _ in 0..<64 {
                guard wget_wch(window, &final) == OK else { return true }
                length += 1
                if (0x40...0x7E).contains(final) { break }
            }
            if final == 0x4D, length == 1 {  // X10 mouse report: ESC [ M and three raw bytes
                var ignored: wint_t = 0
                for _ in 0..<3 { _ = wget_wch(window, &ignored) }
            }
            return true
        case 0x4F:  // SS3: one more byte
            var ignored: wint_t = 0
            _ = wget_wch(window, &ignored)
            return true
        default:
            _ = unget_wch(wchar_t(bitPattern: next))
            return false
        }
    }

    /// A function that ends the current (or next) wait in `nextEvent` from any thread; nil
    /// when no wake pipe could be made (the loop then polls).
    public var waker: (@Sendable () -> Void)? {
        guard let wakePipe else { return nil }
        return { wakePipe.wake() }
    }

    /// Whether standard input's terminal is gone: poll reports a hang-up or an error on it.
    private static func inputHasHungUp() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return errno != EINTR }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    private func keyEvent(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE:
            invalidate()
            let newSize = size
            return .resize(width: newSize.width, height: newSize.height)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            return KeyDecoding.mouse(x: event.x, y: event.y, buttons: event.bstate)
        default:
            return KeyDecoding.keyCode(code)
        }
    }

    /// Teaches ncurses the Home/End sequences other terminals send, when TERM's entry lacks them
    /// (e.g. TERM=xterm-256color inside tmux, which sends ESC [1~ for Home).
    private static func defineAlternateHomeAndEnd() {
        let sequences: [(String, Int32)] = [
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
            ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
        ]
        for (sequence, key) in sequences where key_defined(sequence) == 0 {
            define_key(sequence, key)
        }
    }

    // MARK: - Giving the terminal back

    /// Leaves the alternate screen, shows the cursor, stops mouse reports and restores the
    /// terminal modes and signal handlers. Idempotent; after it, `draw` and `nextEvent` do nothing.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        mousemask(0, nil)
        curs_set(1)
        endwin()
        delscreen(screen)
        ms_restore_previous_handlers(previousSignalActions)
    }

    /// Arms SIGINT/SIGTERM/SIGHUP to restore the terminal from the signal handler itself, with
    /// bytes prepared here (terminfo strings for leaving the alternate screen, showing the cursor,
    /// resetting attributes and the keypad, plus xterm's mouse-off sequences).
    private func installRestoreHandlers() {
        var reset = ""
        if ms_string_capability("kmous") != nil {
            reset += "\u{1B}[?1006l\u{1B}[?1003l\u{1B}[?1002l\u{1B}[?1000l"
        }
        for name in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            if let value = ms_string_capability(name) {
                reset += Self.withoutPadding(String(cString: value))
            }
        }
        let bytes = Array(reset.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                ms_set_reset_sequence(characters.baseAddress, characters.count)
            }
        }
        _ = ms_install_restore_handlers(previousSignalActions)
        _ = ms_install_crash_handlers()
        _ = ms_unblock_terminal_signals()
    }

    /// A terminfo string without its `$<…>` delay specifications, which only tputs understands.
    private static func withoutPadding(_ capability: String) -> String {
        var result = ""
        var insideDelay = false
        var previous: Character = " "
        for character in capability {
            if insideDelay {
                if character == ">" { insideDelay = false }
            } else if previous == "$" && character == "<" {
                result.removeLast()
                insideDelay = true
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }

    private static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    private static func rank(_ capability: ColorCapability) -> Int {
        switch capability {
        case .none: return 0
        case .palette8: return 1
        case .palette256: return 2
        case .truecolor: return 3
        }
    }
}
