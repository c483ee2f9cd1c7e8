/// How many colors the terminal can show, so the renderer can pick a heatmap style: smooth
/// color ramps for `.truecolor` and `.palette256`, a glyph ramp (" ░▒▓█") for `.palette8` and
/// `.none`.
public enum ColorCapability: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Any 24-bit color, sent as is (ncurses "direct color" terminfo such as xterm-direct).
    case truecolor
    /// xterm's 256-color palette; `.rgb` colors are quantized with `ColorQuantization.nearestXterm256`.
    case palette256
    /// The 8 (or 16) basic colors; `.rgb` colors become the nearest of 8 (`nearestANSI8`).
    case palette8
    /// No colors: monochrome, or the user asked for none with NO_COLOR. Only attributes show.
    case none

    /// Whether neighbouring heatmap shades stay distinguishable as colors; when false the
    /// renderer should encode weights in glyphs.
    public var hasSmoothColors: Bool { self == .truecolor || self == .palette256 }

    /// The capability from what ncurses reports and the environment.
    ///
    /// - Parameters:
    ///   - colors: ncurses' `COLORS` after `start_color` (0 when the terminal has none).
    ///   - colorPairs: ncurses' `COLOR_PAIRS`.
    ///   - environment: process environment; `NO_COLOR` (non-empty, see no-color.org) turns colors
    ///     off. `COLORTERM=truecolor` alone is not enough for `.truecolor`: ncurses can only
    ///     address 24-bit colors when the terminfo entry is a direct-color one (COLORS ≥ 2^24),
    ///     so with `TERM=xterm-256color` the answer stays `.palette256`.
    public static func detect(colors: Int, colorPairs: Int, environment: [String: String]) -> ColorCapability {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        guard colorPairs >= 2 else { return .none }
        if colors >= 1 << 24 { return .truecolor }
        if colors >= 256 { return .palette256 }
        if colors >= 8 { return .palette8 }
        return .none
    }

    /// Whether COLORTERM says the terminal emulator itself accepts 24-bit colors, so a
    /// direct-color TERM (e.g. xterm-direct) would unlock `.truecolor`.
    public static func environmentClaimsTruecolor(_ environment: [String: String]) -> Bool {
        let value = environment["COLORTERM"]?.lowercased() ?? ""
        return value == "truecolor" || value == "24bit"
    }

    public var description: String {
        switch self {
        case .truecolor: return "24-bit color"
        case .palette256: return "256 colors"
        case .palette8: return "8 colors"
        case .none: return "no color"
        }
    }
}

extension ColorCapability {
    /// The direct-color terminfo entry to open instead of TERM's own, so ncurses itself can
    /// send 24-bit colors, or nil to keep TERM.
    ///
    /// Terminals that accept 24-bit color say so with `COLORTERM=truecolor` (or `24bit`) while
    /// keeping a 256-color TERM such as `xterm-256color`, whose entry ncurses can only drive
    /// through the palette. ncurses ships a direct-color sibling for the common families
    /// (`xterm-direct`, `tmux-direct`, `kitty-direct`, … in Debian's ncurses-term); opening that
    /// one keeps the same keys and gives `COLORS` = 2^24, with no escapes written behind
    /// ncurses' back. TERM already a `-direct` entry, `NO_COLOR`, or no sibling installed:
    /// nil, and the 256 → 8 → glyph fallbacks apply.
    ///
    /// - Parameters:
    ///   - term: the TERM value, e.g. `xterm-256color`.
    ///   - entryExists: whether a terminfo entry of that name is installed.
    public static func directColorTerminal(for term: String, environment: [String: String],
                                           entryExists: (String) -> Bool) -> String? {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return nil }
        guard environmentClaimsTruecolor(environment), !term.isEmpty, !term.hasSuffix("-direct") else { return nil }
        let family = term.split(separator: "-").first.map(String.init) ?? term
        var candidates: [String] = []
        // Inside tmux or screen the multiplexer's entry decides; otherwise the emulator's own
        // direct entry first: some (older Konsole, VTE) read only `38;2;r;g;b`, not the
        // `38:2::r:g:b` xterm-direct sends.
        if family != "tmux", family != "screen", let emulator = emulatorDirectEntry(environment) {
            candidates.append(emulator)
        }
        candidates += ["\(term)-direct", "\(family)-direct"]
        return candidates.first(where: entryExists)
    }

    /// The direct-color terminfo entry of the terminal emulator the environment names.
    static func emulatorDirectEntry(_ environment: [String: String]) -> String? {
        func has(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }
        if has("KONSOLE_VERSION") { return "konsole-direct" }
        if has("KITTY_WINDOW_ID") { return "kitty-direct" }
        if has("ALACRITTY_WINDOW_ID") || has("ALACRITTY_SOCKET") { return "alacritty-direct" }
        if environment["TERM_PROGRAM"] == "iTerm.app" { return "iterm2-direct" }
        if has("VTE_VERSION") { return "vte-direct" }
        return nil
    }

    /// Whether a compiled terminfo entry `name` is installed where ncurses looks for one:
    /// `$TERMINFO`, `~/.terminfo`, `$TERMINFO_DIRS`, then the system folders. Both layouts are
    /// checked (`x/xterm-direct` on Linux, `78/xterm-direct` on macOS).
    public static func terminfoEntryExists(_ name: String, environment: [String: String],
                                           fileExists: (String) -> Bool) -> Bool {
        guard let first = name.unicodeScalars.first, !name.contains("/") else { return false }
        var folders: [String] = []
        if let terminfo = environment["TERMINFO"], !terminfo.isEmpty { folders.append(terminfo) }
        if let home = environment["HOME"], !home.isEmpty { folders.append(home + "/.terminfo") }
        if let dirs = environment["TERMINFO_DIRS"] {
            folders += dirs.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        }
        folders += ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo",
                    "/usr/local/share/terminfo", "/opt/homebrew/share/terminfo"]
        let letter = String(first)
        let hex = String(first.value, radix: 16)
        return folders.contains { folder in
            fileExists("\(folder)/\(letter)/\(name)") || fileExists("\(folder)/\(hex)/\(name)")
        }
    }
}
