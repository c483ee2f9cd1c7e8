/// A rendered screen as a standalone SVG: one `<rect>` per run of cells sharing a background,
/// one `<text>` per run of glyphs sharing a style, on a monospace grid. Used to export views
/// that have no picture of their own (diff, compare, math, overview, effect), so `w` saves
/// exactly what is on screen.
public func svgDocument(for grid: CellGrid, title: String, background: RGB, foreground: RGB) -> String {
    let cellWidth = 9, cellHeight = 18, fontSize = 15
    let width = grid.width * cellWidth, height = grid.height * cellHeight
    func hex(_ color: CellColor, _ fallback: RGB) -> String {
        if case let .rgb(r, g, b) = color { return RGB(red: r, green: g, blue: b).hex }
        return fallback.hex
    }
    var elements: [String] = [
        #"<rect width="\#(width)" height="\#(height)" fill="\#(background.hex)"/>"#,
    ]
    for y in 0..<grid.height {
        // Backgrounds, one rect per run of equal color.
        var x = 0
        while x < grid.width {
            let color = grid[x, y].background
            var end = x + 1
            while end < grid.width, grid[end, y].background == color { end += 1 }
            if color != .default {
                elements.append(#"<rect x="\#(x * cellWidth)" y="\#(y * cellHeight)" width="\#((end - x) * cellWidth)" height="\#(cellHeight)" fill="\#(hex(color, background))"/>"#)
            }
            x = end
        }
        // Glyphs, each placed at its own column so wide and narrow glyphs stay on the grid.
        for x in 0..<grid.width {
            let cell = grid[x, y]
            guard !cell.isContinuation, cell.glyph != " " else { continue }
            var attributes = #"x="\#(x * cellWidth)" y="\#(y * cellHeight + 14)" fill="\#(hex(cell.foreground, foreground))""#
            if cell.attributes.contains(.bold) { attributes += #" font-weight="bold""# }
            if cell.attributes.contains(.dim) { attributes += #" opacity="0.6""# }
            if cell.attributes.contains(.underline) { attributes += #" text-decoration="underline""# }
            elements.append("<text \(attributes)>\(xmlEscaped(cell.glyph))</text>")
        }
    }
    return """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="\(fontSize)">
    <title>\(xmlEscaped(title))</title>
    \(elements.joined(separator: "\n"))
    </svg>

    """
}
