import ArgumentParser
import AttentionCore

/// `maskscope attention`: runs the model once under a mask and prints attention weights.
struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Run the model on a text under a mask and print its attention weights.",
        discussion: """
        Weights are the softmax probabilities every head gives each key (column) from each \
        query (row), after the mask's bias is added to the logits. Each row sums to 1, except \
        under --semantics soft when every key is masked: then the row is all zeros and a \
        warning names those queries.

        Layers, heads and token positions are 0-based. --layer and --head take an index, a \
        comma list or an inclusive range: --layer 0, --head 0,3, --head 2..5.

        Mask SPEC: comma-separated SELECTOR=VALUE, applied in order on top of the starting \
        mask (1 per token, 0 per [PAD]). SELECTOR is a position (5), a token (jumps: all \
        occurrences), or an inclusive range of positions or tokens (3..7, lazy.., ..4, \
        quick..lazy). Quote tokens holding , or = or digits: \"','=0\".

        --pattern adds a query × key pattern: each cell's mask value is the pattern's value \
        (1 open, 0 closed) times the key's mask value, then --semantics makes it a bias \
        (under bias semantics a closed cell gets float32's lowest value). Patterns: none, \
        padding:K, causal, prefix:N, window:W, block, block:P1,P2, global:P1,P2[+PATTERN] \
        (e.g. global:0+window:2), seed.

        JSON output: {"model", "model_reason", "semantics", "tokens", "ids", "type_ids", \
        "mask" (one value per token), "layers", "heads" (the model's totals), \
        "layer_indices", "head_indices" (which ones "attention" holds, in order), \
        "no_keys_queries" (queries whose row is all zeros), "attention" \
        [layer][head][query][key], and with --hidden "hidden" [token][dim] (last layer's \
        output)}. Non-finite numbers are written as null.

        CSV output: layer,head,query,query_token,key,key_token,weight, one row per weight.

        Examples:
          maskscope attention --model builtin --mask "quick=1,jumps=0.5,lazy..=0" \\
              "The quick brown fox jumps over the lazy dog."
          maskscope attention --semantics soft --mask "jumps=0.5" --layer 0 \\
              --head 0,3 --format json "The quick brown fox jumps over the lazy dog."
          echo "The cat sat." | maskscope attention --format csv -
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Text") var input: TextInput
    @OptionGroup(title: "Mask") var maskOptions: MaskOptions



    @Option(help: ArgumentHelp("Only these layers (0-based): 2, 0,3 or 1..4. Default: all.", valueName: "layers"))
    var layer: IndexSelection?

    @Option(help: ArgumentHelp("Only these heads (0-based): 0, 0,7 or 2..5. Default: all.", valueName: "heads"))
    var head: IndexSelection?

    @Flag(help: "Also print the last layer's output hidden states, [token][dim] (json and table).")
    var hidden = false

    @Option(help: "Output format: table (labelled matrices for reading), json or csv (for scripts).")
    var format: Format = .table

    func validate() throws {
        if hidden, format == .csv {
            throw ValidationError("--hidden cannot be written as CSV; use --format json (or table for a preview)")
        }
    }

    func run() throws {
        try ErrorReporting.run(command: "attention") {
            let loaded = try modelOptions.load(onePass: true)
            let text = try input.resolvedText()
            let explorer = try maskOptions.explorer(model: loaded.model, text: text, pair: input.pair, padTo: input.padTo, padSide: input.padSide)
            let info = loaded.model.info
            let selection = AttentionSelection(
                layers: try layer?.resolve(count: info.layerCount, what: "layer", option: "--layer", model: loaded.name)
                    ?? Array(0..<info.layerCount),
                heads: try head?.resolve(count: info.headCount, what: "head", option: "--head", model: loaded.name)
                    ?? Array(0..<info.headCount))
            guard let result = explorer.recompute(needs: hidden ? .attentionAndHidden : .attention) else { return }
            try ModelOutputError.check(result, model: loaded.name)
            let report = AttentionReport(model: loaded, explorer: explorer, result: result,
                                         selection: selection, includeHidden: hidden)
            switch format {
            case .json:
                report.warnOnStandardError()
                try report.writeJSON()
            case .csv:
                report.warnOnStandardError()
                try report.writeCSV()
            case .table:
                try report.writeTable()
            }
        }
    }
}

/// `--semantics` values, mirroring `MaskSemantics`.
enum SemanticsArgument: String, ExpressibleByArgument, CaseIterable {
    case hf, hf4, soft, bias

    var value: MaskSemantics {
        switch self {
        case .hf: return .hf
        case .hf4: return .hf4
        case .soft: return .soft
        case .bias: return .bias
        }
    }
}

/// Which layers and heads to print, 0-based and checked against the model.
struct AttentionSelection {
    let layers: [Int]
    let heads: [Int]
}
