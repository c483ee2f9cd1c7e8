import ArgumentParser
import AttentionCore
import Tokenizers

/// `--mask`, `--semantics` and `--pattern`: how every command that runs the model is told
/// which mask to apply, read the same way everywhere.
struct MaskOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Mask values per token, e.g. \"quick=1,jumps=0.5,lazy..=0\", or @FILE for a preset written by the explorer's w (syntax: 'maskscope attention --help'). Without it every token gets 1 and [PAD] 0.",
        valueName: "spec"))
    var mask: String?

    @Option(help: ArgumentHelp(
        "How mask values become logit biases: hf (transformers 5: non-zero keeps, 0 masks), hf4 (transformers 4: (1-m)·float32 lowest), soft (bias ln m: weight scaled by m), bias (value added to logits).",
        valueName: "semantics"))
    var semantics: SemanticsArgument = .hf

    @Option(help: ArgumentHelp(
        "A query × key pattern combined with the mask (cell = pattern × the key's mask value): none, padding:K, causal, prefix:N, window:W, block (documents end at each separator: [SEP] on BERT, the end-of-text token on a decoder), block:P1,P2, global:P1,P2[+PATTERN], seed.",
        valueName: "pattern"))
    var pattern: String?

    /// The engine for `text` (and pair, padding) under these options: the semantics, then the
    /// mask SPEC or @FILE, then the pattern on top. A pattern that does not parse or fit the
    /// text is a usage error (exit 64) with the pattern's own message.
    func explorer(model: EncoderModel, text: String, pair: String?, padTo: Int?, padSide: PaddingSide = .right) throws -> Explorer {
        var explorer = try Explorer(model: model, text: text, pair: pair, padTo: padTo, padSide: padSide,
                                    semantics: semantics.value)
        if let mask { try explorer.apply(try MaskArgument.parse(mask)) }
        guard let pattern else { return explorer }
        do {
            try explorer.setPattern(try MaskPattern(parsing: pattern))
        } catch let error as MaskPatternError {
            throw ValidationError(error.description)
        }
        if let warning = explorer.causalWarning { printToStandardError(warning) }
        return explorer
    }
}
