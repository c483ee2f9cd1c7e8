import ArgumentParser
import AttentionCore
import Tokenizers

/// `maskscope tokens`: how a model's tokenizer splits a text, without running the model.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Show how the model's tokenizer splits a text.",
        discussion: """
        Prints one row per token position, special tokens (BERT's [CLS], [SEP], [PAD]; a decoder's BOS when its tokenizer adds one) included: the \
        position (0-based, as mask SPECs count), the token, its vocabulary id, its type id \
        (0 for TEXT, 1 for --pair) and its starting mask value (1, or 0 for [PAD]).

        Byte-level BPE tokens (decoders such as SmolLM2) are shown readably: the leading-space \
        marker as a space, a newline as ⏎, a byte that is not UTF-8 alone as <0xE6>.

        JSON output: {"model", "model_reason", "tokens", "ids", "type_ids", "mask", \
        "architecture", "causal", "kv_heads", "text"}: "tokens" are the raw vocabulary strings \
        (as transformers' convert_ids_to_tokens gives them), "text" the text each stands for.

        Examples:
          maskscope tokens --model builtin "The quick brown fox jumps over the dog."
          echo "Where is it?" | maskscope tokens --pair "It is here." --format json -
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Text") var input: TextInput

    @Option(help: "Output format: table (for reading) or json (for scripts).")
    var format: Format = .table

    func run() throws {
        try ErrorReporting.run(command: "tokens") {
            let loaded = try modelOptions.load(onePass: true)
            let text = try input.resolvedText()
            let encoding = try loaded.model.encode(text, pair: input.pair, padTo: input.padTo, padSide: input.padSide)
            switch format {
            case .json:
                loaded.noteDefaultChoiceOnStandardError()
                try Self.writeJSON(encoding, model: loaded)
            case .table:
                var stream = OutputStream.standardOutput
                try stream.append(Self.table(encoding, model: loaded).joined(separator: "\n") + "\n")
                try stream.flush()
            }
        }
    }

    static func writeJSON(_ encoding: Encoding, model: LoadedModel) throws {
        var json = JSONOutput()
        try json.beginObject()
        try json.key("model"); try json.string(model.name)
        try json.key("model_reason"); try json.string(model.location.reason)
        try json.key("tokens"); try json.strings(encoding.tokens)
        try json.key("ids"); try json.ints(encoding.ids)
        try json.key("type_ids"); try json.ints(encoding.typeIDs)
        try json.key("mask"); try json.floats(encoding.defaultMask)
        try model.writeArchitectureKeys(&json, tokens: encoding.tokens)
        try json.endObject()
        try json.finish()
    }

    static func table(_ encoding: Encoding, model: LoadedModel) -> [String] {
        var table = TextTable([
            .init(title: "pos", alignment: .right),
            .init(title: "token", alignment: .left),
            .init(title: "id", alignment: .right),
            .init(title: "type", alignment: .right),
            .init(title: "mask", alignment: .right),
        ])
        let mask = encoding.defaultMask
        let shown = model.displayTokens(encoding.tokens)
        for position in 0..<encoding.count {
            table.add([
                String(position),
                TokenLabel.printable(shown[position]),
                String(encoding.ids[position]),
                String(encoding.typeIDs[position]),
                MaskValueFormat.short(mask[position]),
            ])
        }
        return [model.headline] + (model.isCausal ? [model.architectureLine] : []) + table.render()
    }
}
