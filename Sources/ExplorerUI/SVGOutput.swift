import AttentionCore
import Foundation

/// The attention map of a state as a standalone SVG picture, for slides and papers.
///
/// Drawn from the state itself (tokens, mask, semantics, the shown head's weights), not from
/// the cell grid, so every weight gets its own square: one `<rect class="weight">` per query ×
/// key in view, filled with the theme's 24-bit color (grays for a monochrome theme) and with a
/// `<title>` tooltip "query → key: weight". Labels and mask markers are the explorer's: rows
/// "5 jumps", mask values "×0" (masked), "~0.5" (partial), "+2" (boosted). Nothing is selected.
/// Shows at most `SVGOutput.maximumTokens` rows and columns from the state's scroll position.
public func svgDocument(for state: AppState) -> String {
    SVGOutput(state: state).document
}

struct SVGOutput {
    /// Past this many tokens per axis squares get too small to read; the rest is left out and the
    /// title says which positions are shown.
    static let maximumTokens = 160

    let state: AppState
    let theme: Theme
    let rows: Range<Int>
    let columns: Range<Int>
    let weights: [[Float]]?

    // Geometry, in SVG user units (pixels).
    let margin = 40
    let cell: Int
    let labelFont: Int
    let gridLeft: Int
    let gridTop: Int
    let keyLabelBottom: Int
    let maskRowY: Int

    init(state: AppState) {
        self.state = state
        theme = state.theme
        let count = state.tokenCount
        let rowStart = min(max(0, state.rowOffset), max(0, count - 1))
        let columnStart = min(max(0, state.columnOffset), max(0, count - 1))
        rows = rowStart..<min(count, rowStart + Self.maximumTokens)
        columns = columnStart..<min(count, columnStart + Self.maximumTokens)
        weights = shownWeights(state)
        let across = max(1, rows.count, columns.count)
        cell = min(44, max(10, 720 / across))
        let font = min(16, max(9, cell / 2))
        labelFont = font
        let rowLabelWidth = rows.map { Self.textWidth(Self.rowLabel($0, state: state), size: font) }.max() ?? 0
        let keyLabelHeight = columns.map { Self.textWidth(state.tokens[$0], size: font) }.max() ?? 0
        gridLeft = margin + max(rowLabelWidth, Self.textWidth(Self.axisCaption, size: 14)) + 10
        keyLabelBottom = margin + Self.titleBlockHeight + keyLabelHeight
        maskRowY = keyLabelBottom + 8 + labelFont
        gridTop = maskRowY + labelFont / 2 + 8
    }

    static let titleBlockHeight = 96
    static let axisCaption = "query ↓  key →"

    var gridWidth: Int { columns.count * cell }
    var gridHeight: Int { rows.count * cell }

    var document: String {
        var body: [String] = []
        let title = titleElements()
        let legend = legendElements(top: gridTop + gridHeight + 36)
        let maskList = maskEffectElements(top: legend.bottom + 36)
        let width = max(gridLeft + gridWidth, title.right, legend.right, maskList.right) + margin
        let height = maskList.bottom + margin
        body.append(#"<rect width="100%" height="100%" fill="\#(theme.background.hex)"/>"#)
        body += title.elements
        body += axisElements()
        body += heatmapElements()
        body += legend.elements
        body += maskList.elements
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <defs>
        \(gradient())
        </defs>

        """ + body.joined(separator: "\n") + "\n</svg>\n"
    }

    // MARK: Parts

    private func titleElements() -> (elements: [String], right: Int) {
        let info = state.explorer.model.info
        let head = state.meanOfHeads
            ? "mean of \(info.headCount) heads"
            : "head \(state.head) of \(info.headCount)" + (info.headNames != nil ? " (\(info.headName(layer: state.layer, head: state.head)))" : "")
        var title = "Attention · \(info.name) · layer \(state.layer) of \(info.layerCount) · \(head)"
        if rows.count < state.tokenCount || columns.count < state.tokenCount {
            title += " · tokens \(rows.lowerBound)…\(rows.upperBound - 1) of \(state.tokenCount)"
        }
        let semantics = state.explorer.semantics
        let summary = semantics.summary.hasPrefix(semantics.rawValue + ": ")
            ? String(semantics.summary.dropFirst(semantics.rawValue.count + 2)) : semantics.summary
        let meaning = "mask semantics \(semantics.rawValue): \(summary)"
        let caption = "each row: where that query token's attention goes; each row sums to 1"
        let elements = [
            text(title, x: margin, y: margin + 22, size: 24, fill: theme.foreground, bold: true),
            text(meaning, x: margin, y: margin + 50, size: 16, fill: theme.accents.label),
            text(caption, x: margin, y: margin + 72, size: 14, fill: theme.accents.dim),
        ]
        let right = margin + max(Self.textWidth(title, size: 24, bold: true), Self.textWidth(meaning, size: 16),
                                 Self.textWidth(caption, size: 14))
        return (elements, right)
    }

    private func axisElements() -> [String] {
        var elements: [String] = []
        let semantics = state.explorer.semantics
        let mask = state.explorer.mask
        elements.append(text(Self.axisCaption, x: gridLeft - 10, y: keyLabelBottom - labelFont, size: 14,
                             fill: theme.accents.dim, anchor: "end"))
        elements.append(text("mask", x: gridLeft - 10, y: maskRowY, size: labelFont, fill: theme.accents.dim, anchor: "end"))
        for key in columns {
            let centre = gridLeft + (key - columns.lowerBound) * cell + cell / 2
            let keyState = semantics.keyState(for: mask[key])
            let color = keyState == .masked || keyState == .partial ? theme.accents.masked : theme.accents.label
            elements.append(#"<text class="key-label" transform="translate(\#(centre),\#(keyLabelBottom)) rotate(-90)" dy="0.35em" font-size="\#(labelFont)" fill="\#(color.hex)"\#(theme.boldLabels ? #" font-weight="bold""# : "")>\#(xmlEscaped(state.tokens[key]))</text>"#)
            elements.append(text(maskMarker(mask[key], semantics), x: centre, y: maskRowY, size: labelFont,
                                 fill: keyState == .kept ? theme.accents.dim : theme.accents.masked,
                                 anchor: "middle", bold: keyState != .kept, class: "mask-value"))
        }
        let noKeys = Set(state.result?.queriesWithNoKeys ?? [])
        for query in rows {
            let centre = gridTop + (query - rows.lowerBound) * cell + cell / 2
            let label = Self.rowLabel(query, state: state) + (noKeys.contains(query) ? " ∅" : "")
            elements.append(text(label, x: gridLeft - 8, y: centre, size: labelFont, fill: theme.accents.label,
                                 anchor: "end", bold: theme.boldLabels, middle: true, class: "query-label"))
        }
        return elements
    }

    private func heatmapElements() -> [String] {
        guard let weights else {
            return [text("no attention computed", x: gridLeft, y: gridTop + 20, size: 14, fill: theme.accents.dim)]
        }
        let tokens = state.tokens
        var elements = [#"<g class="heatmap">"#]
        elements.reserveCapacity(rows.count * columns.count + 2)
        for query in rows {
            let y = gridTop + (query - rows.lowerBound) * cell
            for key in columns {
                let x = gridLeft + (key - columns.lowerBound) * cell
                let weight = weights[query][key]
                let tooltip = "\(query) \(tokens[query]) → \(key) \(tokens[key]): \(String(format: "%.4f", Double(weight)))"
                elements.append(#"<rect class="weight" x="\#(x)" y="\#(y)" width="\#(cell)" height="\#(cell)" fill="\#(fill(forWeight: Double(weight)).hex)"><title>\#(xmlEscaped(tooltip))</title></rect>"#)
            }
        }
        elements.append("</g>")
        return elements
    }

    private func legendElements(top: Int) -> (elements: [String], bottom: Int, right: Int) {
        let barWidth = min(360, max(220, gridWidth))
        let barHeight = theme.largeLegend ? 24 : 16
        let left = gridLeft
        let maxWeight = weights.map { w in rows.flatMap { q in columns.map { w[q][$0] } }.max() ?? 0 } ?? 0
        let explanation = "0 = key ignored · 1 = the query's whole attention · max here \(String(format: "%.2f", Double(maxWeight)))"
        let tickY = top + barHeight + 18
        let elements = [
            text("weight", x: left - 10, y: top + barHeight / 2, size: 14, fill: theme.accents.dim, anchor: "end", middle: true),
            #"<rect class="legend" x="\#(left)" y="\#(top)" width="\#(barWidth)" height="\#(barHeight)" fill="url(#weightScale)" stroke="\#(theme.accents.dim.hex)" stroke-width="1"/>"#,
            text("0", x: left, y: tickY, size: 14, fill: theme.foreground, anchor: "middle"),
            text("0.5", x: left + barWidth / 2, y: tickY, size: 14, fill: theme.accents.dim, anchor: "middle"),
            text("1", x: left + barWidth, y: tickY, size: 14, fill: theme.foreground, anchor: "middle"),
            text(explanation, x: left, y: tickY + 22, size: 14, fill: theme.accents.dim),
        ]
        return (elements, tickY + 22, left + max(barWidth, Self.textWidth(explanation, size: 14)))
    }

    /// What the mask does, one line per run of tokens sharing a value (the explorer's document panel).
    private func maskEffectElements(top: Int) -> (elements: [String], bottom: Int, right: Int) {
        var elements = [text("Mask", x: margin, y: top, size: 15, fill: theme.accents.label, bold: true)]
        var y = top
        var right = margin
        for line in maskEffectLines(state) {
            y += 21
            let content = "\(line.label): \(line.value)"
            elements.append(text(content, x: margin + 12, y: y, size: 14, fill: theme.foreground))
            right = max(right, margin + 12 + Self.textWidth(content, size: 14))
        }
        return (elements, y, right)
    }

    private func gradient() -> String {
        let steps = 16
        let stops = (0...steps).map { i -> String in
            let weight = Double(i) / Double(steps)
            return #"<stop offset="\#(String(format: "%.4f", weight))" stop-color="\#(fill(forWeight: weight).hex)"/>"#
        }
        return #"<linearGradient id="weightScale" x1="0" y1="0" x2="1" y2="0">"#
            + stops.joined() + "</linearGradient>"
    }

    // MARK: Helpers

    /// The theme's color for a weight; a monochrome theme's as a gray of the same luminance.
    private func fill(forWeight weight: Double) -> RGB {
        let color = theme.color(forWeight: weight)
        guard theme.isMonochrome else { return color }
        let luminance = 0.2126 * Double(color.red) + 0.7152 * Double(color.green) + 0.0722 * Double(color.blue)
        let level = UInt8(max(0, min(255, luminance.rounded())))
        return RGB(red: level, green: level, blue: level)
    }

    private func text(_ content: String, x: Int, y: Int, size: Int, fill: RGB, anchor: String = "start",
                      bold: Bool = false, middle: Bool = false, class className: String? = nil) -> String {
        var attributes = className.map { #"class="\#($0)" "# } ?? ""
        attributes += #"x="\#(x)" y="\#(y)" font-size="\#(size)" fill="\#(fill.hex)""#
        if anchor != "start" { attributes += #" text-anchor="\#(anchor)""# }
        if bold { attributes += #" font-weight="bold""# }
        if middle { attributes += #" dy="0.35em""# }
        return "<text \(attributes)>\(xmlEscaped(content))</text>"
    }

    /// The explorer's row label: position, then token.
    static func rowLabel(_ query: Int, state: AppState) -> String {
        "\(query) \(state.tokens[query])"
    }

    /// A width estimate for laying out text without font metrics: 0.6 em per terminal column
    /// (wide glyphs count two), a little more in bold.
    static func textWidth(_ text: String, size: Int, bold: Bool = false) -> Int {
        Int((Double(DisplayWidth.of(text)) * Double(size) * (bold ? 0.65 : 0.6)).rounded(.up))
    }
}

/// `text` safe inside XML character data and attribute values: markup characters escaped, and
/// characters XML 1.0 forbids (most C0 controls, lone surrogates' replacements, U+FFFE/U+FFFF)
/// replaced with U+FFFD.
func xmlEscaped(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&apos;"
        case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
        default:
            let value = scalar.value
            let allowed = (value >= 0x20 && value <= 0xD7FF) || (value >= 0xE000 && value <= 0xFFFD) || value >= 0x10000
            escaped.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
        }
    }
    return escaped
}
