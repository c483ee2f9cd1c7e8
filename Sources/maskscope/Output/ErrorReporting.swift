import ArgumentParser
import AttentionCore
import Tokenizers

/// Exit codes: 64 (EX_USAGE) when an option or the text is unusable — the user can fix the
/// command line — and 1 for everything else (model files, standard input, output).
enum ErrorReporting {
    /// Runs a command's body. Errors caused by what was typed are printed as
    /// `Error: <message>` and end the process with exit code 64; other errors propagate to
    /// ArgumentParser, which prints them the same way and exits with 1.
    static func run(command: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error where isUsageError(error) {
            let message = (error as? ValidationError)?.message ?? String(describing: error)
            printToStandardError("Error: \(message)\n(see 'maskscope \(command) --help')")
            throw ExitCode.validationFailure
        }
    }

    /// `run` for a body that produces a value.
    static func running<Value>(command: String, _ body: () throws -> Value) throws -> Value {
        var value: Value?
        try run(command: command) { value = try body() }
        guard let value else { throw ExitCode.failure }
        return value
    }

    static func isUsageError(_ error: any Error) -> Bool {
        switch error {
        case is ValidationError, is MaskSpecError, is ExplorerError, is ModelInputError:
            return true
        case TokenizerError.emptyText, BuiltinTokenizerError.emptyText:
            return true
        default:
            return false
        }
    }
}
