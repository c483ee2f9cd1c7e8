import ArgumentParser
import AttentionCore
import ExplorerUI
import Foundation

/// `maskscope explain`: softmax step by step for one query row of one head, so a reader can
/// see where a masked key's weight goes and why 0.5 under hf is the same as 1.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Walk through the softmax of one query row of one head under a mask.",
        discussion: """
        For every key: the raw score q·k/√d, the bias the mask adds (from the cell's mask \
        value: pattern × the key's value, through --semantics), the biased logit, exp after \
        subtracting the row maximum, and the weight (exp divided by the sum). The weights are \
        the row `maskscope attention` prints for the same options.

        Layers, heads and the query are 0-based token positions, as `maskscope tokens` shows.

        JSON output: {"model", "semantics", "pattern", "layer", "head", "query", "tokens", \
        "mask" (the row's cell mask values), "scores", "bias", "biased", "row_max", "exp", \
        "sum", "weights"}; arrays run over keys, and −∞ (and NaN) is written as null.

        Examples:
          maskscope explain --model builtin --mask "quick=1,jumps=0.5,lazy..=0" \\
              --layer 0 --head 0 --query 4 "The quick brown fox jumps over the lazy dog."
          maskscope explain --pattern causal --semantics soft --layer 1 --head 2 \\
              --query 3 --format json "The cat sat on the mat."
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Text") var input: TextInput
    @OptionGroup(title: "Mask") var maskOptions: MaskOptions



    @Option(help: ArgumentHelp("The layer (0-based).", valueName: "layer"))
    var layer: Int

    @Option(help: ArgumentHelp("The head (0-based).", valueName: "head"))
    var head: Int

    @Option(help: ArgumentHelp("The query token position (0-based, special tokens included).", valueName: "position"))
    var query: Int

    @Option(help: "Output format: table (the steps with numbers) or json.")
    var format: Format = .table

    func run() throws {
        try ErrorReporting.run(command: "explain") {
            let loaded = try modelOptions.load(onePass: true)
            let text = try input.resolvedText()
            let explorer = try maskOptions.explorer(model: loaded.model, text: text, pair: input.pair, padTo: input.padTo, padSide: input.padSide)
            let info = loaded.model.info
            try Self.check(layer, count: info.layerCount, option: "--layer", what: "layers", model: loaded.name)
            try Self.check(head, count: info.headCount, option: "--head", what: "heads", model: loaded.name)
            try Self.check(query, count: explorer.tokens.count, option: "--query", what: "tokens (special tokens included)",
                           model: "the text")
            guard let result = explorer.recompute(needs: .attention) else { return }
            try ModelOutputError.check(result, model: loaded.name)
            let breakdown = try SoftmaxBreakdown(result: result, tokens: explorer.tokens, layer: layer, head: head, query: query)
            let length = explorer.tokens.count
            let row = Array(explorer.cellMask[query * length ..< (query + 1) * length])
            let report = ExplainReport(model: loaded, semantics: explorer.semantics, pattern: explorer.pattern,
                                       cellMask: row, breakdown: breakdown)
            switch format {
            case .json:
                loaded.noteDefaultChoiceOnStandardError()
                try report.writeJSON()
            case .table:
                var stream = OutputStream.standardOutput
                try stream.append(report.tableLines().joined(separator: "\n") + "\n")
                try stream.flush()
            }
        }
    }

    static func check(_ index: Int, count: Int, option: String, what: String, model: String) throws {
        guard (0..<count).contains(index) else {
            throw ValidationError("\(option) \(index) is out of range: \(model) has \(count) \(what), numbered 0…\(count - 1)")
        }
    }
}

/// One softmax breakdown, ready to be written.
struct ExplainReport {
    let model: LoadedModel
    let semantics: MaskSemantics
    let pattern: MaskPattern
    /// The query row's cell mask values, one per key.
    let cellMask: [Float]
    let breakdown: SoftmaxBreakdown

    func writeJSON() throws {
        var json = JSONOutput()
        try json.beginObject()
        try json.key("model"); try json.string(model.name)
        try json.key("semantics"); try json.string(semantics.rawValue)
        try json.key("pattern"); try json.string(pattern.description)
        try json.key("layer"); try json.int(breakdown.layer)
        try json.key("head"); try json.int(breakdown.head)
        try json.key("query"); try json.int(breakdown.query)
        try json.key("tokens"); try json.strings(breakdown.tokens)
        try model.writeArchitectureKeys(&json, tokens: breakdown.tokens)
        try json.key("mask"); try json.floats(cellMask)
        try json.key("scores"); try json.floats(breakdown.scores)
        try json.key("bias"); try json.floats(breakdown.bias)
        try json.key("biased"); try json.floats(breakdown.biased)
        try json.key("row_max"); try json.float(breakdown.rowMax)
        try json.key("exp"); try json.floats(breakdown.exp)
        try json.key("sum"); try json.float(breakdown.sum)
        try json.key("weights"); try json.floats(breakdown.weights)
        try json.endObject()
        try json.finish()
    }

    func tableLines() -> [String] {
        let b = breakdown
        // Readable forms (`␣quick` for byte-level BPE's `Ġquick`), as the tokens and attention
        // tables show them; JSON keeps the raw strings in `tokens` and the decoded ones in `text`.
        let shown = model.displayTokens(b.tokens)
        let queryToken = TokenLabel.printable(shown[b.query])
        let info = model.model.info
        let headSize = model.model.description.attention.headSize
        var lines = [
            model.headline,
            "semantics: \(semantics.rawValue) (\(semantics.summary(for: model.model.description)))",
            "pattern: \(pattern.description) (\(pattern.summary))",
            "layer \(b.layer), \(info.headName(layer: b.layer, head: b.head)), query \(b.query) '\(queryToken)'",
            "",
            "Softmax of one query row, step by step (one row per key):",
            "  1. score  = q·k/√d, the head's raw preference (d = \(headSize), √d = \(Self.number(Float(headSize).squareRoot())))",
            "  2. mask   = the cell's mask value (pattern × the key's value); bias = what \(semantics.rawValue) makes of it",
            "  3. biased = score + bias",
        ]
        if b.hasNoKeys {
            lines.append("  4. every biased logit is −∞: softmax is undefined, so every weight is 0 (the row is flagged)")
        } else {
            lines.append("  4. exp    = exp(biased − max), max = \(Self.number(b.rowMax)) (the largest biased logit, so exp ≤ 1)")
            lines.append("  5. weight = exp / sum, sum = \(Self.number(b.sum))")
        }
        lines.append("")
        var table = TextTable([
            .init(title: "key", alignment: .right), .init(title: "token", alignment: .left),
            .init(title: "mask", alignment: .right), .init(title: "score", alignment: .right),
            .init(title: "bias", alignment: .right), .init(title: "biased", alignment: .right),
            .init(title: "exp", alignment: .right), .init(title: "weight", alignment: .right),
        ])
        for key in b.tokens.indices {
            table.add([
                String(key), TokenLabel.fitted(shown[key], width: 16), MaskValueFormat.short(cellMask[key]),
                Self.number(b.scores[key]), Self.number(b.bias[key]), Self.number(b.biased[key]),
                Self.number(b.exp[key]), Self.number(b.weights[key]),
            ])
        }
        lines += table.render()
        lines.append("")
        let masked = b.tokens.indices.filter { b.bias[$0] <= -1e30 }
        if !masked.isEmpty, !b.hasNoKeys {
            lines.append("Masked keys (\(masked.map(String.init).joined(separator: ", "))): bias ≤ −1e30, so exp(biased − max) underflows to exactly 0 and their weight is 0.")
        }
        if !b.hasNoKeys {
            lines.append("The weights sum to \(String(format: "%.6f", Double(b.weights.reduce(0, +)))).")
        }
        return lines
    }

    /// Four significant decimals for ordinary numbers, `0` for exact zeros, `−∞` and
    /// `lowest` (float32's lowest, the hf mask bias) spelled out.
    static func number(_ value: Float) -> String {
        if value == -.infinity { return "−∞" }
        if value == .infinity { return "∞" }
        if value.isNaN { return "nan" }
        if value == 0 { return "0" }
        if value == -Float.greatestFiniteMagnitude { return "−3.4e38" }
        if abs(value) >= 1e5 || abs(value) < 1e-4 { return String(format: "%.3e", Double(value)) }
        return String(format: "%.4f", Double(value))
    }
}
