/// Writes a `CellGrid` as plain text: glyphs only, for files, READMEs and diffs.
///
/// Draw the grid with `ColorCapability.none` first, so the heatmap is in the theme's glyph
/// ramp rather than in colors this output cannot carry.
public enum PlainTextOutput {
    /// One line per row with trailing spaces removed, then the trailing empty rows removed;
    /// each line ends with "\n".
    public static func text(_ grid: CellGrid) -> String {
        var lines = grid.textLines.map(trimmingTrailingSpaces)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { $0 + "\n" }.joined()
    }

    static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = Substring(line)
        while line.last == " " { line.removeLast() }
        return String(line)
    }
}
