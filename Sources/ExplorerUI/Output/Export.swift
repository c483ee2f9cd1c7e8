import AttentionCore

/// A file the explorer's `w` key writes: a name (no folder) and its text.
public struct ExportFile: Equatable, Sendable {
    public let baseName: String
    public let fileExtension: String
    public let contents: String
}

extension AppState {
    /// What `w` saves: the view on screen as SVG and the
    /// mask as a preset that `--mask @FILE` reads back.
    public var exportFiles: [ExportFile] {
        let base = exportBaseName
        return [
            ExportFile(baseName: base, fileExtension: "svg", contents: viewSVG),
            ExportFile(baseName: base, fileExtension: "mask", contents: maskPreset),
        ]
    }

    /// The view on screen as its own vector picture (the same one `maskscope render --format
    /// svg` draws), in the theme's true colors, with the selected query row where it matters.
    var viewSVG: String { svgDocument(for: self) }

    /// `maskscope-the-quick-brown-l2h5-hf`: the text's first words, the view and semantics.
    var exportBaseName: String {
        let words = explorer.text.lowercased()
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .prefix(3)
            .map { String($0.unicodeScalars.filter { $0.isASCII }.map(Character.init)) }
            .filter { !$0.isEmpty }
        let map = meanOfHeads ? "l\(layer)-mean" : "l\(layer)h\(head)"
        let shown = view == .heatmap ? [map] : [map, view.rawValue]
        return (["maskscope"] + words + shown + [explorer.semantics.rawValue]).joined(separator: "-")
    }

    /// The mask as a SPEC by position, one assignment per line, each commented with its token,
    /// so it reads as a table and loads with `--mask @FILE`.
    var maskPreset: String {
        var lines = [
            "# Maskscope mask preset: load with --mask @FILE (lines are joined with commas; # starts a comment)",
            "# text: \(explorer.text.replacingOccurrences(of: "\n", with: " "))",
            "# semantics when saved: \(explorer.semantics.rawValue) (\(explorer.semantics.summary))",
        ]
        for (position, value) in explorer.mask.enumerated() {
            lines.append("\(position)=\(MaskValueFormat.short(value))  # \(tokens[position])")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
