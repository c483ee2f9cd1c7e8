import Foundation

/// A small SVG writer shared by the view pictures: elements in drawing order, `<defs>` once,
/// every text and attribute value XML-escaped. Coordinates are SVG user units (pixels).
struct SVGBuilder {
    private(set) var elements: [String] = []
    private var definitions: [String] = []
    private var definedIDs: Set<String> = []

    /// Adds a `<defs>` entry once per `id`.
    mutating func define(_ id: String, _ markup: String) {
        guard definedIDs.insert(id).inserted else { return }
        definitions.append(markup)
    }

    mutating func raw(_ markup: String) { elements.append(markup) }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, strokeWidth: Double = 1, className: String? = nil,
                       data: [(String, String)] = [], title: String? = nil) {
        var attributes = Self.attributes([("class", className), ("x", Self.number(x)), ("y", Self.number(y)),
                                          ("width", Self.number(max(0, width))), ("height", Self.number(max(0, height))),
                                          ("fill", fill)])
        if let stroke { attributes += Self.attributes([("stroke", stroke), ("stroke-width", Self.number(strokeWidth))]) }
        for (name, value) in data { attributes += Self.attributes([("data-" + name, value)]) }
        if let title {
            elements.append("<rect\(attributes)><title>\(xmlEscaped(title))</title></rect>")
        } else {
            elements.append("<rect\(attributes)/>")
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil, className: String? = nil) {
        elements.append("<line" + Self.attributes([("class", className), ("x1", Self.number(x1)), ("y1", Self.number(y1)),
                                                   ("x2", Self.number(x2)), ("y2", Self.number(y2)), ("stroke", stroke),
                                                   ("stroke-width", Self.number(width)), ("stroke-dasharray", dash)]) + "/>")
    }

    /// Text at (x, y): `anchor` start, middle or end; `middle` centres it vertically on y;
    /// `rotate` turns it about (x, y) by that many degrees (−90 reads bottom to top).
    mutating func text(_ content: String, x: Double, y: Double, size: Double, fill: String, anchor: String = "start",
                       bold: Bool = false, middle: Bool = false, rotate: Double? = nil, className: String? = nil) {
        var pairs: [(String, String?)] = [("class", className)]
        if let rotate {
            pairs.append(("transform", "translate(\(Self.number(x)),\(Self.number(y))) rotate(\(Self.number(rotate)))"))
        } else {
            pairs += [("x", Self.number(x)), ("y", Self.number(y))]
        }
        pairs += [("font-size", Self.number(size)), ("fill", fill),
                  ("text-anchor", anchor == "start" ? nil : anchor), ("font-weight", bold ? "bold" : nil),
                  ("dy", middle ? "0.35em" : nil)]
        elements.append("<text" + Self.attributes(pairs) + ">" + xmlEscaped(content) + "</text>")
    }

    /// The finished document: `width` × `height`, filled with `background`, with a `<title>`.
    func document(width: Double, height: Double, background: String, title: String) -> String {
        let w = Self.number(width.rounded(.up)), h = Self.number(height.rounded(.up))
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <title>\(xmlEscaped(title))</title>
        <defs>
        \(definitions.joined(separator: "\n"))
        </defs>
        <rect width="100%" height="100%" fill="\(xmlEscaped(background))"/>

        """ + elements.joined(separator: "\n") + "\n</svg>\n"
    }

    /// ` name="value"` for each pair whose value is not nil, escaped.
    static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(xmlEscaped($0))\"" } }.joined()
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A width estimate for laying out text without font metrics: 0.6 em per terminal column
    /// (wide glyphs count two), a little more in bold.
    static func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        Double(DisplayWidth.of(text)) * size * (bold ? 0.65 : 0.6)
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
