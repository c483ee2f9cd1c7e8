import ArgumentParser
import Tokenizers

/// `--pad-side right|left`: the raw values, with the completions and the error listing them.
extension PaddingSide: ExpressibleByArgument {}
