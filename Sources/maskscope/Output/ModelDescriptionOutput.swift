import AttentionCore
import Tokenizers

/// What every report says about the model's architecture and tokens beyond their raw strings:
/// decoders add `architecture`, `causal`, `kv_heads` to JSON, tokens get a readable form for
/// tables and their decoded text for JSON.
extension LoadedModel {
    var isCausal: Bool { model.description.isCausal }

    /// "decoder · causal · 9 heads sharing 3 key/value heads", or "encoder · bidirectional".
    var architectureLine: String {
        let attention = model.description.attention
        let name = model.info.architecture.isEmpty ? "" : model.info.architecture + " "
        guard isCausal else { return "\(name)encoder · bidirectional" }
        var line = "\(name)decoder · causal"
        if attention.keyValueHeadCount != attention.headCount {
            line += " · \(attention.headCount) heads sharing \(attention.keyValueHeadCount) key/value heads (\(attention.groupSize) per group)"
        }
        if let window = model.description.slidingWindow { line += " · sliding window \(window)" }
        return line
    }

    /// Tokens as a person reads them: `Ġjumps` → ` jumps`, newline → ⏎, a lone byte → `<0xE6>`.
    func displayTokens(_ tokens: [String]) -> [String] {
        tokens.map { model.tokenizer.displayForm(of: $0) }
    }

    /// The text each token stands for (byte-level BPE decoded); WordPiece tokens as they are.
    func decodedTexts(_ tokens: [String]) -> [String] {
        guard let bpe = model.tokenizer as? ByteLevelBPETokenizer else { return tokens }
        return tokens.map { bpe.text(of: $0) }
    }

    /// `"architecture"`, `"causal"`, `"kv_heads"` and `"text"` (decoded tokens).
    func writeArchitectureKeys(_ json: inout JSONOutput, tokens: [String]) throws {
        try json.key("architecture"); try json.string(model.info.architecture)
        try json.key("causal"); try json.bool(isCausal)
        try json.key("kv_heads"); try json.int(model.description.attention.keyValueHeadCount)
        try json.key("text"); try json.strings(decodedTexts(tokens))
    }
}
