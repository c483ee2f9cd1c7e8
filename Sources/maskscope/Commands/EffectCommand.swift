import ArgumentParser
import AttentionCore
import Foundation

/// `maskscope effect`: what the mask does to the model's output, against the same text with
/// nothing masked. Decoders: the next-token top-k at one position before and after, with the
/// KL divergence. Encoders: sentence and per-token cosines and the `[MASK]` predictions.
struct EffectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "effect",
        abstract: "Show how the mask changes the model's output (next-token top-k on decoders).",
        discussion: """
        "before" is the text with every key kept (on a decoder, its own causal mask only); \
        "after" is under --mask/--semantics/--pattern. On a decoder the LM head runs only at \
        --query (default: the last token) and reports the next-token top-k of both and \
        KL(before ‖ after) in nats.

        JSON (decoder): {"position", "before": [{"id","token","text","prob"}…], "after": […], "kl"}.
        JSON (encoder): {"sentence_cosine", "token_cosines", "mask_predictions": [{"position", "before", "after"}]}.

        Examples:
          maskscope effect --model smollm2 --mask "jumps=0" "The quick brown fox jumps over the lazy dog."
          maskscope effect --model smollm2 --semantics soft --mask "fox=0.1" --format json "The quick brown fox"
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup(title: "Model") var modelOptions: ModelOptions
    @OptionGroup(title: "Text") var input: TextInput
    @OptionGroup(title: "Mask") var maskOptions: MaskOptions

    @Option(help: "Decoder: the query position whose next token is predicted (0-based). Default: the last token.")
    var query: Int?

    @Option(help: "How many top tokens to list (1…50).")
    var top: Int = 5

    @Option(help: "Output format: table (for reading) or json (for scripts).")
    var format: Format = .table

    func validate() throws {
        guard (1...50).contains(top) else { throw ValidationError("--top must be between 1 and 50, not \(top)") }
    }

    func run() throws {
        try ErrorReporting.run(command: "effect") {
            let loaded = try modelOptions.load(onePass: true)
            let text = try input.resolvedText()
            let explorer = try maskOptions.explorer(model: loaded.model, text: text, pair: input.pair, padTo: input.padTo, padSide: input.padSide)
            if let query, !(0..<explorer.tokens.count).contains(query) {
                throw ValidationError("--query \(query) is out of range; the text has \(explorer.tokens.count) tokens (0…\(explorer.tokens.count - 1))")
            }
            if format == .json { loaded.noteDefaultChoiceOnStandardError() }
            var stream = OutputStream.standardOutput
            if loaded.model.causalLMHead != nil {
                guard let effect = NextTokenEffect.compute(for: explorer, position: query, top: top) else { return }
                if format == .json {
                    try Self.writeJSON(effect, model: loaded)
                } else {
                    try stream.append(Self.table(effect, model: loaded, explorer: explorer).joined(separator: "\n") + "\n")
                }
            } else {
                guard let effect = OutputEffect.compute(for: explorer, top: top) else { return }
                if format == .json {
                    try Self.writeJSON(effect)
                } else {
                    try stream.append(Self.table(effect, model: loaded).joined(separator: "\n") + "\n")
                }
            }
            try stream.flush()
        }
    }

    static func writeJSON(_ effect: NextTokenEffect, model: LoadedModel) throws {
        var json = JSONOutput()
        func candidates(_ list: [NextTokenEffect.Candidate]) throws {
            try json.beginArray()
            for candidate in list {
                try json.beginObject()
                try json.key("id"); try json.int(candidate.id)
                try json.key("token"); try json.string(candidate.token)
                try json.key("text"); try json.string(model.decodedTexts([candidate.token])[0])
                try json.key("prob"); try json.double(candidate.probability)
                try json.endObject()
            }
            try json.endArray()
        }
        try json.beginObject()
        try json.key("position"); try json.int(effect.position)
        try json.key("before"); try candidates(effect.before)
        try json.key("after"); try candidates(effect.after)
        try json.key("kl"); try json.double(effect.klDivergence)
        try json.endObject()
        try json.finish()
    }

    static func table(_ effect: NextTokenEffect, model: LoadedModel, explorer: Explorer) -> [String] {
        let shownQuery = model.displayTokens([explorer.tokens[effect.position]])[0]
        var lines = [model.headline, model.architectureLine,
                     "semantics: \(explorer.semantics.rawValue) (\(explorer.semantics.summary(for: explorer.model.description)))",
                     "next token after position \(effect.position) (\(TokenLabel.printable(shownQuery)))"]
        var table = TextTable([
            .init(title: "rank", alignment: .right),
            .init(title: "before", alignment: .left), .init(title: "prob", alignment: .right),
            .init(title: "after", alignment: .left), .init(title: "prob", alignment: .right),
        ])
        for rank in 0..<max(effect.before.count, effect.after.count) {
            func cells(_ list: [NextTokenEffect.Candidate]) -> [String] {
                guard rank < list.count else { return ["", ""] }
                let shown = model.displayTokens([list[rank].token])[0]
                return [TokenLabel.printable(shown), String(format: "%.4f", list[rank].probability)]
            }
            table.add([String(rank + 1)] + cells(effect.before) + cells(effect.after))
        }
        lines += table.render()
        lines.append(String(format: "KL(before ‖ after) = %.4f nats", effect.klDivergence))
        return lines
    }

    static func writeJSON(_ effect: OutputEffect) throws {
        var json = JSONOutput()
        try json.beginObject()
        try json.key("sentence_cosine"); try json.double(Double(effect.sentenceCosine))
        try json.key("token_cosines"); try json.floats(effect.tokenCosines)
        try json.key("mask_predictions")
        try json.beginArray()
        for prediction in effect.maskPredictions {
            try json.beginObject()
            try json.key("position"); try json.int(prediction.position)
            for (key, list) in [("before", prediction.before), ("after", prediction.after)] {
                try json.key(key)
                try json.beginArray()
                for candidate in list {
                    try json.beginObject()
                    try json.key("id"); try json.int(candidate.id)
                    try json.key("token"); try json.string(candidate.token)
                    try json.key("prob"); try json.double(Double(candidate.probability))
                    try json.endObject()
                }
                try json.endArray()
            }
            try json.endObject()
        }
        try json.endArray()
        try json.endObject()
        try json.finish()
    }

    static func table(_ effect: OutputEffect, model: LoadedModel) -> [String] {
        var lines = [model.headline, String(format: "sentence cosine (masked vs unmasked): %.4f", Double(effect.sentenceCosine))]
        var table = TextTable([
            .init(title: "pos", alignment: .right), .init(title: "token", alignment: .left), .init(title: "cosine", alignment: .right),
        ])
        let shownTokens = model.displayTokens(effect.tokens)
        for (position, cosine) in effect.tokenCosines.enumerated() {
            table.add([String(position), TokenLabel.printable(shownTokens[position]), String(format: "%.4f", Double(cosine))])
        }
        lines += table.render()
        for prediction in effect.maskPredictions {
            func shown(_ list: [TokenProbability]) -> String {
                let tokens = model.displayTokens(list.map(\.token))
                return zip(tokens, list).map { "\($0) \(String(format: "%.3f", Double($1.probability)))" }.joined(separator: ", ")
            }
            let before = shown(prediction.before)
            let after = shown(prediction.after)
            lines.append("\(shownTokens[prediction.position]) at \(prediction.position): before \(before); after \(after)")
        }
        if !effect.hasMaskedLMHead { lines.append("(no masked-LM head in this checkpoint: cosines only)") }
        return lines
    }
}
