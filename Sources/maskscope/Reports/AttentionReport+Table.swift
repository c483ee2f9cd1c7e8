import AttentionCore
import ExplorerUI
import Foundation

extension AttentionReport {
    /// Widest a key's column label may be, in display columns; longer tokens get an ellipsis.
    static let keyLabelWidth = 8
    /// Hidden-state dimensions the table shows per token (JSON has them all).
    static let hiddenPreviewDimensions = 8

    func writeTable() throws {
        var lines = [model.headline]
        if model.isCausal { lines.append(model.architectureLine) }
        lines.append("semantics: \(semantics.rawValue) (\(semanticsSummary))")
        if !queriesWithNoKeys.isEmpty { lines.append("note: \(noKeysWarning)") }
        if model.isCausal, let warning = fullyMaskedWarning { lines.append("note: \(warning)") }
        lines.append("weights: rows are queries, columns are keys; each row sums to 1; 0 means exactly zero")
        var stream = OutputStream.standardOutput
        try stream.append(lines.joined(separator: "\n") + "\n")
        for layer in selection.layers {
            for head in selection.heads {
                try stream.append("\n" + headTitle(layer: layer, head: head) + "\n")
                try stream.append(headTable(layer: layer, head: head).joined(separator: "\n") + "\n")
            }
        }
        if let hidden { try stream.append("\n" + hiddenTable(hidden).joined(separator: "\n") + "\n") }
        try stream.flush()
    }

    func headTitle(layer: Int, head: Int) -> String {
        var title = "layer \(layer), head \(head)"
        // A decoder's heads share key/value heads: say which one this head reads.
        let attentionShape = model.model.description.attention
        if attentionShape.groupSize > 1 { title += " (key/value head \(attentionShape.keyValueHead(of: head)))" }
        let info = model.model.info
        if let names = info.headNames, layer < names.count, head < names[layer].count {
            title += ": \(names[layer][head])"
        }
        return title
    }

    /// One head's matrix: a header of key labels, the mask row under it, then one row per
    /// query labelled with its position and token.
    func headTable(layer: Int, head: Int) -> [String] {
        let keyLabels = model.displayTokens(tokens).map { TokenLabel.fitted($0, width: Self.keyLabelWidth) }
        let columnWidths = keyLabels.map { max(5, DisplayWidth.of($0)) }
        let positionWidth = String(max(0, length - 1)).count
        let queryLabels = model.displayTokens(tokens).enumerated().map { position, token in
            DisplayWidth.pad(String(position), toWidth: positionWidth, alignment: .right) + " " + TokenLabel.fitted(token, width: 16)
        }
        let labelWidth = max(4, queryLabels.map(DisplayWidth.of).max() ?? 0)

        func line(_ label: String, _ cells: [String]) -> String {
            var text = DisplayWidth.pad(label, toWidth: labelWidth)
            for (cell, width) in zip(cells, columnWidths) {
                text += " " + DisplayWidth.pad(cell, toWidth: width, alignment: .right)
            }
            while text.last == " " { text.removeLast() }
            return text
        }

        var lines = [line("", keyLabels), line("mask", mask.map(MaskValueFormat.short))]
        for query in 0..<length {
            let cells = attention.queryRow(layer: layer, head: head, query: query).map(Self.weightCell)
            lines.append(line(queryLabels[query], cells))
        }
        return lines
    }

    /// Three decimals; exact zeros (masked keys) as a bare `0` so they stand out from
    /// weights that merely round to 0.000.
    static func weightCell(_ weight: Float) -> String {
        guard weight.isFinite else { return "nan" }
        if weight == 0 { return "0" }
        guard weight > 0, weight < 1000 else { return String(format: "%.3f", Double(weight)) }
        let thousandths = Int((Double(weight) * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    func hiddenTable(_ hidden: Matrix) -> [String] {
        let shown = min(Self.hiddenPreviewDimensions, hidden.columns)
        var columns: [TextTable.Column] = [.init(title: "pos", alignment: .right), .init(title: "token", alignment: .left)]
        columns += (0..<shown).map { TextTable.Column(title: "d\($0)", alignment: .right) }
        var table = TextTable(columns)
        for token in 0..<hidden.rows {
            let values = (0..<shown).map { String(format: "%.3f", Double(hidden.values[token * hidden.columns + $0])) }
            table.add([String(token), TokenLabel.fitted(model.displayTokens([tokens[token]])[0], width: 16)] + values)
        }
        let title = "hidden states (last layer output), first \(shown) of \(hidden.columns) dimensions; --format json has all"
        return [title] + table.render()
    }
}
