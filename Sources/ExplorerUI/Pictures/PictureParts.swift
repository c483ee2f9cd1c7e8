import AttentionCore
import Foundation

/// The theme's colors as SVG fills, and the two mask marks every picture shares: a hatch for
/// a closed cell (weight forced to 0) and dots over the weight color for a key kept partly.
/// Neither is a color of the weight scale, so a closed cell never passes for a small weight.
struct PicturePalette {
    static let maskedHatch = "masked-hatch"
    static let partialDots = "partial-dots"
    static let causalHatch = "causal-hatch"
    static let maskedFill = "url(#\(maskedHatch))"
    static let causalFill = "url(#\(causalHatch))"
    static let partialFill = "url(#\(partialDots))"

    let theme: Theme

    var background: String { hex(theme.background) }
    var foreground: String { hex(theme.foreground) }
    var label: String { hex(theme.accents.label) }
    var dim: String { hex(theme.accents.dim) }
    var masked: String { hex(theme.accents.masked) }
    var selection: String { hex(theme.accents.selection) }
    var warning: String { hex(theme.accents.warning) }

    /// The scale color of `fraction` (0…1 of the picture's scale).
    func weightFill(_ fraction: Double) -> String { hex(theme.color(forWeight: fraction)) }
    /// The diverging color of `fraction` (−1…1 of the picture's symmetric scale).
    func deltaFill(_ fraction: Double) -> String { hex(theme.color(forDelta: fraction)) }

    /// A color as `#rrggbb`; a monochrome theme's as a gray of the same luminance.
    func hex(_ color: RGB) -> String {
        guard theme.isMonochrome else { return color.hex }
        let luminance = 0.2126 * Double(color.red) + 0.7152 * Double(color.green) + 0.0722 * Double(color.blue)
        let level = UInt8(max(0, min(255, luminance.rounded())))
        return RGB(red: level, green: level, blue: level).hex
    }

    /// Colors of the marks: the hatch's stripes contrast with the background, the partial dots
    /// with both ends of the scale.
    var hatchStripe: String {
        let b = theme.background
        let light = 0.2126 * Double(b.red) + 0.7152 * Double(b.green) + 0.0722 * Double(b.blue) > 128
        return light ? "#6e6e6e" : "#a8a8b0"
    }

    /// Puts both mark patterns into `svg`'s `<defs>`.
    func defineMarks(_ svg: inout SVGBuilder) {
        svg.define(Self.maskedHatch, """
        <pattern id="\(Self.maskedHatch)" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">\
        <rect width="7" height="7" fill="\(hex(theme.maskedGround))"/><rect width="2.5" height="7" fill="\(hatchStripe)"/></pattern>
        """)
        // The model's own causal mask: thinner stripes the other way, so it never reads as the user's mask.
        svg.define(Self.causalHatch, """
        <pattern id="\(Self.causalHatch)" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(-45)">\
        <rect width="7" height="7" fill="\(hex(theme.maskedGround))"/><rect width="1.2" height="7" fill="\(hatchStripe)"/></pattern>
        """)
        svg.define(Self.partialDots, """
        <pattern id="\(Self.partialDots)" patternUnits="userSpaceOnUse" width="9" height="9">\
        <circle cx="4.5" cy="4.5" r="1.6" fill="#ffffff" stroke="#000000" stroke-width="0.7"/></pattern>
        """)
    }
}

/// One attention-like map drawn as squares: `values[query][key]` over `rows` × `columns`,
/// top-left at (`x`, `y`). Closed cells (per `marks`) are hatched instead of colored; partly
/// kept cells get the dots over their color. Every cell carries `data-q`, `data-k` and a tooltip.
struct MapPicture {
    let values: [[Float]]
    let rows: Range<Int>
    let columns: Range<Int>
    let x: Double
    let y: Double
    let cell: Double
    let marks: MaskMarks?
    /// Extra `data-` attributes every cell carries (which panel or tile it belongs to).
    var tag: [(String, String)] = []
    /// Decoder rows whose every allowed key is masked: transformers spreads them uniformly over
    /// every position, so their weights are drawn (future keys included) and the row is framed.
    var flaggedRows: Set<Int> = []
    /// The frame's color.
    var flagColor = "#e0a000"
    /// The fill of a value that is not closed, given its value and query row.
    let fill: (Float, Int) -> String
    /// The tooltip of a cell: "3 brown → 5 jumps: 0.1234".
    let tooltip: (Int, Int, Float, KeyMaskState) -> String

    var width: Double { Double(columns.count) * cell }
    var height: Double { Double(rows.count) * cell }

    func cellX(_ key: Int) -> Double { x + Double(key - columns.lowerBound) * cell }
    func cellY(_ query: Int) -> Double { y + Double(query - rows.lowerBound) * cell }

    func draw(_ svg: inout SVGBuilder) {
        svg.raw(#"<g class="map">"#)
        for query in rows {
            for key in columns {
                let value = values[query][key]
                let state = marks?.state(query: query, key: key) ?? .kept
                let data = tag + [("q", String(query)), ("k", String(key))]
                let title = tooltip(query, key, value, state)
                if marks?.isModelClosed(query: query, key: key) == true, !flaggedRows.contains(query) {
                    svg.rect(x: cellX(key), y: cellY(query), width: cell, height: cell, fill: PicturePalette.causalFill,
                             className: "causal", data: data, title: "\(query) → \(key): closed by the model's own causal mask")
                    continue
                }
                if state == .masked {
                    svg.rect(x: cellX(key), y: cellY(query), width: cell, height: cell, fill: PicturePalette.maskedFill,
                             className: "masked", data: data, title: title)
                    continue
                }
                svg.rect(x: cellX(key), y: cellY(query), width: cell, height: cell, fill: fill(value, query),
                         className: "weight", data: data, title: title)
                if state == .partial {
                    svg.rect(x: cellX(key), y: cellY(query), width: cell, height: cell, fill: PicturePalette.partialFill,
                             className: "partial", data: data)
                }
            }
        }
        for query in rows where flaggedRows.contains(query) {
            svg.rect(x: x + 1, y: cellY(query) + 1, width: width - 2, height: cell - 2, fill: "none", stroke: flagColor,
                     strokeWidth: 2, className: "no-allowed-key", data: tag + [("q", String(query))],
                     title: "\(query): every key this query may see is masked; transformers spreads its weight uniformly over all positions")
        }
        svg.raw("</g>")
    }

    /// Key labels written bottom to top above the map, ending `gap` above `top`.
    func drawKeyLabels(_ svg: inout SVGBuilder, tokens: [String], bottom: Double, size: Double,
                       color: (Int) -> String, bold: Bool = false) {
        for key in columns {
            svg.text(tokens[key], x: cellX(key) + cell / 2, y: bottom, size: size, fill: color(key), bold: bold,
                     middle: true, rotate: -90, className: "key-label")
        }
    }

    /// Query labels right-aligned left of the map.
    func drawQueryLabels(_ svg: inout SVGBuilder, labels: (Int) -> String, size: Double, color: (Int) -> String,
                         bold: (Int) -> Bool = { _ in false }) {
        for query in rows {
            svg.text(labels(query), x: x - 8, y: cellY(query) + cell / 2, size: size, fill: color(query), anchor: "end",
                     bold: bold(query), middle: true, className: "query-label")
        }
    }
}

/// The legend every map picture ends with: the scale with numbers, then the mask marks in words.
struct PictureLegend {
    enum Scale {
        /// Weights 0…`maximum`, the picture's own range; nil: each row 0…its own largest weight.
        case weights(maximum: Float?, note: String)
        /// Differences −`extent`…+`extent`, symmetric about 0.
        case deltas(extent: Float, note: String)
    }

    /// Draws it with its top-left at (`x`, `y`); returns its bottom and right edges.
    static func draw(_ svg: inout SVGBuilder, palette: PicturePalette, scale: Scale, x: Double, y: Double,
                     showPartial: Bool = true, causal: Bool = false, flagged: Bool = false) -> (bottom: Double, right: Double) {
        let barWidth = 300.0, barHeight = palette.theme.largeLegend ? 24.0 : 16.0
        let id: String, ticks: [(Double, String)], caption: String, note: String
        switch scale {
        case let .weights(maximum, text):
            id = "weightScale"
            svg.define(id, gradient(id: id) { palette.weightFill($0) })
            if let maximum {
                let top = Double(maximum > 0 ? maximum : 1)
                ticks = [(0, "0"), (0.5, formatScale(top / 2)), (1, formatScale(top))]
            } else {
                ticks = [(0, "0"), (0.5, "½ row max"), (1, "row max")]
            }
            caption = "weight"
            note = text
        case let .deltas(extent, text):
            id = "deltaScale"
            let top = Double(extent > 0 ? extent : 1)
            svg.define(id, gradient(id: id) { palette.deltaFill($0 * 2 - 1) })
            ticks = [(0, "−" + formatScale(top)), (0.25, "−" + formatScale(top / 2)), (0.5, "0"),
                     (0.75, "+" + formatScale(top / 2)), (1, "+" + formatScale(top))]
            caption = "Δ weight"
            note = text
        }
        svg.text(caption, x: x, y: y + barHeight / 2, size: 14, fill: palette.dim, middle: true, className: "legend-caption")
        let left = x + 80
        svg.rect(x: left, y: y, width: barWidth, height: barHeight, fill: "url(#\(id))", stroke: palette.dim, className: "legend")
        for (position, label) in ticks {
            let tx = left + position * barWidth
            svg.line(x1: tx, y1: y + barHeight, x2: tx, y2: y + barHeight + 4, stroke: palette.dim)
            svg.text(label, x: tx, y: y + barHeight + 18, size: 14, fill: palette.foreground, anchor: "middle", className: "legend-tick")
        }
        var right = left + barWidth + 20
        svg.text(note, x: right, y: y + barHeight / 2, size: 14, fill: palette.dim, middle: true, className: "legend-note")
        right += SVGBuilder.textWidth(note, size: 14)
        var rowY = y + barHeight + 34
        svg.rect(x: left, y: rowY, width: 28, height: 18, fill: PicturePalette.maskedFill, stroke: palette.dim, className: "legend-masked")
        svg.text("masked: weight forced to 0 (the mask closed this key for this query)", x: left + 38, y: rowY + 9, size: 14,
                 fill: palette.foreground, middle: true, className: "legend-text")
        right = max(right, left + 38 + SVGBuilder.textWidth("masked: weight forced to 0 (the mask closed this key for this query)", size: 14))
        if showPartial {
            rowY += 26
            svg.rect(x: left, y: rowY, width: 28, height: 18, fill: palette.weightFill(0.6), className: "legend-partial-base")
            svg.rect(x: left, y: rowY, width: 28, height: 18, fill: PicturePalette.partialFill, stroke: palette.dim, className: "legend-partial")
            svg.text("kept partly: the mask scales this weight down (soft < 1, negative bias) but keeps it", x: left + 38, y: rowY + 9,
                     size: 14, fill: palette.foreground, middle: true, className: "legend-text")
        }
        if causal {
            rowY += 26
            let text = "causal: the model's own mask (a query never sees a later key), not yours"
            svg.rect(x: left, y: rowY, width: 28, height: 18, fill: PicturePalette.causalFill, stroke: palette.dim, className: "legend-causal")
            svg.text(text, x: left + 38, y: rowY + 9, size: 14, fill: palette.foreground, middle: true, className: "legend-text")
            right = max(right, left + 38 + SVGBuilder.textWidth(text, size: 14))
        }
        if flagged {
            rowY += 26
            let text = "! framed row: every key it may see is masked; transformers spreads it uniformly over all positions"
            svg.rect(x: left + 1, y: rowY + 1, width: 26, height: 16, fill: "none", stroke: palette.warning, strokeWidth: 2,
                     className: "legend-no-allowed-key")
            svg.text(text, x: left + 38, y: rowY + 9, size: 14, fill: palette.foreground, middle: true, className: "legend-text")
            right = max(right, left + 38 + SVGBuilder.textWidth(text, size: 14))
        }
        return (rowY + 18, right)
    }

    static func gradient(id: String, color: (Double) -> String) -> String {
        let steps = 16
        let stops = (0...steps).map { i -> String in
            let t = Double(i) / Double(steps)
            return #"<stop offset="\#(String(format: "%.4f", t))" stop-color="\#(color(t))"/>"#
        }
        return #"<linearGradient id="\#(id)" x1="0" y1="0" x2="1" y2="0">"# + stops.joined() + "</linearGradient>"
    }
}

/// A scale end for a legend: 2 significant decimals below 1, "1" at 1.
func formatScale(_ value: Double) -> String {
    if value >= 0.995 { return String(format: "%.2g", value) }
    if value >= 0.1 { return String(format: "%.2f", value) }
    return String(format: "%.3f", value)
}

/// The title block pictures share: what, which model, layer, head and semantics.
struct PictureTitle {
    static func draw(_ svg: inout SVGBuilder, palette: PicturePalette, state: AppState, heading: String,
                     caption: String, x: Double, y: Double) -> (bottom: Double, right: Double) {
        let info = state.explorer.model.info
        let head = state.meanOfHeads
            ? "mean of \(info.headCount) heads"
            : "head \(state.head) of \(info.headCount)" + (info.headNames != nil ? " (\(info.headName(layer: state.layer, head: state.head)))" : "")
        let title = "\(heading) · \(info.name) · layer \(state.layer) of \(info.layerCount) · \(head)"
        let semantics = state.explorer.semantics
        let summary = semantics.summary.hasPrefix(semantics.rawValue + ": ")
            ? String(semantics.summary.dropFirst(semantics.rawValue.count + 2)) : semantics.summary
        var meaning = "mask semantics \(semantics.rawValue): \(summary)"
        if state.explorer.pattern != .none { meaning += " · pattern \(state.explorer.pattern.description)" }
        if !state.explorer.cellOverrides.isEmpty { meaning += " · \(state.explorer.cellOverrides.count) cell edits" }
        svg.text(title, x: x, y: y + 22, size: 24, fill: palette.foreground, bold: true, className: "title")
        svg.text(meaning, x: x, y: y + 50, size: 16, fill: palette.label, className: "semantics")
        svg.text(caption, x: x, y: y + 72, size: 14, fill: palette.dim, className: "caption")
        let right = x + max(SVGBuilder.textWidth(title, size: 24, bold: true), SVGBuilder.textWidth(meaning, size: 16),
                            SVGBuilder.textWidth(caption, size: 14))
        return (y + 84, right)
    }
}

/// The largest value of `values` over `rows` × `columns`, for a scale fitted to what is shown.
func largest(_ values: [[Float]], rows: Range<Int>, columns: Range<Int>, magnitude: Bool = false) -> Float {
    var best: Float = 0
    for q in rows { for k in columns { let v = magnitude ? abs(values[q][k]) : values[q][k]; if v.isFinite, v > best { best = v } } }
    return best
}

/// A weight as the pictures print it: 4 decimals.
func weightText(_ value: Float) -> String { String(format: "%.4f", Double(value)) }
