/// Writes a `CellGrid` as text with ANSI SGR escapes, for terminals and `less -R`.
///
/// Colors are sent as the output can show them: `38;2;r;g;b` / `48;2;…` for `.truecolor`,
/// the nearest xterm palette entry (`38;5;n`, `ColorQuantization.nearestXterm256`) for
/// `.palette256`, the nearest basic color (30–37 / 40–47) for `.palette8`, and none at all for
/// `.none`. An escape is written only where the style changes, and every line that ends
/// styled ends with a reset, so the output can be cut into lines safely.
public enum AnsiOutput {
    /// The whole grid, one line per row, each ending with "\n".
    ///
    /// - Parameters:
    ///   - colors: what the reader's terminal shows (`.none` under NO_COLOR).
    ///   - attributes: whether to send bold, dim, italic, underline and reverse; false for
    ///     output that must carry no escapes at all (NO_COLOR).
    public static func text(_ grid: CellGrid, colors: ColorCapability, attributes: Bool = true) -> String {
        (0..<grid.height).map { y in
            line((0..<grid.width).map { grid[$0, y] }, colors: colors, attributes: attributes) + "\n"
        }.joined()
    }

    /// One row of cells, without its newline. Continuation cells of wide glyphs are skipped
    /// (the terminal advances two columns for the glyph); trailing blanks that would show
    /// nothing are dropped unless the line must keep its width (a swatch before more text).
    public static func line(_ cells: [Cell], colors: ColorCapability, attributes: Bool = true,
                            trimmingTrailingBlanks: Bool = true) -> String {
        let styled = cells.filter { !$0.isContinuation }.map { cell in
            (glyph: cell.glyph, style: Style(cell, colors: colors, attributes: attributes))
        }
        var end = styled.count
        while trimmingTrailingBlanks, end > 0, styled[end - 1].glyph == " ", styled[end - 1].style.isInvisibleWhenBlank {
            end -= 1
        }
        var output = ""
        var current = Style.plain
        for (glyph, style) in styled[..<end] {
            if style != current, !(glyph == " " && style.looksBlank(like: current)) {
                output += style.escape
                current = style
            }
            output += glyph
        }
        if current != .plain { output += Style.plain.escape }
        return output
    }

    /// What one cell looks like on the target output: its colors already reduced to SGR
    /// parameters, so two cells that look the same compare equal.
    struct Style: Equatable {
        var foreground: [Int] = []
        var background: [Int] = []
        var attributes: CellAttributes = []

        static let plain = Style()

        init() {}

        init(_ cell: Cell, colors: ColorCapability, attributes withAttributes: Bool) {
            foreground = Self.parameters(cell.foreground, colors: colors, base: 30)
            background = Self.parameters(cell.background, colors: colors, base: 40)
            attributes = withAttributes ? cell.attributes : []
        }

        /// A blank with this style looks like no character at all.
        var isInvisibleWhenBlank: Bool {
            background.isEmpty && attributes.isDisjoint(with: [.reverse, .underline])
        }

        /// A space in this style looks the same as one in `other`: the foreground, bold, dim and
        /// italic do not show on a blank, only the background, underline and reverse do.
        func looksBlank(like other: Style) -> Bool {
            let visible: CellAttributes = [.underline, .reverse]
            return background == other.background
                && attributes.intersection(visible).isEmpty && other.attributes.intersection(visible).isEmpty
        }

        /// Resets, then sets this style, in one sequence.
        var escape: String {
            var parameters = [0]
            if attributes.contains(.bold) { parameters.append(1) }
            if attributes.contains(.dim) { parameters.append(2) }
            if attributes.contains(.italic) { parameters.append(3) }
            if attributes.contains(.underline) { parameters.append(4) }
            if attributes.contains(.reverse) { parameters.append(7) }
            parameters += foreground + background
            return "\u{1B}[" + parameters.map(String.init).joined(separator: ";") + "m"
        }

        /// SGR parameters for a color; `base` is 30 for the foreground and 40 for the background.
        static func parameters(_ color: CellColor, colors: ColorCapability, base: Int) -> [Int] {
            guard case let .rgb(red, green, blue) = color else { return [] }
            switch colors {
            case .truecolor:
                return [base + 8, 2, Int(red), Int(green), Int(blue)]
            case .palette256:
                return [base + 8, 5, ColorQuantization.nearestXterm256(r: red, g: green, b: blue)]
            case .palette8:
                return [base + ColorQuantization.nearestANSI8(r: red, g: green, b: blue)]
            case .none:
                return []
            }
        }
    }
}
