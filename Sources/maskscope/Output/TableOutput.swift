import ExplorerUI

/// Plain-text tables for terminals: columns aligned by display width (so CJK tokens and
/// emoji line up), numbers right-aligned, text left-aligned.
struct TextTable {
    struct Column {
        let title: String
        let alignment: DisplayWidth.Alignment
    }

    let columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    /// The table as lines, two spaces between columns, no trailing spaces.
    func render() -> [String] {
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                if index > 0 { text += "  " }
                text += DisplayWidth.pad(cell, toWidth: widths[index], alignment: column.alignment)
            }
            while text.last == " " { text.removeLast() }
            return text
        }
        return [line(columns.map(\.title))] + rows.map(line)
    }
}

/// Making tokens safe to print in a terminal.
enum TokenLabel {
    /// A token as shown in tables: control characters become `\n`, `\t` or `\u{…}` so they
    /// cannot move the cursor; an empty token is shown as `""`.
    static func printable(_ token: String) -> String {
        if token.isEmpty { return "\"\"" }
        var text = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text
    }

    /// A printable token cut to `width` display columns with an ellipsis.
    static func fitted(_ token: String, width: Int) -> String {
        DisplayWidth.truncate(printable(token), toWidth: width)
    }
}
