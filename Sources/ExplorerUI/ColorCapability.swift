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
