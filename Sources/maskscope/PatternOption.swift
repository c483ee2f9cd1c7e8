import ArgumentParser
import AttentionCore

/// `--pattern`, shared by the commands that run the model under a mask.
struct PatternOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A query × key pattern combined with the mask (cell = pattern × the key's mask value): none, padding:K, causal, prefix:N, window:W, block (documents end at each [SEP]), block:P1,P2, global:P1,P2[+PATTERN], seed.",
        valueName: "pattern"))
    var pattern: String?

    /// Sets the pattern on `explorer`; a pattern that does not parse or fit the text is a
    /// usage error (exit 64) with the pattern's own message.
    func apply(to explorer: inout Explorer) throws {
        guard let pattern else { return }
        do {
            try explorer.setPattern(try MaskPattern(parsing: pattern))
        } catch let error as MaskPatternError {
            throw ValidationError(error.description)
        }
    }

}
